/**
 * The MarketData port: one interface for every source (the seeded simulation, IB).
 * Prices per share in dollars; IV as an annualized fraction (0.18); delta signed as the
 * market quotes it (puts negative); DTE in calendar days (America/New_York).
 * Implementations read time from the Clock they were built with.
 */

import type { Right } from '../model/leg';
import type { MarketDataType } from '../model/market-data-type';

export type ExpiryKind = 'monthly' | 'weekly' | 'daily';

export interface ExpiryInfo {
  /** YYYY-MM-DD (exchange date). */
  readonly expiry: string;
  readonly dte: number;
  readonly kind: ExpiryKind;
  /** Listed strikes for this expiry, ascending. */
  readonly strikes: readonly number[];
}

/** A chain without quotes: what a builder narrows before asking for quotes and greeks. */
export interface ChainSkeleton {
  readonly symbol: string;
  readonly spot: number;
  /** Epoch ms the skeleton was taken at. */
  readonly as_of: number;
  readonly expiries: readonly ExpiryInfo[];
}

export interface OptionContractRef {
  readonly symbol: string;
  readonly expiry: string;
  readonly right: Right;
  readonly strike: number;
}

export interface OptionQuote extends OptionContractRef {
  /** null when the source has no quote (no market, halted). */
  readonly bid: number | null;
  readonly ask: number | null;
  readonly mid: number | null;
  readonly iv: number | null;
  readonly delta: number | null;
  readonly gamma: number | null;
  /** Per calendar day, dollars per share. */
  readonly theta: number | null;
  /** Per vol point (1% IV), dollars per share. */
  readonly vega: number | null;
  readonly open_interest: number | null;
  /** Broker contract id where the source has one (IB conId). */
  readonly con_id: number | null;
  /** What kind of quote this is (IB: live, frozen, delayed); absent = live (the simulated market). */
  readonly data_type?: MarketDataType;
}

export interface ChainWindow {
  readonly dte_min: number;
  readonly dte_max: number;
  /** Optional strike window (inclusive); absent = all listed strikes. */
  readonly strike_min?: number;
  readonly strike_max?: number;
}

export interface IvPoint {
  /** YYYY-MM-DD trading date. */
  readonly date: string;
  /** Close IV as an annualized fraction. */
  readonly iv: number;
}

export interface MarketData {
  readonly name: string;
  spot(symbol: string): Promise<number>;
  chain(symbol: string, window: ChainWindow): Promise<ChainSkeleton>;
  /** Quotes and greeks for exactly these contracts, in the same order. */
  quotes(contracts: readonly OptionContractRef[]): Promise<readonly OptionQuote[]>;
  /** Daily IV history, oldest first, at most `days` trading days ending at the clock's date. */
  ivHistory(symbol: string, days: number): Promise<readonly IvPoint[]>;
  vix(): Promise<number>;
  /** The underlying's change over the last hour, percent. */
  change1hPct(symbol: string): Promise<number>;
  close?(): Promise<void>;
}
