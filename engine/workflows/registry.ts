import type { TaskName } from '../config/types';
import { calculateDailyStatistics } from './calculate-daily-statistics';
import { collectFuturesData } from './collect-futures-data';
import { collectOptionData } from './collect-option-data';
import { executeStrategies } from './execute-strategies';
import { healthCheck } from './health-check';
import { loadHistoricalData } from './load-historical-data';
import { strategyAnalysis } from './strategy-analysis';
import { syncPositions } from './sync-positions';
import { unifiedMonitor } from './unified-monitor';
import { validateDataQuality } from './validate-data-quality';
import { validateIbConnection } from './validate-ib-connection';
import type { Workflow } from './workflow-context';

/** Every task's workflow, by the name schedules.yaml uses (the type makes a missing one a compile error). */
export const WORKFLOWS: Readonly<Record<TaskName, Workflow>> = {
  load_historical_data: loadHistoricalData,
  sync_positions: syncPositions,
  validate_ib_connection: validateIbConnection,
  strategy_analysis: strategyAnalysis,
  execute_strategies: executeStrategies,
  unified_monitor: unifiedMonitor,
  collect_option_data: collectOptionData,
  collect_futures_data: collectFuturesData,
  calculate_daily_statistics: calculateDailyStatistics,
  validate_data_quality: validateDataQuality,
  health_check: healthCheck,
};
