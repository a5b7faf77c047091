/**
 * `rules` section: one 12-rule exit evaluation through our wrapper (validation, fresh Engine with
 * strict operators, trace, decision) against a bare json-rules-engine run of the same compiled
 * rules (fresh Engine, built-in operators, no validation) in the same process, interleaved.
 */
import { Engine } from 'json-rules-engine';
import type { Condition, Decision, ExitRule, Operator } from '../engine/config/types';
import { compileExitRules } from '../engine/rules/compile-rules';
import { decidePosition } from '../engine/rules/position-decision';

const c = (fact: string, operator: Operator, value: number | boolean | string | string[]): Condition => ({ fact, operator, value });
const close = (urgency: Decision['urgency']): Decision => ({ action: 'close', urgency, reason: 'bench', params: {} });

/** DESIGN.md's 12 rules; the shipped YAML is used instead when the loader can read it. */
const RULES: ExitRule[] = [
  { name: 'catastrophe', priority: 1, strategies: null, conditions: { any: [c('underlying_change_1h_pct', 'lessThanInclusive', -3), c('iv_change_pct', 'greaterThanInclusive', 50)] }, decision: close('immediate') },
  { name: 'expiry_exit', priority: 2, strategies: null, conditions: { all: [c('dte', 'lessThanInclusive', 1)] }, decision: close('immediate') },
  { name: 'hard_stop', priority: 3, strategies: null, conditions: { all: [c('profit_pct', 'lessThanInclusive', -200)] }, decision: close('immediate') },
  { name: 'accelerated_stop', priority: 4, strategies: null, conditions: { all: [c('dte', 'lessThan', 7), c('profit_pct', 'lessThanInclusive', -50)] }, decision: close('immediate') },
  { name: 'vix_exit', priority: 5, strategies: null, conditions: { any: [c('vix', 'greaterThan', 35), c('vix_change_since_entry', 'greaterThan', 5)] }, decision: close('high') },
  { name: 'short_strike_breach', priority: 6, strategies: null, conditions: { any: [c('spot_beyond_short_strike', 'equal', true), c('short_delta_vs_entry', 'greaterThanInclusive', 2)] }, decision: close('high') },
  { name: 'gamma_risk', priority: 7, strategies: null, conditions: { all: [c('dte', 'lessThan', 14), { any: [c('position_gamma_usd_1pct', 'lessThanInclusive', -1500), c('short_gamma_1pct', 'greaterThanInclusive', 0.15)] }] }, decision: close('high') },
  { name: 'take_profit', priority: 8, strategies: null, conditions: { all: [c('profit_pct', 'greaterThanInclusive', 50)] }, decision: close('normal') },
  { name: 'trailing_profit', priority: 9, strategies: null, conditions: { all: [c('peak_profit_pct', 'greaterThanInclusive', 40), c('retained_of_peak_pct', 'lessThanInclusive', 40)] }, decision: close('normal') },
  { name: 'iv_crush', priority: 10, strategies: null, conditions: { all: [c('iv_change_pct', 'lessThanInclusive', -30), c('profit_pct', 'greaterThanInclusive', 20)] }, decision: close('normal') },
  { name: 'iv_percentile_exit', priority: 11, strategies: null, conditions: { all: [c('iv_percentile', 'lessThan', 30), c('profit_pct', 'greaterThanInclusive', 20)] }, decision: close('normal') },
  { name: 'dte_manage', priority: 12, strategies: null, conditions: { all: [c('dte', 'lessThanInclusive', 21)] }, decision: { action: 'roll', urgency: 'high', reason: 'bench', params: {} } },
];

const FACTS = {
  strategy: 'iron_condor', dte: 30, profit_pct: 10, peak_profit_pct: 15, retained_of_peak_pct: 66.67,
  underlying_change_1h_pct: 0.2, iv_change_pct: 5, iv_rank: 40, iv_percentile: 50, vix: 18,
  vix_change_since_entry: 1, short_delta_max: 0.18, short_delta_vs_entry: 1.1, spot_beyond_short_strike: false,
  short_strike_distance_pct: 4.2, short_strike_distance_em: 1.1, short_gamma_1pct: 0.06, position_gamma_usd_1pct: -450,
  position_gamma_abs: 0.02, partial_taken: false, days_held: 15,
};

async function exitRules(): Promise<{ rules: readonly ExitRule[]; hash?: string; source: string }> {
  try {
    // A variable specifier: the bench still runs (on the defaults above) in a checkout without the loader.
    const loader = '../engine/config/load-config';
    const { loadConfig } = (await import(loader)) as { loadConfig: (dir: string) => { exit_rules: readonly ExitRule[]; hash: string } };
    const cfg = loadConfig(process.cwd());
    return { rules: cfg.exit_rules, hash: cfg.hash, source: 'rules/exit.yaml' };
  } catch {
    return { rules: RULES, source: 'DESIGN.md defaults (loader unavailable)' };
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

export async function run(): Promise<Record<string, unknown>> {
  const { rules, hash, source } = await exitRules();
  const set = compileExitRules(rules, hash);
  const defs = set.rules.map((r) => r.definition);
  const ours = async (): Promise<void> => {
    await decidePosition(set, FACTS);
  };
  const bare = async (): Promise<void> => {
    await new Engine(defs, { allowUndefinedFacts: false }).run({ ...FACTS });
  };
  for (let i = 0; i < 2000; i++) {
    await ours();
    await bare();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 5000; i++) {
    let t = process.hrtime.bigint();
    await ours();
    a.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    await bare();
    b.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const medianMs = median(a);
  const bareMs = median(b);
  const ratio = medianMs / bareMs;
  return {
    rules: set.rules.length,
    source,
    median_ms: Number(medianMs.toFixed(4)),
    bare_median_ms: Number(bareMs.toFixed(4)),
    overhead_ratio: Number(ratio.toFixed(3)),
    met: medianMs <= 1 && ratio <= 2,
  };
}
