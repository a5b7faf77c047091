import type { AccountSummary } from '../../model/broker-records';

/** One account value as IB names it: key, value (text, as on the wire) and currency ('' where none). */
export interface AccountValue {
  readonly key: string;
  readonly value: string;
  readonly currency: string;
}

export interface AccountFigures {
  readonly account: string;
  readonly summary: AccountSummary;
  /** Σ mark × quantity × multiplier of the option positions (signed: short options are negative). */
  readonly optionMarketValue: number;
  /** Σ |mark × quantity × multiplier|. */
  readonly grossPositionValue: number;
}

const usd = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '');

/**
 * The account values IB reports through reqAccountUpdates, reqAccountUpdatesMulti and (by tag)
 * reqAccountSummary, derived from the paper account. The paper broker's margin is the defined-risk
 * max loss of what is held (cash − buying power), so initial and maintenance margin are that figure,
 * equity with loan is the net liquidation, and the funds figures follow from the two.
 */
export function accountValues(f: AccountFigures): AccountValue[] {
  const s = f.summary;
  const margin = Math.max(0, s.cash - s.buying_power);
  const available = s.net_liquidation - margin;
  const rows: Array<[string, number | string, string]> = [
    ['AccountCode', f.account, ''],
    ['AccountType', 'INDIVIDUAL', ''],
    ['AccountReady', 'true', ''],
    ['Currency', 'USD', 'USD'],
    ['NetLiquidation', s.net_liquidation, 'USD'],
    ['NetLiquidationByCurrency', s.net_liquidation, 'USD'],
    ['TotalCashValue', s.cash, 'USD'],
    ['TotalCashBalance', s.cash, 'USD'],
    ['CashBalance', s.cash, 'USD'],
    ['SettledCash', s.cash, 'USD'],
    ['AccruedCash', 0, 'USD'],
    ['BuyingPower', s.buying_power, 'USD'],
    ['EquityWithLoanValue', s.net_liquidation, 'USD'],
    ['PreviousEquityWithLoanValue', s.net_liquidation, 'USD'],
    ['GrossPositionValue', f.grossPositionValue, 'USD'],
    ['OptionMarketValue', f.optionMarketValue, 'USD'],
    ['StockMarketValue', 0, 'USD'],
    ['RegTEquity', s.net_liquidation, 'USD'],
    ['RegTMargin', margin, 'USD'],
    ['SMA', available, 'USD'],
    ['InitMarginReq', margin, 'USD'],
    ['MaintMarginReq', margin, 'USD'],
    ['AvailableFunds', available, 'USD'],
    ['ExcessLiquidity', available, 'USD'],
    ['FullInitMarginReq', margin, 'USD'],
    ['FullMaintMarginReq', margin, 'USD'],
    ['FullAvailableFunds', available, 'USD'],
    ['FullExcessLiquidity', available, 'USD'],
    ['LookAheadNextChange', 0, ''],
    ['LookAheadInitMarginReq', margin, 'USD'],
    ['LookAheadMaintMarginReq', margin, 'USD'],
    ['LookAheadAvailableFunds', available, 'USD'],
    ['LookAheadExcessLiquidity', available, 'USD'],
    ['HighestSeverity', 0, ''],
    // Accounts above $25,000 have no pattern-day-trading limit; IB reports that as −1.
    ['DayTradesRemaining', -1, ''],
    ['Cushion', s.net_liquidation > 0 ? (available / s.net_liquidation).toFixed(6) : '', ''],
    ['Leverage', s.net_liquidation > 0 ? (f.grossPositionValue / s.net_liquidation).toFixed(6) : '', ''],
    ['RealizedPnL', s.realized_pnl, 'USD'],
    ['UnrealizedPnL', s.unrealized_pnl, 'USD'],
  ];
  return rows.map(([key, value, currency]) => ({ key, value: typeof value === 'number' && currency === 'USD' ? usd(value) : String(value), currency }));
}

/**
 * The tags reqAccountSummary answers: IB's AccountSummaryTags, plus RealizedPnL and UnrealizedPnL,
 * which IB reports only through account updates (kept here because the engine's IB adapter asks
 * for them and falls back to 0 without them).
 */
export const SUMMARY_TAGS: readonly string[] = [
  'AccountType', 'NetLiquidation', 'TotalCashValue', 'SettledCash', 'AccruedCash', 'BuyingPower', 'EquityWithLoanValue', 'PreviousEquityWithLoanValue',
  'GrossPositionValue', 'RegTEquity', 'RegTMargin', 'SMA', 'InitMarginReq', 'MaintMarginReq', 'AvailableFunds', 'ExcessLiquidity', 'Cushion',
  'FullInitMarginReq', 'FullMaintMarginReq', 'FullAvailableFunds', 'FullExcessLiquidity', 'LookAheadNextChange', 'LookAheadInitMarginReq',
  'LookAheadMaintMarginReq', 'LookAheadAvailableFunds', 'LookAheadExcessLiquidity', 'HighestSeverity', 'DayTradesRemaining', 'Leverage',
  'RealizedPnL', 'UnrealizedPnL',
];

/** The summary rows a reqAccountSummary tag list asks for, in IB's tag order. */
export function summaryRows(values: readonly AccountValue[], tags: readonly string[]): AccountValue[] {
  const wanted = new Set(tags.map((t) => t.trim()));
  const byKey = new Map(values.map((v) => [v.key, v]));
  return SUMMARY_TAGS.filter((t) => wanted.has(t)).flatMap((t) => {
    const v = byKey.get(t);
    return v ? [v] : [];
  });
}
