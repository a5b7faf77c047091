/** The strategies the engine trades and the urgencies of its decisions: shared by config, rules and orders. */

export const STRATEGY_NAMES = ['iron_condor', 'bull_put', 'bear_call'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export const URGENCIES = ['immediate', 'high', 'normal', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];
