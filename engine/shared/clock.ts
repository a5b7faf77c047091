/**
 * Time is injected: pure code never calls Date.now(). A Clock returns epoch milliseconds (UTC);
 * conversion to exchange time (America/New_York) lives in engine/shared/exchange-time.ts.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock that only moves when told to: tests, backtests and the demo's virtual time. */
export class ManualClock implements Clock {
  private t: number;

  constructor(start: number | string | Date) {
    this.t = typeof start === 'number' ? start : new Date(start).getTime();
    if (!Number.isFinite(this.t)) throw new RangeError(`ManualClock: invalid start time ${String(start)}`);
  }

  now(): number {
    return this.t;
  }

  set(t: number | string | Date): void {
    const next = typeof t === 'number' ? t : new Date(t).getTime();
    if (!Number.isFinite(next)) throw new RangeError(`ManualClock: invalid time ${String(t)}`);
    this.t = next;
  }

  advance(ms: number): void {
    this.t += ms;
  }
}
