import type { OptionQuote } from '../../market/market-data';

export const EXPORT_HEADER = 'timestamp,underlying,spot,expiry,strike,right,bid,ask,iv,delta,gamma,theta,vega,open_interest,vix,rate,dividend_yield';

/** Seven significant digits (a relative error under 1e-6): well inside what a strategy can tell apart, half the bytes of a full double. */
const g7 = (x: number | null): string => (x === null ? '' : String(Number(x.toPrecision(7))));

export interface ExportRow {
  readonly ts: number;
  readonly spot: number;
  readonly quote: OptionQuote;
  /** Snapshot-wide values: written on a snapshot's first row only (the reader applies them to all its rows). */
  readonly vix: number | null;
  readonly rate: number | null;
  readonly dividend_yield: number | null;
}

/** One line of the option-history CSV (csv-columns.ts reads it back). */
export function formatRow(r: ExportRow): string {
  const q = r.quote;
  return [new Date(r.ts).toISOString().replace('.000Z', 'Z'), q.symbol, g7(r.spot), q.expiry, g7(q.strike), q.right, g7(q.bid), g7(q.ask), g7(q.iv), g7(q.delta), g7(q.gamma), g7(q.theta), g7(q.vega), q.open_interest === null ? '' : String(q.open_interest), g7(r.vix), g7(r.rate), g7(r.dividend_yield)].join(',');
}
