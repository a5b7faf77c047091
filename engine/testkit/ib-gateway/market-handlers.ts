import type { MarketData } from '../../market/market-data';
import { resolveContracts } from './contracts';

type Send = (fields: ReadonlyArray<string | number>) => void;

const MSG = { ERR: 4, TICK_PRICE: 1, TICK_SIZE: 2, TICK_OPTION_COMPUTATION: 21, TICK_SNAPSHOT_END: 57, SECDEF: 75, SECDEF_END: 76 } as const;

/** IB dates are YYYYMMDD; the MarketData port's are YYYY-MM-DD. */
export const toIbDate = (d: string): string => d.replace(/-/g, '');
export const fromIbDate = (d: string): string => (/^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d);

const CHAIN_HORIZON_DAYS = 400;

/** reqSecDefOptParams → one SMART row with every listed expiry and strike, then the end marker. */
export async function secDefOptParams(market: MarketData, f: readonly string[], send: Send): Promise<void> {
  const reqId = Number(f[1]);
  const symbol = f[2] ?? '';
  const under = resolveContracts({ conId: Number(f[5] || 0), symbol, secType: f[4] || 'STK', expiry: '', strike: 0, right: '' });
  if (under.length === 0) {
    send([MSG.ERR, 2, reqId, 200, 'No security definition has been found for the request']);
    return;
  }
  const chain = await market.chain(symbol, { dte_min: 0, dte_max: CHAIN_HORIZON_DAYS });
  const strikes = [...new Set(chain.expiries.flatMap((e) => e.strikes))].sort((a, b) => a - b);
  const expiries = chain.expiries.map((e) => toIbDate(e.expiry));
  send([MSG.SECDEF, reqId, 'SMART', under[0]?.conId ?? 0, symbol, 100, expiries.length, ...expiries, strikes.length, ...strikes]);
  send([MSG.SECDEF_END, reqId]);
}

export interface MktDataRequest {
  readonly reqId: number;
  readonly symbol: string;
  readonly secType: string;
  readonly expiry: string;
  readonly strike: number;
  readonly right: string;
  readonly snapshot: boolean;
}

/** Field positions of REQ_MKT_DATA (version 11) for a non-combo contract. */
export function parseMktDataRequest(f: readonly string[]): MktDataRequest {
  // 0 id, 1 version, 2 reqId, 3 conId, 4 symbol, 5 secType, 6 expiry, 7 strike, 8 right, 9 multiplier,
  // 10 exchange, 11 primaryExch, 12 currency, 13 localSymbol, 14 tradingClass, 15 deltaNeutral flag,
  // 16 genericTickList, 17 snapshot, 18 regulatorySnapshot, 19 options
  return { reqId: Number(f[2]), symbol: f[4] ?? '', secType: f[5] ?? '', expiry: f[6] ?? '', strike: Number(f[7] || 0), right: f[8] ?? '', snapshot: f[17] === '1' };
}

const num = (v: number | null): number => (v === null || !Number.isFinite(v) ? -1 : v);
const greek = (v: number | null): number => (v === null || !Number.isFinite(v) ? -2 : v);

/** Live and delayed tick types (IB's TickType): delayed data arrives under its own ids. */
const TICKS = {
  live: { BID: 1, ASK: 2, LAST: 4, CLOSE: 9, MODEL_OPTION: 13 },
  delayed: { BID: 66, ASK: 67, LAST: 68, CLOSE: 75, MODEL_OPTION: 83 },
} as const;

export interface SnapshotSource {
  /** The market the quote comes from (for delayed data: the market as it was 15 minutes ago). */
  readonly market: MarketData;
  readonly delayed: boolean;
  /** The previous session's close of an underlying (IB's close tick), when known. */
  readonly close?: (symbol: string) => Promise<number>;
}

/** Quotes (bid/ask, model option computation for options; bid/ask/last/close for stocks), then snapshot end. */
export async function marketDataSnapshot(src: SnapshotSource, r: MktDataRequest, send: Send): Promise<void> {
  const market = src.market;
  const T = src.delayed ? TICKS.delayed : TICKS.live;
  if (r.secType === 'OPT') {
    const right = r.right === 'P' || r.right === 'PUT' ? 'P' : 'C';
    const [q] = await market.quotes([{ symbol: r.symbol, expiry: fromIbDate(r.expiry), right, strike: r.strike }]);
    const spot = await market.spot(r.symbol);
    if (!q) {
      send([MSG.ERR, 2, r.reqId, 200, 'No security definition has been found for the request']);
      return;
    }
    send([MSG.TICK_PRICE, 3, r.reqId, T.BID, num(q.bid), 10, 0]);
    send([MSG.TICK_PRICE, 3, r.reqId, T.ASK, num(q.ask), 10, 0]);
    send([MSG.TICK_OPTION_COMPUTATION, r.reqId, T.MODEL_OPTION, 1, num(q.iv), greek(q.delta), num(q.mid), 0, greek(q.gamma), greek(q.vega), greek(q.theta), spot]);
  } else if (r.secType === 'IND' && r.symbol === 'VIX') {
    send([MSG.TICK_PRICE, 3, r.reqId, T.LAST, await market.vix(), 0, 0]);
  } else {
    const spot = await market.spot(r.symbol);
    send([MSG.TICK_PRICE, 3, r.reqId, T.BID, Math.round((spot - 0.01) * 100) / 100, 100, 0]);
    send([MSG.TICK_PRICE, 3, r.reqId, T.ASK, Math.round((spot + 0.01) * 100) / 100, 100, 0]);
    send([MSG.TICK_PRICE, 3, r.reqId, T.LAST, spot, 100, 0]);
    if (src.close) send([MSG.TICK_PRICE, 3, r.reqId, T.CLOSE, await src.close(r.symbol), 0, 0]);
  }
  if (r.snapshot) send([MSG.TICK_SNAPSHOT_END, 1, r.reqId]);
}

const MSG_HISTORICAL_DATA = 17;

/** The underlying's price `msAgo` before now (the backend's own history). */
export type SpotAgo = (symbol: string, msAgo: number) => Promise<number>;
const MAX_HISTORY_DAYS = 2520;

/** "252 D", "1 Y", "2 W" → trading days requested. */
function durationToTradingDays(d: string): number {
  const m = /^(\d+)\s+([DWMY])$/.exec(d.trim());
  if (!m || m[1] === undefined) return 0;
  const n = Number(m[1]);
  const perUnit: Readonly<Record<string, number>> = { D: 1, W: 5, M: 21, Y: 252 };
  return Math.min(MAX_HISTORY_DAYS, n * (perUnit[m[2] ?? 'D'] ?? 1));
}

/**
 * reqHistoricalData for OPTION_IMPLIED_VOLATILITY daily bars (what IV rank needs); other series
 * and one hourly TRADES bar are served; other series
 * are refused with IB's "no data" style error so a caller never mistakes them for real prices.
 */
export async function historicalData(market: MarketData, f: readonly string[], send: Send, spotAgo?: SpotAgo): Promise<void> {
  // 0 id, 1 reqId, 2 conId, 3 symbol, 4 secType, … 15 endDateTime, 16 barSize, 17 duration, 18 useRTH, 19 whatToShow
  const reqId = Number(f[1]);
  const symbol = f[3] ?? '';
  const whatToShow = f[19] ?? '';
  if (whatToShow === 'TRADES' && f[16] === '1 hour' && f[17] === '3600 S' && spotAgo) {
    // One hourly bar: open an hour ago, close now (what change1hPct reads).
    const [open, close] = await Promise.all([spotAgo(symbol, 3_600_000), market.spot(symbol)]);
    send([MSG_HISTORICAL_DATA, reqId, '', '', 1, 'last hour', open, Math.max(open, close), Math.min(open, close), close, -1, -1, -1]);
    return;
  }
  if (whatToShow !== 'OPTION_IMPLIED_VOLATILITY' || (f[16] ?? '') !== '1 day') {
    send([MSG.ERR, 2, reqId, 162, `Historical Market Data Service error message: the fake gateway serves only 1-day OPTION_IMPLIED_VOLATILITY bars (asked ${whatToShow} ${f[16] ?? ''})`]);
    return;
  }
  const days = durationToTradingDays(f[17] ?? '');
  const points = await market.ivHistory(symbol, days);
  const bars = points.flatMap((p) => [toIbDate(p.date), p.iv, p.iv, p.iv, p.iv, -1, -1, -1]);
  const start = points[0] ? toIbDate(points[0].date) : '';
  const end = points[points.length - 1] ? toIbDate(points[points.length - 1]?.date ?? '') : '';
  send([MSG_HISTORICAL_DATA, reqId, start, end, points.length, ...bars]);
}
