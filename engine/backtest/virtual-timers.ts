import type { ManualClock } from '../shared/clock';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly wake: () => void;
}

/**
 * Sleeps on virtual time. Live, the orders worker walks a price for minutes while the tasks worker
 * keeps running the 5-minute jobs; on a manual clock the same overlap needs the sleeper to wait
 * for the clock instead of moving it. A sleep registers a wake-up time; whoever drives the clock
 * (the virtual-time driver) wakes the sleepers whose time has come, in time order, as it advances.
 */
export class VirtualTimers {
  private readonly timers: Timer[] = [];
  private seq = 0;

  constructor(
    private readonly clock: ManualClock,
    /** Runs after the clock moves to a wake-up time, before the sleeper resumes (the paper broker matches there). */
    private readonly onAdvance: (now: number) => Promise<void> = async () => undefined,
  ) {}

  sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    if (!(ms > 0) || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // A stop signal wakes the sleeper at once, as a real timer would be cleared; a normal wake
      // removes the listener (one per sleep would pile up on the process's long-lived signal).
      const onAbort = (): void => {
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
        resolve();
      };
      const timer: Timer = {
        at: this.clock.now() + ms,
        seq: this.seq++,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.timers.push(timer);
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  /** Sleepers not yet woken. */
  get sleeping(): number {
    return this.timers.length;
  }

  /** The earliest wake-up time, or null when nobody sleeps. */
  nextAt(): number | null {
    return this.timers[0]?.at ?? null;
  }

  /** Moves the clock to the earliest wake-up time (never back) and wakes every sleeper due then. */
  async wakeNext(): Promise<void> {
    const first = this.timers[0];
    if (!first) return;
    if (first.at > this.clock.now()) this.clock.set(first.at);
    await this.onAdvance(this.clock.now());
    while (this.timers.length > 0 && this.timers[0]!.at <= this.clock.now()) this.timers.shift()!.wake();
  }
}
