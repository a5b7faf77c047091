import { DateTime } from 'luxon';

export interface DailyRestartOptions {
  /** Time of day in America/New_York, HH:MM (IB Gateway's auto-restart setting; 23:45 by default there). */
  readonly at: string;
  /** How long the gateway is down (ms of the gateway's clock). */
  readonly downMs: number;
}

export interface DailyRestartDeps {
  /** The gateway's clock, epoch ms. */
  readonly now: () => number;
  readonly schedule?: DailyRestartOptions;
  readonly goDown: () => Promise<void>;
  readonly comeBack: () => Promise<void>;
  /** Wall-clock polling interval (the gateway's clock may be simulated). */
  readonly pollMs?: number;
}

const ZONE = 'America/New_York';

/** The next instant at or after `fromMs` whose ET time of day is `hhmm`. */
export function nextDailyAt(fromMs: number, hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new RangeError(`daily restart time must be HH:MM, got "${hhmm}"`);
  const from = DateTime.fromMillis(fromMs, { zone: ZONE });
  let at = from.set({ hour: Number(m[1]), minute: Number(m[2]), second: 0, millisecond: 0 });
  if (at.toMillis() < fromMs) at = at.plus({ days: 1 });
  return at.toMillis();
}

/**
 * IB Gateway restarts itself once a day: at the set time every socket drops and nothing listens
 * until it is back. Driven by the gateway's clock (polled on the wall clock) so tests can move a
 * simulated clock through the restart.
 */
export class DailyRestart {
  private timer: NodeJS.Timeout | null = null;
  private nextAt: number | null = null;
  private downMs = 0;
  private upAt: number | null = null;
  private busy = false;

  constructor(private readonly d: DailyRestartDeps) {}

  get down(): boolean {
    return this.upAt !== null;
  }

  start(): void {
    if (this.d.schedule && this.nextAt === null) {
      this.nextAt = nextDailyAt(this.d.now(), this.d.schedule.at);
      this.downMs = this.d.schedule.downMs;
    }
    // Nothing scheduled, nothing to poll.
    if (this.nextAt === null) return;
    this.timer ??= setInterval(() => void this.tick(), this.d.pollMs ?? 100);
    this.timer.unref();
  }

  /** One restart at `atMs`, down for `downMs` (replaces the next scheduled one). */
  once(atMs: number, downMs: number): void {
    this.nextAt = atMs;
    this.downMs = downMs;
    this.start();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const now = this.d.now();
      if (this.upAt === null && this.nextAt !== null && now >= this.nextAt) {
        this.upAt = this.nextAt + this.downMs;
        this.nextAt = this.d.schedule ? nextDailyAt(this.nextAt + 60_000, this.d.schedule.at) : null;
        await this.d.goDown();
      } else if (this.upAt !== null && now >= this.upAt) {
        await this.d.comeBack();
        this.upAt = null;
      }
    } catch {
      // Could not listen again yet (the port is briefly held): the next tick tries again.
    } finally {
      this.busy = false;
    }
  }
}
