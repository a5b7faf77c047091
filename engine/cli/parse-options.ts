import { DateTime } from 'luxon';
import { ManualClock, systemClock, type Clock } from '../shared/clock';
import { quoteValue } from '../shared/quote-value';
import { CliExit, EXIT } from './exit-codes';

const bad = (msg: string): CliExit => new CliExit(EXIT.INPUT, msg);

/**
 * An integer flag written in decimal digits, within [min, max], or exit 1 naming it. `Number()`
 * alone would take '' as 0, '0x10' as 16 and '1e3' as 1000.
 */
export function integerOption(flag: string, text: string, min = 0, max = 4_294_967_295): number {
  const n = /^-?\d{1,16}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw bad(`${flag} must be a whole number, got ${quoteValue(text)}`);
  if (n < min || n > max) throw bad(`${flag} must be from ${min} to ${max}, got ${n}`);
  return n;
}

/** Instants and dates the engine's calendar and simulated market are meant for. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

/** An ISO instant with its zone (`2026-11-24T15:00:00Z`, `…T10:00-05:00`): a time without one would be the machine's local time. */
export function instantOption(flag: string, text: string): number {
  const shape = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
  const t = shape.test(text) ? DateTime.fromISO(text, { setZone: true }) : null;
  if (!t || !t.isValid) throw bad(`${flag} must be an ISO time with its zone like 2026-11-24T15:00:00Z, got ${quoteValue(text)}`);
  if (t.year < FIRST_YEAR || t.year > LAST_YEAR) throw bad(`${flag} must be between ${FIRST_YEAR} and ${LAST_YEAR}, got ${quoteValue(text)}`);
  return t.toMillis();
}

/** `--at ISO`: a clock stopped at that instant; the system clock without it. */
export function clockAt(at: string | undefined): Clock {
  return at === undefined ? systemClock : new ManualClock(instantOption('--at', at));
}

/** A calendar date YYYY-MM-DD that exists (2026-02-30 does not). */
export function dateOption(flag: string, text: string): string {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text, { zone: 'UTC' }) : null;
  if (!d || !d.isValid) throw bad(`${flag} must be a date like 2026-01-05 (YYYY-MM-DD), got ${quoteValue(text)}`);
  if (d.year < FIRST_YEAR || d.year > LAST_YEAR) throw bad(`${flag} must be between ${FIRST_YEAR} and ${LAST_YEAR}, got ${text}`);
  return text;
}

/**
 * `--symbols SPY,QQQ`: upper-cased, each one an underlying of strategies.yaml. Empty text or an
 * empty entry is an error (#13: `--symbols ''` analysed every symbol and `--symbols ','` none).
 */
export function symbolsOption(flag: string, text: string, configured: readonly string[]): string[] {
  const items = text.split(',').map((s) => s.trim().toUpperCase());
  if (items.every((s) => s === '')) throw bad(`${flag} is empty; give symbols like ${configured.slice(0, 2).join(',')}, or leave ${flag} out for every underlying (${configured.join(', ')})`);
  if (items.some((s) => s === '')) throw bad(`${flag} ${quoteValue(text)} has an empty entry; separate symbols with single commas`);
  const unknown = items.filter((s) => !configured.includes(s));
  if (unknown.length > 0) throw bad(`no underlying ${unknown.map((u) => (/^[A-Z0-9.]{1,12}$/.test(u) ? u : quoteValue(u, 12))).join(', ')} in strategies.yaml; configured: ${configured.join(', ')}`);
  return [...new Set(items)];
}
