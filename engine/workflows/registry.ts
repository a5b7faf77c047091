import type { TaskName } from '../config/types';
import { executeStrategies } from './execute-strategies';
import { strategyAnalysis } from './strategy-analysis';
import { unifiedMonitor } from './unified-monitor';
import type { Workflow } from './workflow-context';

/** Every task's workflow, by the name schedules.yaml uses. */
export const WORKFLOWS: Readonly<Partial<Record<TaskName, Workflow>>> = {
  strategy_analysis: strategyAnalysis,
  execute_strategies: executeStrategies,
  unified_monitor: unifiedMonitor,
};
