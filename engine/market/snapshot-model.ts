import { bsmGreeks } from './bsm';
import type { ExpiryKind, OptionContractRef, OptionQuote } from './market-data';
import { exchangeInstant, isoWeekday } from '../shared/exchange-time';
import { session } from '../shared/market-calendar';

/**
 * Quotes from a stored market (a CSV history, a recording) that were not stored: modelled from the
 * IV surface of what was, at the current spot, with BSM. Pure: the caller passes the instant.
 */

const YEAR_MS = 365 * 24 * 3600 * 1000;
const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

export interface Carry {
  /** Risk-free rate, annual fraction. */
  readonly r: number;
  /** Continuous dividend yield, annual fraction. */
  readonly q: number;
}

/** Options stop trading at the session's close (13:00 on early closes): the instant expiry time runs to. */
export function expiryCloseMs(expiry: string): number {
  return session(expiry)?.close_ms ?? exchangeInstant(expiry, '16:00');
}

/** Years to an expiry's close, never below a minute (a quote on expiry afternoon still has a price). */
export function yearsToExpiry(expiry: string, nowMs: number): number {
  return Math.max(60_000, expiryCloseMs(expiry) - nowMs) / YEAR_MS;
}

/** Monthly on the third Friday (or the Thursday before it when that Friday is a holiday), weekly on other Fridays, else daily. */
export function expiryKindOf(expiry: string): ExpiryKind {
  const dom = Number(expiry.slice(8, 10));
  const wd = isoWeekday(expiry);
  // A Friday holiday moves that week's expiry to the Thursday before it (Good Friday, Juneteenth).
  const movedFromFriday = wd === 4 && session(nextDay(expiry)) === null;
  if ((wd === 5 && dom >= 15 && dom <= 21) || (movedFromFriday && dom >= 14 && dom <= 20)) return 'monthly';
  if (wd === 5 || movedFromFriday) return 'weekly';
  return 'daily';
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** IV per strike of one expiry, ascending by strike (both rights averaged where both have one). */
function smile(quotes: readonly OptionQuote[], expiry: string): Array<{ k: number; iv: number }> {
  const by = new Map<number, { sum: number; n: number }>();
  for (const q of quotes) {
    if (q.expiry !== expiry || q.iv === null || !(q.iv > 0)) continue;
    const s = by.get(q.strike) ?? { sum: 0, n: 0 };
    s.sum += q.iv;
    s.n++;
    by.set(q.strike, s);
  }
  return [...by.entries()].map(([k, s]) => ({ k, iv: s.sum / s.n })).sort((a, b) => a.k - b.k);
}

/** Linear in strike between neighbours, flat beyond the ends. */
function onSmile(points: ReadonlyArray<{ k: number; iv: number }>, k: number): number | null {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return null;
  if (k <= first.k) return first.iv;
  if (k >= last.k) return last.iv;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as { k: number; iv: number };
    const b = points[i] as { k: number; iv: number };
    if (k <= b.k) return a.iv + ((b.iv - a.iv) * (k - a.k)) / (b.k - a.k);
  }
  return last.iv;
}

/**
 * The surface's IV for a contract: on its own expiry's smile when that expiry was stored; else the
 * bracketing expiries' IVs at the same moneyness, interpolated in total variance (flat beyond).
 */
export function surfaceIv(quotes: readonly OptionQuote[], spot: number, ref: OptionContractRef, nowMs: number): number | null {
  const own = smile(quotes, ref.expiry);
  if (own.length > 0) return onSmile(own, ref.strike);
  const expiries = [...new Set(quotes.filter((q) => q.iv !== null).map((q) => q.expiry))].sort();
  if (expiries.length === 0) return null;
  const t = yearsToExpiry(ref.expiry, nowMs);
  const m = ref.strike / spot;
  const at = (e: string): { t: number; iv: number } => ({ t: yearsToExpiry(e, nowMs), iv: onSmile(smile(quotes, e), m * spot) as number });
  const before = expiries.filter((e) => e < ref.expiry).pop();
  const after = expiries.find((e) => e > ref.expiry);
  if (!before || !after) return at((before ?? after) as string).iv;
  const a = at(before);
  const b = at(after);
  const w = (t - a.t) / (b.t - a.t);
  const variance = a.iv * a.iv * a.t + w * (b.iv * b.iv * b.t - a.iv * a.iv * a.t);
  return Math.sqrt(Math.max(variance, 1e-8) / t);
}

const cents = (x: number): number => Math.round(x * 100) / 100;

/**
 * A BSM quote at the surface IV and the current spot; bid/ask as wide as the nearest stored quote
 * of the expiry (else a cent plus 2% of the value), on the cent grid, the bid never below zero.
 * Null when the surface has no IV at all (nothing to model from).
 */
export function modelQuote(quotes: readonly OptionQuote[], spot: number, ref: OptionContractRef, nowMs: number, carry: Carry): OptionQuote | null {
  const iv = surfaceIv(quotes, spot, ref, nowMs);
  if (iv === null) return null;
  const t = yearsToExpiry(ref.expiry, nowMs);
  const g = bsmGreeks({ right: ref.right, spot, strike: ref.strike, t, r: carry.r, q: carry.q, vol: iv });
  let nearest: OptionQuote | null = null;
  for (const q of quotes) {
    if (q.expiry !== ref.expiry || q.right !== ref.right || q.bid === null || q.ask === null) continue;
    if (!nearest || Math.abs(q.strike - ref.strike) < Math.abs(nearest.strike - ref.strike)) nearest = q;
  }
  const width = Math.max(0.01, nearest ? (nearest.ask as number) - (nearest.bid as number) : 0.01 + 0.02 * g.price);
  const bid = Math.max(0, cents(g.price - width / 2));
  const ask = Math.max(0.01, cents(bid + width));
  return { ...pick(ref), bid, ask, mid: (bid + ask) / 2, iv, delta: g.delta, gamma: g.gamma, theta: g.theta, vega: g.vega, open_interest: null, con_id: null };
}

const pick = (r: OptionContractRef): OptionContractRef => ({ symbol: r.symbol, expiry: r.expiry, right: r.right, strike: r.strike });

/**
 * The 30-day at-the-money IV of a snapshot: each expiry's IV at the spot, interpolated in total
 * variance to 30 calendar days (the nearest expiry's when none brackets 30 days). VIX and IV
 * history are derived from it where a source has neither.
 */
export function atmIv30(quotes: readonly OptionQuote[], spot: number, nowMs: number): number | null {
  const target = THIRTY_DAYS_MS / YEAR_MS;
  const points = [...new Set(quotes.map((q) => q.expiry))]
    .sort()
    .map((e) => ({ t: yearsToExpiry(e, nowMs), iv: onSmile(smile(quotes, e), spot) }))
    .filter((p): p is { t: number; iv: number } => p.iv !== null && p.t > 1 / 365);
  if (points.length === 0) return null;
  const after = points.findIndex((p) => p.t >= target);
  if (after <= 0) return (points[after === 0 ? 0 : points.length - 1] as { iv: number }).iv;
  const a = points[after - 1] as { t: number; iv: number };
  const b = points[after] as { t: number; iv: number };
  const w = (target - a.t) / (b.t - a.t);
  return Math.sqrt((a.iv * a.iv * a.t + w * (b.iv * b.iv * b.t - a.iv * a.iv * a.t)) / target);
}
