/**
 * Market-data permissions as IB applies them to one request, for fault injection: which error a
 * symbol's data is refused with, or whether it is served delayed. Pure: the gateway asks, then acts.
 */

/** The codes a symbol's market data can be refused (or downgraded) with. */
export const MARKET_DATA_FAULT_CODES = [354, 10089, 10167, 10168] as const;
export type MarketDataFaultCode = (typeof MARKET_DATA_FAULT_CODES)[number];

export interface MarketDataFault {
  readonly code: MarketDataFaultCode;
  /** Only the symbol's options (a stock subscription without OPRA); default: everything on the symbol. */
  readonly optionsOnly: boolean;
}

/** reqMarketDataType: 1 live, 2 frozen, 3 delayed, 4 delayed frozen. */
export type RequestedDataType = 1 | 2 | 3 | 4;

export type MarketDataDecision =
  | { readonly kind: 'refuse'; readonly code: number; readonly message: string }
  /** `type`: what the data is (1 live, 3 delayed); `notice`: the warning IB sends first. */
  | { readonly kind: 'serve'; readonly type: 1 | 3; readonly notice: { readonly code: number; readonly message: string } | null };

const DELAYED_NOTICE = { code: 10167, message: 'Requested market data is not subscribed. Displaying delayed market data.' } as const;

export function isFaultCode(code: number): code is MarketDataFaultCode {
  return (MARKET_DATA_FAULT_CODES as readonly number[]).includes(code);
}

/**
 * IB's rules, reduced to what clients see: without a subscription a live request is refused (354,
 * or 10089 naming the missing subscription) while a delayed request (type 3 or 4) gets delayed data
 * after notice 10167; an account with delayed data only (10167) always gets it delayed; one without
 * delayed data enabled (10168) gets nothing. A competing live session takes all market data (10197).
 */
export function marketDataDecision(requested: RequestedDataType, fault: MarketDataFault | null, competingSession: boolean, symbol: string, exchange: string): MarketDataDecision {
  if (competingSession) return { kind: 'refuse', code: 10197, message: 'No market data during competing live session' };
  if (!fault) return { kind: 'serve', type: 1, notice: null };
  const wantsDelayed = requested === 3 || requested === 4;
  switch (fault.code) {
    case 10167:
      return { kind: 'serve', type: 3, notice: DELAYED_NOTICE };
    case 10168:
      return wantsDelayed ? { kind: 'refuse', code: 10168, message: 'Requested market data is not subscribed. Delayed market data is not enabled.' } : { kind: 'refuse', code: 354, message: 'Requested market data is not subscribed.' };
    case 354:
      return wantsDelayed ? { kind: 'serve', type: 3, notice: DELAYED_NOTICE } : { kind: 'refuse', code: 354, message: 'Requested market data is not subscribed.' };
    case 10089:
      return wantsDelayed
        ? { kind: 'serve', type: 3, notice: DELAYED_NOTICE }
        : { kind: 'refuse', code: 10089, message: `Requested market data requires additional subscription for API. See link in 'Market Data Connections dialog' for more details.Delayed market data is available.${symbol} ${exchange}/TOP/ALL` };
  }
}
