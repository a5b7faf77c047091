import { ManualClock, systemClock, type Clock } from '../shared/clock';
import { CliExit, EXIT } from './exit-codes';

/** An integer flag, or exit 1 naming it. */
export function integerOption(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new CliExit(EXIT.INPUT, `${flag} must be an integer, got "${text}"`);
  return n;
}

/** `--at ISO`: a clock stopped at that instant; the system clock without it. */
export function clockAt(at: string | undefined): Clock {
  if (at === undefined) return systemClock;
  const t = Date.parse(at);
  if (!Number.isFinite(t)) throw new CliExit(EXIT.INPUT, `--at must be an ISO time like 2026-11-24T15:00:00Z, got "${at}"`);
  return new ManualClock(t);
}
