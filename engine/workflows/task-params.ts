import type { TaskName } from '../config/types';
import { didYouMean } from '../shared/closest-name';
import { ConfigError } from '../shared/errors';
import { quoteValue } from '../shared/quote-value';

/**
 * The job parameters each workflow reads. An ad-hoc job (`thetadesk enqueue --symbol/--data`) is
 * checked against this before it is queued: a parameter no workflow reads would be carried and
 * ignored, and a symbol that is not configured made the job fail three times at run time (#13).
 */
export const TASK_PARAMS: Readonly<Record<TaskName, readonly string[]>> = {
  load_historical_data: [],
  sync_positions: [],
  validate_ib_connection: [],
  strategy_analysis: ['symbol'],
  execute_strategies: ['symbol'],
  unified_monitor: ['symbol'],
  collect_option_data: [],
  collect_futures_data: [],
  calculate_daily_statistics: [],
  validate_data_quality: [],
  health_check: [],
};

/** The parameters of an ad-hoc job, checked and normalised (`symbol` upper-cased), or a ConfigError naming the first problem. */
export function checkTaskParams(task: TaskName, params: Readonly<Record<string, unknown>>, underlyings: readonly string[]): Record<string, unknown> {
  const known = TASK_PARAMS[task];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (!known.includes(key)) {
      const takes = known.length === 0 ? `${task} takes no parameters` : `${task} takes ${known.join(', ')}`;
      throw new ConfigError('E_TASK_PARAMS', `unknown parameter ${quoteValue(key)}${didYouMean(key, known)}: ${takes}`, { field: key });
    }
    if (key === 'symbol') {
      const symbol = typeof value === 'string' ? value.trim().toUpperCase() : null;
      if (symbol === null || !underlyings.includes(symbol)) {
        throw new ConfigError('E_TASK_PARAMS', `symbol ${quoteValue(value)} is not an underlying in strategies.yaml; configured: ${underlyings.join(', ')}`, { field: key });
      }
      out[key] = symbol;
    }
  }
  return out;
}
