import { DateTime } from 'luxon';
import { exchangeDate, exchangeInstant } from './exchange-time';

/**
 * The NYSE calendar, generated from the exchange's holiday rules (no maintained npm package covers
 * NYSE's observance rules and special closures correctly, so the rules live here, tested against
 * the published 2025–2028 schedules):
 * - New Year's Day (a Saturday Jan 1 is NOT observed on the preceding Friday), Martin Luther King Jr.
 *   Day (3rd Monday of January), Washington's Birthday (3rd Monday of February), Good Friday,
 *   Memorial Day (last Monday of May), Juneteenth, Independence Day, Labor Day (1st Monday of
 *   September), Thanksgiving (4th Thursday of November), Christmas; Saturday holidays are observed
 *   the Friday before, Sunday holidays the Monday after.
 * - Early closes at 13:00 ET: July 3 when it falls Monday–Thursday, the day after Thanksgiving, and
 *   December 24 when it falls Monday–Thursday.
 * - Special closures the rules cannot know (national days of mourning) are listed explicitly.
 */
const SPECIAL_CLOSURES: ReadonlySet<string> = new Set([
  '2025-01-09', // National Day of Mourning for President Carter
]);

const pad = (n: number): string => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number): string => `${y}-${pad(m)}-${pad(d)}`;
// Plain UTC date arithmetic: the simulated market walks thousands of days through here on first use.
const DAY_MS = 86_400_000;
const weekday = (date: string): number => {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
};
const shift = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

function nthWeekday(year: number, month: number, wd: number, n: number): string {
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone: 'UTC' });
  const offset = (wd - first.weekday + 7) % 7;
  return first.plus({ days: offset + 7 * (n - 1) }).toISODate() as string;
}

function lastWeekday(year: number, month: number, wd: number): string {
  const last = DateTime.fromObject({ year, month, day: 1 }, { zone: 'UTC' }).endOf('month');
  const back = (last.weekday - wd + 7) % 7;
  return last.minus({ days: back }).toISODate() as string;
}

/** Gregorian Easter Sunday (anonymous computus). */
function easter(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month, day);
}

function observed(date: string): string {
  const wd = weekday(date);
  if (wd === 6) return shift(date, -1);
  if (wd === 7) return shift(date, 1);
  return date;
}

const cache = new Map<number, { holidays: Set<string>; early: Set<string> }>();

function year(y: number): { holidays: Set<string>; early: Set<string> } {
  const hit = cache.get(y);
  if (hit) return hit;
  const holidays = new Set<string>();
  const ny = iso(y, 1, 1);
  if (weekday(ny) !== 6) holidays.add(observed(ny));
  holidays.add(nthWeekday(y, 1, 1, 3));
  holidays.add(nthWeekday(y, 2, 1, 3));
  holidays.add(shift(easter(y), -2));
  holidays.add(lastWeekday(y, 5, 1));
  if (y >= 2022) holidays.add(observed(iso(y, 6, 19)));
  holidays.add(observed(iso(y, 7, 4)));
  holidays.add(nthWeekday(y, 9, 1, 1));
  const thanksgiving = nthWeekday(y, 11, 4, 4);
  holidays.add(thanksgiving);
  holidays.add(observed(iso(y, 12, 25)));
  for (const s of SPECIAL_CLOSURES) if (s.startsWith(`${y}-`)) holidays.add(s);
  const early = new Set<string>();
  const jul3 = iso(y, 7, 3);
  if (weekday(jul3) <= 4 && !holidays.has(jul3)) early.add(jul3);
  early.add(shift(thanksgiving, 1));
  const dec24 = iso(y, 12, 24);
  if (weekday(dec24) <= 4 && !holidays.has(dec24)) early.add(dec24);
  const out = { holidays, early };
  cache.set(y, out);
  return out;
}

export interface Session {
  readonly date: string;
  readonly open_ms: number;
  readonly close_ms: number;
  readonly early_close: boolean;
}

export function isHoliday(date: string): boolean {
  return year(Number(date.slice(0, 4))).holidays.has(date);
}

export function isTradingDay(date: string): boolean {
  return weekday(date) <= 5 && !isHoliday(date);
}

export function isEarlyClose(date: string): boolean {
  return isTradingDay(date) && year(Number(date.slice(0, 4))).early.has(date);
}

/** The regular session of a date (09:30–16:00 ET, 13:00 on early closes), null when closed. */
export function session(date: string): Session | null {
  // Every job's guard asks; a date's session never changes, and its zone conversions are not free.
  let s = sessions.get(date);
  if (s === undefined) {
    const early = isEarlyClose(date);
    s = isTradingDay(date) ? Object.freeze({ date, open_ms: exchangeInstant(date, '09:30'), close_ms: exchangeInstant(date, early ? '13:00' : '16:00'), early_close: early }) : null;
    if (sessions.size > 4096) sessions.clear();
    sessions.set(date, s);
  }
  return s;
}
const sessions = new Map<string, Session | null>();

export function isMarketOpen(ms: number): boolean {
  const s = session(exchangeDate(ms));
  return s !== null && ms >= s.open_ms && ms < s.close_ms;
}

export function nextTradingDay(date: string): string {
  let d = shift(date, 1);
  while (!isTradingDay(d)) d = shift(d, 1);
  return d;
}

export function previousTradingDay(date: string): string {
  let d = shift(date, -1);
  while (!isTradingDay(d)) d = shift(d, -1);
  return d;
}

/** The date itself when it is a trading day, else the trading day before it (where a holiday expiry moves). */
export function onOrBeforeTradingDay(date: string): string {
  return isTradingDay(date) ? date : previousTradingDay(date);
}

/**
 * Trading days after `from` up to and including `to` (0 when `to` ≤ `from`): a loss on Monday is
 * 0 trading days ago on Monday, 1 on Tuesday, and still 1 on the Saturday after a Tuesday.
 */
export function tradingDaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = shift(from, 1); d <= to; d = shift(d, 1)) if (isTradingDay(d)) n++;
  return n;
}

/** Holidays of a year, sorted (for `thetadesk schedule list` and the tests). */
export function holidays(y: number): string[] {
  return [...year(y).holidays].sort();
}

export function earlyCloses(y: number): string[] {
  return [...year(y).early].sort();
}

