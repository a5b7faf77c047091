import type { Problem } from '../problem';
import { dataOf, problemAt, type LintContext } from '../lint-context';
import type { RawSchedules } from '../raw-types';
import { parseDuration } from '../duration';
import { WATCHDOG_DEFAULTS } from '../compile-config';

const DEFAULT_INTERVALS = WATCHDOG_DEFAULTS.intervals;
const DEFAULT_CHECK_EVERY = WATCHDOG_DEFAULTS.check_every;

/**
 * The watchdog needs an interval to count (unified_monitor enabled with `every:`) and must look more
 * often than the limit it enforces, else the alert comes late.
 */
export const checkWatchdog = (ctx: LintContext): Problem[] => {
  const s = dataOf<RawSchedules>(ctx, 'schedules');
  const w = s.watchdog ?? {};
  if (w.enabled === false) return [];
  const at = (path: (string | number)[], code: string, msg: string): Problem => problemAt(ctx, 'schedules', s.watchdog ? ['watchdog', ...path] : ['tasks'], code, msg);
  const out: Problem[] = [];
  const i = s.tasks.findIndex((t) => t.name === 'unified_monitor');
  const monitor = s.tasks[i];
  if (!monitor || monitor.enabled === false) return [at([], 'E_WATCHDOG_TASK', 'the watchdog watches unified_monitor, which is missing or disabled: enable it, or set watchdog: {enabled: false}')];
  const every = monitor.every === undefined ? null : parseDuration(monitor.every);
  if (every === null) {
    return [problemAt(ctx, 'schedules', ['tasks', i, 'name'], 'E_WATCHDOG_TASK', 'the watchdog counts intervals of unified_monitor, which has no every: give it every: + window:, or set watchdog: {enabled: false}')];
  }
  const checkText = w.check_every ?? DEFAULT_CHECK_EVERY;
  const check = parseDuration(checkText);
  if (check === null || check <= 0) {
    out.push(at(['check_every'], 'E_DURATION', `check_every "${checkText}" is not a duration longer than zero, like 30s`));
    return out;
  }
  const limit = (w.intervals ?? DEFAULT_INTERVALS) * every;
  if (check >= limit) out.push(at(['check_every'], 'E_WATCHDOG_CHECK', `check_every ${checkText} is not shorter than the limit it enforces (${w.intervals ?? DEFAULT_INTERVALS} × ${monitor.every} = ${Math.round(limit / 1000)} s): the alert would come late`));
  return out;
};
