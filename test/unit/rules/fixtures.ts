import type { Condition, Decision, EntryGate, ExitRule, Operator } from '../../../engine/config/types';

/** Hand-built mirror of DESIGN.md's 12 rules (rules/exit.yaml's shipped defaults). */
const c = (fact: string, operator: Operator, value: number | boolean | string | string[]): Condition => ({ fact, operator, value });
const close = (urgency: Decision['urgency'], reason: string): Decision => ({ action: 'close', urgency, reason, params: {} });

export const EXIT_RULES: readonly ExitRule[] = [
  { name: 'catastrophe', priority: 1, strategies: null, conditions: { any: [c('underlying_change_1h_pct', 'lessThanInclusive', -3), c('iv_change_pct', 'greaterThanInclusive', 50)] }, decision: close('immediate', 'catastrophe') },
  { name: 'expiry_exit', priority: 2, strategies: null, conditions: { all: [c('dte', 'lessThanInclusive', 1)] }, decision: close('immediate', 'expiry') },
  { name: 'hard_stop', priority: 3, strategies: null, conditions: { all: [c('profit_pct', 'lessThanInclusive', -200)] }, decision: close('immediate', 'hard stop') },
  { name: 'accelerated_stop', priority: 4, strategies: null, conditions: { all: [c('dte', 'lessThan', 7), c('profit_pct', 'lessThanInclusive', -50)] }, decision: close('immediate', 'accelerated stop') },
  { name: 'vix_exit', priority: 5, strategies: null, conditions: { any: [c('vix', 'greaterThan', 35), c('vix_change_since_entry', 'greaterThan', 5)] }, decision: close('high', 'vix') },
  {
    name: 'short_strike_breach',
    priority: 6,
    strategies: null,
    conditions: { any: [c('spot_beyond_short_strike', 'equal', true), c('short_delta_vs_entry', 'greaterThanInclusive', 2)] },
    decision: close('high', 'short strike breach'),
  },
  {
    name: 'gamma_risk',
    priority: 7,
    strategies: null,
    conditions: { all: [c('dte', 'lessThan', 14), { any: [c('position_gamma_usd_1pct', 'lessThanInclusive', -1500), c('short_gamma_1pct', 'greaterThanInclusive', 0.15)] }] },
    decision: close('high', 'gamma risk'),
  },
  { name: 'take_profit', priority: 8, strategies: null, conditions: { all: [c('profit_pct', 'greaterThanInclusive', 50)] }, decision: close('normal', 'take profit') },
  { name: 'trailing_profit', priority: 9, strategies: null, conditions: { all: [c('peak_profit_pct', 'greaterThanInclusive', 40), c('retained_of_peak_pct', 'lessThanInclusive', 40)] }, decision: close('normal', 'trailing profit') },
  { name: 'iv_crush', priority: 10, strategies: null, conditions: { all: [c('iv_change_pct', 'lessThanInclusive', -30), c('profit_pct', 'greaterThanInclusive', 20)] }, decision: close('normal', 'iv crush') },
  { name: 'iv_percentile_exit', priority: 11, strategies: null, conditions: { all: [c('iv_percentile', 'lessThan', 30), c('profit_pct', 'greaterThanInclusive', 20)] }, decision: close('normal', 'iv percentile') },
  { name: 'dte_manage', priority: 12, strategies: null, conditions: { all: [c('dte', 'lessThanInclusive', 21)] }, decision: { action: 'roll', urgency: 'high', reason: 'dte manage', params: { target_dte: 45, min_score: 70 } } },
];

/** A configured partial take-profit (not shipped by default): reduce half once at 30%. */
export const PARTIAL_RULE: ExitRule = {
  name: 'partial_take_profit',
  priority: 13,
  strategies: null,
  conditions: { all: [c('profit_pct', 'greaterThanInclusive', 30), c('partial_taken', 'equal', false)] },
  decision: { action: 'reduce', urgency: 'normal', reason: 'partial take profit', params: { fraction: 0.5 } },
};

export const ENTRY_GATES: readonly EntryGate[] = [
  { name: 'min_credit', conditions: { all: [c('credit_to_width_pct', 'greaterThanInclusive', 33)] }, reason: 'credit below 33% of width' },
  { name: 'min_iv_rank', conditions: { all: [c('iv_rank', 'greaterThanInclusive', 25)] }, reason: 'IV rank below 25' },
  { name: 'max_vix', conditions: { all: [c('vix', 'lessThan', 35)] }, reason: 'VIX at or above 35' },
  { name: 'spot_unchanged', conditions: { all: [c('spot_move_since_analysis_pct', 'lessThanInclusive', 0.5)] }, reason: 'spot moved more than 0.5%' },
  { name: 'combo_spread', conditions: { all: [c('combo_spread_pct_of_mid', 'lessThanInclusive', 25)] }, reason: 'combo bid/ask too wide' },
  { name: 'max_positions_per_symbol', conditions: { all: [c('open_positions_for_symbol', 'lessThan', 5)] }, reason: '5 positions open on this symbol' },
  { name: 'min_expected_return', conditions: { all: [c('er_pct', 'greaterThanInclusive', 0)] }, reason: 'expected return below 0' },
  { name: 'loss_cooldown', conditions: { not: c('trading_days_since_losing_exit', 'lessThan', 2) }, reason: 'losing exit less than 2 trading days ago' },
  { name: 'no_duplicate_position', conditions: { all: [c('open_positions_same_legs', 'equal', 0)] }, reason: 'same position already open' },
  { name: 'max_entries_per_symbol_per_day', conditions: { all: [c('entries_today_for_symbol', 'lessThan', 1)] }, reason: 'already entered this symbol today' },
];

/** Facts on which every one of the 12 rules holds (a calm 30-DTE condor at 10% profit). */
export const CALM: Readonly<Record<string, number | boolean | string>> = {
  strategy: 'iron_condor',
  dte: 30,
  profit_pct: 10,
  peak_profit_pct: 15,
  retained_of_peak_pct: (10 / 15) * 100,
  underlying_change_1h_pct: 0.2,
  iv_change_pct: 5,
  iv_rank: 40,
  iv_percentile: 50,
  vix: 18,
  vix_change_since_entry: 1,
  short_delta_max: 0.18,
  short_delta_vs_entry: 1.1,
  spot_beyond_short_strike: false,
  short_strike_distance_pct: 4.2,
  short_strike_distance_em: 1.1,
  short_gamma_1pct: 0.06,
  position_gamma_usd_1pct: -450,
  position_gamma_abs: 0.02,
  partial_taken: false,
  days_held: 15,
};
