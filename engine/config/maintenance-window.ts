import { DateTime } from 'luxon';
import type { MaintenanceWindow } from './types';

export interface ActiveWindow {
  readonly name: string;
  /** Epoch ms the current occurrence began and ends. */
  readonly start_ms: number;
  readonly end_ms: number;
}

/** A window runs at most 7 days, so an occurrence covering now began within the last 7 days. */
const LOOKBACK_DAYS = 8;

/**
 * The broker maintenance window `nowMs` falls in (the one ending last when several overlap), or
 * null. `slackMs` widens every occurrence on both sides (a restart a little early or late is still
 * the expected one). Pure: the time zone and the instant are arguments.
 */
export function maintenanceAt(windows: readonly MaintenanceWindow[], tz: string, nowMs: number, slackMs = 0): ActiveWindow | null {
  if (windows.length === 0) return null;
  const today = DateTime.fromMillis(nowMs, { zone: tz }).startOf('day');
  let best: ActiveWindow | null = null;
  for (let back = -1; back < LOOKBACK_DAYS; back++) {
    const day = today.minus({ days: back });
    for (const w of windows) {
      if (!w.days.includes(day.weekday)) continue;
      // Wall-clock start in the zone (adding minutes to midnight would shift by an hour on DST days).
      const start = day.set({ hour: Math.floor(w.start_min / 60), minute: w.start_min % 60 }).toMillis();
      const end = start + w.duration_ms;
      if (nowMs >= start - slackMs && nowMs < end + slackMs && (!best || end > best.end_ms)) best = { name: w.name, start_ms: start, end_ms: end };
    }
  }
  return best;
}

/** "daily_restart (23:45–00:45 America/New_York)": how a window is named in logs and alerts. */
export function describeWindow(a: ActiveWindow, tz: string): string {
  const t = (ms: number): string => DateTime.fromMillis(ms, { zone: tz }).toFormat('ccc HH:mm');
  return `${a.name} (${t(a.start_ms)}–${t(a.end_ms)} ${tz})`;
}
