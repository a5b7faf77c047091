import type { ExpiryInfo, ExpiryKind } from '../../../market/market-data';
import { addDays, calendarDaysBetween, isoWeekday } from '../../../shared/exchange-time';
import { onOrBeforeTradingDay } from '../../../shared/market-calendar';

const DAILY_UNTIL = 14;
const WEEKLY_UNTIL = 70;
const MONTHLY_UNTIL = 400;
/** A Friday holiday moves its expiry back a day; a few days of slack cover any run of closed days. */
const HOLIDAY_SLACK_DAYS = 4;

const RANK: Readonly<Record<ExpiryKind, number>> = { daily: 0, weekly: 1, monthly: 2 };

/** The kind of expiry scheduled on a weekday (before holidays are applied), or null. */
function kindOf(date: string, dte: number): ExpiryKind | null {
  const wd = isoWeekday(date);
  if (wd > 5) return null;
  const dom = Number(date.slice(8, 10));
  if (wd === 5 && dom >= 15 && dom <= 21) return 'monthly';
  if (wd === 5 && dte <= WEEKLY_UNTIL) return 'weekly';
  if (dte <= DAILY_UNTIL) return 'daily';
  return null;
}

/**
 * Strikes an exchange would list around the spot: `step` apart within ±12%, 5 points apart out to
 * ±35%, a little wider for longer expiries (their strikes were listed when spot was elsewhere).
 */
export function listStrikes(spot: number, step: number, dte: number): number[] {
  const near = 0.12 + Math.min(0.08, dte / 3650);
  const far = 0.35;
  const out: number[] = [];
  const lo = Math.floor((spot * (1 - far)) / 5) * 5;
  const hi = Math.ceil((spot * (1 + far)) / 5) * 5;
  for (let k = lo; k <= hi; k += step) {
    const inner = Math.abs(k / spot - 1) <= near;
    if (inner || k % 5 === 0) out.push(k);
  }
  return out;
}

/**
 * Daily expiries for two weeks, Friday weeklies to 70 DTE, third-Friday monthlies beyond — on the
 * NYSE calendar: an expiry scheduled on an exchange holiday moves to the trading day before it, as
 * OCC moves them (Good Friday 2026-04-03 → Thursday 04-02, Juneteenth 2026-06-19 → 06-18, the
 * monthly included); a daily on a holiday is simply not listed (the day before has its own). Where
 * a moved expiry lands on a day that already has one, the longer-lived kind names it.
 */
export function listExpiries(today: string, spot: number, step: number, dteMin: number, dteMax: number): ExpiryInfo[] {
  return expirySchedule(today, dteMin, dteMax).map((e) => ({ ...e, strikes: listStrikes(spot, step, e.dte) }));
}

// The dates and kinds depend on the day and the DTE window only; every chain the sim serves asks
// for them (each 5-minute collection, each analysis), a backtest a year of times.
const schedules = new Map<string, ReadonlyArray<Omit<ExpiryInfo, 'strikes'>>>();

function expirySchedule(today: string, dteMin: number, dteMax: number): ReadonlyArray<Omit<ExpiryInfo, 'strikes'>> {
  const key = `${today}|${dteMin}|${dteMax}`;
  const known = schedules.get(key);
  if (known) return known;
  const byDate = new Map<string, ExpiryKind>();
  const last = Math.min(dteMax, MONTHLY_UNTIL) + HOLIDAY_SLACK_DAYS;
  for (let nominalDte = Math.max(0, dteMin); nominalDte <= last; nominalDte++) {
    const nominal = addDays(today, nominalDte);
    const kind = kindOf(nominal, nominalDte);
    if (!kind) continue;
    const expiry = onOrBeforeTradingDay(nominal);
    if (kind === 'daily' && expiry !== nominal) continue;
    const had = byDate.get(expiry);
    if (had === undefined || RANK[kind] > RANK[had]) byDate.set(expiry, kind);
  }
  const out: Array<Omit<ExpiryInfo, 'strikes'>> = [];
  for (const [expiry, kind] of [...byDate.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const dte = calendarDaysBetween(today, expiry);
    if (dte < dteMin || dte > dteMax || dte < 0) continue;
    out.push({ expiry, dte, kind });
  }
  if (schedules.size > 4096) schedules.clear();
  schedules.set(key, out);
  return out;
}
