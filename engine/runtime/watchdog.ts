import type { AlertRaiser } from '../alerts/alert';
import type { WatchdogConfig } from '../config/types';
import { session } from '../shared/market-calendar';
import type { Clock } from '../shared/clock';
import { errorMessage } from '../shared/errors';
import { exchangeDate } from '../shared/exchange-time';
import { EngineStateRepo } from '../store/engine-state-repo';
import type { Db } from '../store/journal';
import { RunsRepo } from '../store/runs-repo';

export type WatchdogState = 'ok' | 'overdue' | 'market_closed' | 'disabled';

export interface WatchdogStatus {
  readonly state: WatchdogState;
  /** End of the monitor's last successful run (epoch ms), from the journal. */
  readonly last_ok_at: number | null;
  /** From when its absence counts: the later of that run and today's open. */
  readonly since: number | null;
  readonly limit_ms: number;
  readonly detail: string;
}

const min = (ms: number): string => `${(ms / 60_000).toFixed(1)} min`;
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The verdict, pure: overdue when the market is open and the monitor's last completion (or today's
 * open, whichever is later) lies more than the limit back. Outside market hours nothing is expected.
 */
export function watchdogStatus(cfg: WatchdogConfig, lastOk: number | null, nowMs: number): WatchdogStatus {
  const base = { last_ok_at: lastOk, limit_ms: cfg.limit_ms };
  const last = lastOk === null ? 'never' : iso(lastOk);
  if (!cfg.enabled) return { ...base, state: 'disabled', since: null, detail: `disabled; ${cfg.task} last completed ${last}` };
  const s = session(exchangeDate(nowMs));
  if (!s || nowMs < s.open_ms || nowMs >= s.close_ms) return { ...base, state: 'market_closed', since: null, detail: `market closed; ${cfg.task} last completed ${last}` };
  const since = Math.max(lastOk ?? Number.NEGATIVE_INFINITY, s.open_ms);
  const quiet = nowMs - since;
  const limit = `limit ${min(cfg.limit_ms)} = ${cfg.intervals} × ${min(cfg.interval_ms)}`;
  if (quiet > cfg.limit_ms) {
    return { ...base, state: 'overdue', since, detail: `${cfg.task} has not completed since ${iso(since)}${lastOk === null || lastOk < s.open_ms ? ' (the open)' : ''}: ${min(quiet)} during market hours (${limit}); open positions are not being watched` };
  }
  return { ...base, state: 'ok', since, detail: `${cfg.task} completed ${lastOk !== null && lastOk >= s.open_ms ? `${min(quiet)} ago` : `not yet today (open ${min(quiet)} ago)`} (${limit})` };
}

/** The verdict from the journal (status, health_check and the timer all read it the same way). */
export function readWatchdog(db: Db, cfg: WatchdogConfig, nowMs: number): WatchdogStatus {
  return watchdogStatus(cfg, new RunsRepo(db).lastOkEnd(cfg.task), nowMs);
}

export interface WatchdogOptions {
  readonly db: Db;
  readonly config: WatchdogConfig;
  readonly clock: Clock;
  readonly alerts: AlertRaiser;
  readonly log: (line: string) => void;
}

/** What the last transition was, in the journal's engine_state (for `thetadesk status`). */
export interface WatchdogRecord {
  readonly state: WatchdogState;
  readonly at: number;
  readonly pid: number;
  readonly detail: string;
}
export const WATCHDOG_KEY = 'watchdog';

/**
 * A timer inside each `run`/`worker` process: it reads only the journal and the clock, so it goes
 * on when Redis, the queues or the workers do not. On the way into `overdue` one critical alert,
 * on the way out one line and an info alert; each transition is also recorded for `status`.
 */
export class Watchdog {
  private timer: NodeJS.Timeout | null = null;
  private last: WatchdogState | null = null;
  private checking = false;

  constructor(private readonly o: WatchdogOptions) {}

  status(): WatchdogStatus {
    try {
      return readWatchdog(this.o.db, this.o.config, this.o.clock.now());
    } catch (e) {
      // A journal that cannot be read proves nothing ran: as loud as a monitor that did not.
      return { state: 'overdue', last_ok_at: null, since: null, limit_ms: this.o.config.limit_ms, detail: `cannot read ${this.o.config.task}'s runs from the journal (${errorMessage(e)}): whether open positions are watched is unknown` };
    }
  }

  async check(): Promise<WatchdogStatus> {
    const s = this.status();
    if (this.checking) return s;
    this.checking = true;
    try {
      const prev = this.last;
      this.last = s.state;
      if (s.state === 'overdue' && prev !== 'overdue') {
        this.o.log(`watchdog: ${s.detail}`);
        this.record(s);
        await this.o.alerts.raise({ severity: 'critical', kind: 'watchdog', message: `watchdog: ${s.detail}` });
      } else if (prev === 'overdue' && s.state !== 'overdue') {
        this.o.log(`watchdog: ${s.state === 'ok' ? s.detail : `cleared (${s.detail})`}`);
        this.record(s);
        await this.o.alerts.raise({ severity: 'info', kind: 'watchdog', message: `watchdog cleared: ${s.detail}` });
      }
      return s;
    } finally {
      this.checking = false;
    }
  }

  private record(s: WatchdogStatus): void {
    try {
      new EngineStateRepo(this.o.db).set(WATCHDOG_KEY, { state: s.state, at: this.o.clock.now(), pid: process.pid, detail: s.detail } satisfies WatchdogRecord, this.o.clock.now());
    } catch {
      // the alert and the line carry it; a journal that cannot take the write is the journal guard's to report
    }
  }

  start(): void {
    if (this.timer || !this.o.config.enabled) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.o.config.check_every_ms);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
