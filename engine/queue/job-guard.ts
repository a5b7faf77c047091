import type { MaintenanceWindow, TaskConfig } from '../config/types';
import { describeWindow, maintenanceAt } from '../config/maintenance-window';
import { exchangeDate } from '../shared/exchange-time';
import { isMarketOpen, isTradingDay } from '../shared/market-calendar';

/** The data every job carries (scheduled or ad hoc). */
export interface TaskJobData {
  readonly task: string;
  readonly config_hash: string;
  /** Epoch ms the job was meant to run at. */
  readonly scheduled_for: number;
  readonly params: Readonly<Record<string, unknown>>;
}

export type GuardVerdict =
  | { readonly run: true }
  | { readonly run: false; readonly status: 'skipped' | 'missed' | 'refused'; readonly reason: string }
  /** Inside a broker maintenance window: run again at `until` (its end), not now. */
  | { readonly run: false; readonly status: 'deferred'; readonly reason: string; readonly until: number };

/** The broker maintenance windows that apply (only when the engine runs against IB). */
export interface MaintenanceSchedule {
  readonly windows: readonly MaintenanceWindow[];
  readonly timezone: string;
}

/**
 * Decides, before a handler runs, whether it may: the calendar requirement, the misfire grace (BullMQ
 * runs one overdue job after an outage however late it is), the config hash the job was made under,
 * and for tasks that need the broker, a broker maintenance window (wait for its end, never fail).
 */
export function guardJob(task: TaskConfig, job: TaskJobData, nowMs: number, configHash: string, maintenance: MaintenanceSchedule | null = null): GuardVerdict {
  if (job.config_hash !== configHash) {
    return { run: false, status: 'refused', reason: `job made under config ${job.config_hash.slice(0, 12)}, engine runs ${configHash.slice(0, 12)}: re-enqueue under the current config` };
  }
  const late = nowMs - job.scheduled_for;
  if (late > task.misfire_grace_ms) {
    return { run: false, status: 'missed', reason: `started ${Math.round(late / 1000)} s after ${new Date(job.scheduled_for).toISOString()}, past the misfire grace of ${Math.round(task.misfire_grace_ms / 1000)} s` };
  }
  if (task.requires === 'trading_day' && !isTradingDay(exchangeDate(nowMs))) return { run: false, status: 'skipped', reason: 'market closed' };
  if (task.requires === 'market_open' && !isMarketOpen(nowMs)) return { run: false, status: 'skipped', reason: 'market closed' };
  const window = task.needs_broker && maintenance ? maintenanceAt(maintenance.windows, maintenance.timezone, nowMs) : null;
  if (window) return { run: false, status: 'deferred', reason: `broker maintenance window ${describeWindow(window, maintenance?.timezone ?? 'America/New_York')}: runs when it ends`, until: window.end_ms };
  return { run: true };
}
