/**
 * IB's market data types, as `market.data_type` names them: live (1), frozen (2: the last quote
 * once the market closed), delayed (3: 15 minutes late, where the account has no live subscription)
 * and delayed_frozen (4). What is asked for is not always what comes: a quote carries the kind it got.
 */
export const MARKET_DATA_TYPES = ['live', 'frozen', 'delayed', 'delayed_frozen'] as const;
export type MarketDataType = (typeof MARKET_DATA_TYPES)[number];

/** IB's reqMarketDataType numbers. */
export const IB_MARKET_DATA_TYPE: Readonly<Record<MarketDataType, 1 | 2 | 3 | 4>> = { live: 1, frozen: 2, delayed: 3, delayed_frozen: 4 };

/** True for quotes that are not live: entries on them need `market.allow_delayed_entries`. */
export const isDelayed = (t: MarketDataType | undefined): boolean => t === 'delayed' || t === 'delayed_frozen';
