import { DateTime } from 'luxon';
import type { Problem } from '../problem';
import { dataOf, problemAt, type LintContext } from '../lint-context';
import type { RawSchedules } from '../raw-types';
import { parseDuration, parseHhmm } from '../duration';
import { windowDurationMs } from '../compile-config';
import { isValidZone } from '../schedule-times';
import { WEEKDAYS } from '../types';

const WEEK_MS = 7 * 86_400_000;
const MARKET_ZONE = 'America/New_York';
// The reference week of the other schedule checks: Mon 2026-01-05 .. Sun 2026-01-11 (no holiday).
const MONDAY = '2026-01-05';

/** [start, end) of each occurrence over the reference week, epoch ms. */
function occurrences(days: readonly number[], startMin: number, durationMs: number, tz: string): Array<[number, number]> {
  const monday = DateTime.fromISO(MONDAY, { zone: tz });
  return days.map((d) => {
    const s = monday.plus({ days: d - 1 }).set({ hour: Math.floor(startMin / 60), minute: startMin % 60 }).toMillis();
    return [s, s + durationMs];
  });
}

/** Regular US market sessions of the reference week (and the Monday after, for windows spilling over). */
function sessions(): Array<[number, number]> {
  const monday = DateTime.fromISO(MONDAY, { zone: MARKET_ZONE });
  const out: Array<[number, number]> = [];
  for (let d = 0; d < 8; d++) {
    const day = monday.plus({ days: d });
    if (day.weekday > 5) continue;
    out.push([day.set({ hour: 9, minute: 30 }).toMillis(), day.set({ hour: 16, minute: 0 }).toMillis()]);
  }
  return out;
}

/**
 * broker_maintenance: unique names, a length given once (end or duration), at most a week, and no
 * window inside market hours — the monitor and the order tasks would wait it out while positions
 * go unwatched, and no order could be sent.
 */
export const checkMaintenance = (ctx: LintContext): Problem[] => {
  const s = dataOf<RawSchedules>(ctx, 'schedules');
  const tz = isValidZone(s.timezone) ? s.timezone : MARKET_ZONE;
  const out: Problem[] = [];
  const seen = new Set<string>();
  (s.broker_maintenance ?? []).forEach((w, i) => {
    const at = (path: (string | number)[], code: string, msg: string): Problem => problemAt(ctx, 'schedules', ['broker_maintenance', i, ...path], code, msg);
    if (seen.has(w.name)) out.push(at(['name'], 'E_MAINTENANCE_DUPLICATE', `maintenance window "${w.name}" is listed twice`));
    seen.add(w.name);
    if ((w.end === undefined) === (w.duration === undefined)) {
      out.push(at(['name'], 'E_MAINTENANCE_LENGTH', `maintenance window "${w.name}" needs exactly one of end or duration`));
      return;
    }
    if (w.duration !== undefined) {
      const ms = parseDuration(w.duration);
      if (ms === null) return void out.push(at(['duration'], 'E_DURATION', `duration "${w.duration}" is not a duration like 30m, 1h, 2d`));
      if (ms <= 0 || ms > WEEK_MS) return void out.push(at(['duration'], 'E_MAINTENANCE_LENGTH', `maintenance window "${w.name}" must last more than 0 and at most 7d; it lasts ${w.duration}`));
    }
    if (w.end !== undefined && w.end === w.start) {
      return void out.push(at(['end'], 'E_MAINTENANCE_LENGTH', `maintenance window "${w.name}" ends when it starts (${w.start}): that is 24 hours; give duration: 24h if that is meant`));
    }
    const startMin = parseHhmm(w.start);
    const duration = windowDurationMs(w);
    if (startMin === null || duration === null) return;
    const days = (w.days ?? [...WEEKDAYS]).map((d) => WEEKDAYS.indexOf(d as (typeof WEEKDAYS)[number]) + 1);
    const open = sessions();
    const hit = occurrences(days, startMin, duration, tz).find(([a, b]) => open.some(([o, c]) => a < c && o < b));
    if (hit) {
      const when = DateTime.fromMillis(hit[0], { zone: tz }).toFormat('ccc HH:mm');
      out.push(at(['start'], 'E_MAINTENANCE_MARKET_HOURS', `maintenance window "${w.name}" (${when}, ${Math.round(duration / 60_000)} min) overlaps the market's 09:30–16:00 ET: the monitor and order tasks would wait it out with positions unwatched; keep broker maintenance outside market hours`));
    }
  });
  return out;
};
