import { DateTime } from 'luxon';

/** Schedules, expiries and the calendar all live in the exchange's zone. */
export const EXCHANGE_TZ = 'America/New_York';

/** The exchange calendar date (YYYY-MM-DD) of an instant. */
export function exchangeDate(ms: number): string {
  return exchangeMinute(ms).date;
}

/** Minutes since exchange midnight of an instant (09:30 → 570). */
export function exchangeMinuteOfDay(ms: number): number {
  return exchangeMinute(ms).minuteOfDay;
}

interface ExchangeMinute {
  readonly date: string;
  readonly minuteOfDay: number;
}

// Zone offsets change on whole minutes at most: one conversion per minute is exact, and the
// engine asks for the same few minutes thousands of times (every job, position and quote).
const byMinute = new Map<number, ExchangeMinute>();

function exchangeMinute(ms: number): ExchangeMinute {
  const minute = Math.floor(ms / 60_000);
  let m = byMinute.get(minute);
  if (m === undefined) {
    const d = DateTime.fromMillis(minute * 60_000, { zone: EXCHANGE_TZ });
    m = { date: d.toISODate() as string, minuteOfDay: d.hour * 60 + d.minute };
    if (byMinute.size > 4096) byMinute.clear();
    byMinute.set(minute, m);
  }
  return m;
}

// Expiry closes and session times are asked for per leg and per position every cycle: a few
// distinct (date, time) pairs, each converted once.
const instants = new Map<string, number>();

/** The instant of HH:MM exchange time on a YYYY-MM-DD exchange date (DST-correct). */
export function exchangeInstant(date: string, hhmm: string): number {
  const key = `${date}T${hhmm}`;
  const known = instants.get(key);
  if (known !== undefined) return known;
  const d = DateTime.fromISO(key, { zone: EXCHANGE_TZ });
  if (!d.isValid) throw new RangeError(`invalid exchange date/time ${date} ${hhmm}`);
  if (instants.size > 4096) instants.clear();
  instants.set(key, d.toMillis());
  return d.toMillis();
}

/** Calendar days from one exchange date to another (expiry − today): the DTE convention. */
export function calendarDaysBetween(fromDate: string, toDate: string): number {
  const a = Date.parse(`${fromDate}T00:00:00Z`);
  const b = Date.parse(`${toDate}T00:00:00Z`);
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new RangeError(`invalid date ${fromDate} or ${toDate}: expected YYYY-MM-DD`);
  return Math.round((b - a) / 86_400_000);
}

/** Days to expiry of an expiry date (YYYY-MM-DD) as seen at an instant. */
export function dteAt(expiry: string, nowMs: number): number {
  return calendarDaysBetween(exchangeDate(nowMs), expiry);
}

/** Midnight UTC of a YYYY-MM-DD date, or NaN. */
function utcDay(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return Number.NaN;
  const t = Date.parse(`${date}T00:00:00Z`);
  // Date.parse rolls 02-30 over to 03-02: only a date that comes back as itself is valid.
  return Number.isFinite(t) && new Date(t).toISOString().startsWith(date) ? t : Number.NaN;
}

/**
 * Adds whole calendar days to a YYYY-MM-DD date. Plain UTC arithmetic (calendar dates have no
 * zone): the sim lists expiries with this for every chain it serves, and a backtest asks a year's
 * worth; luxon's zone machinery was most of that time.
 */
export function addDays(date: string, days: number): string {
  const key = `${date}+${days}`;
  const known = added.get(key);
  if (known !== undefined) return known;
  const t = utcDay(date);
  if (!Number.isFinite(t)) throw new RangeError(`invalid date ${date}: expected YYYY-MM-DD`);
  const out = new Date(t + days * 86_400_000).toISOString().slice(0, 10);
  if (added.size > 16_384) added.clear();
  added.set(key, out);
  return out;
}

const added = new Map<string, string>();

/** Day of week of a YYYY-MM-DD date: 1 Monday … 7 Sunday (ISO). */
export function isoWeekday(date: string): number {
  const known = weekdays.get(date);
  if (known !== undefined) return known;
  const t = utcDay(date);
  if (!Number.isFinite(t)) throw new RangeError(`invalid date ${date}: expected YYYY-MM-DD`);
  const wd = new Date(t).getUTCDay() || 7;
  if (weekdays.size > 16_384) weekdays.clear();
  weekdays.set(date, wd);
  return wd;
}

const weekdays = new Map<string, number>();
