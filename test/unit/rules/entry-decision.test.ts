import { compileEntryGates, compileExitRules } from '../../../engine/rules/compile-rules';
import { decideEntry } from '../../../engine/rules/entry-decision';
import { ConfigError } from '../../../engine/shared/errors';
import { ENTRY_GATES, EXIT_RULES } from './fixtures';

const GATES = compileEntryGates(ENTRY_GATES);
const EXITS = compileExitRules(EXIT_RULES);

const GOOD = {
  strategy: 'iron_condor',
  dte: 45,
  short_delta_max: 0.16,
  spot_beyond_short_strike: false,
  short_strike_distance_pct: 5.1,
  short_strike_distance_em: 1,
  short_gamma_1pct: 0.05,
  position_gamma_usd_1pct: -700,
  position_gamma_abs: 0.01,
  underlying_change_1h_pct: 0.1,
  iv_rank: 40,
  iv_percentile: 55,
  vix: 18,
  score: 82,
  credit_to_width_pct: 35,
  spot_move_since_analysis_pct: 0.2,
  combo_spread_pct_of_mid: 10,
  open_positions_for_symbol: 1,
  days_to_earnings: null,
  er_pct: 3.5,
  trading_days_since_losing_exit: 2,
  open_positions_same_legs: 0,
  entries_today_for_symbol: 0,
};

describe('when a candidate is checked for entry', () => {
  it('should enter when every gate holds and the exit rules hold', async () => {
    const d = await decideEntry(GATES, EXITS, GOOD);
    expect(d.action).toBe('enter');
    expect(d.gates.map((g) => [g.gate, g.passed])).toEqual(ENTRY_GATES.map((g) => [g.name, true]));
    expect(d.gates[0]?.facts).toEqual({ credit_to_width_pct: 35 });
    expect(d.exit?.action).toBe('hold');
    expect(d.exit_rule).toBeNull();
  });

  it.each([
    ['min_credit', { credit_to_width_pct: 32.99 }],
    ['min_iv_rank', { iv_rank: 24.99 }],
    ['max_vix', { vix: 35 }],
    ['spot_unchanged', { spot_move_since_analysis_pct: 0.51 }],
    ['combo_spread', { combo_spread_pct_of_mid: 25.01 }],
    ['max_positions_per_symbol', { open_positions_for_symbol: 5 }],
    ['min_expected_return', { er_pct: -0.01 }],
    ['loss_cooldown', { trading_days_since_losing_exit: 1 }],
    ['loss_cooldown', { trading_days_since_losing_exit: 0 }],
    ['no_duplicate_position', { open_positions_same_legs: 1 }],
    ['max_entries_per_symbol_per_day', { entries_today_for_symbol: 1 }],
  ])('should skip when gate %s fails on %j', async (gate, over) => {
    const d = await decideEntry(GATES, EXITS, { ...GOOD, ...over });
    expect(d.action).toBe('skip');
    expect(d.gates.filter((g) => !g.passed).map((g) => g.gate)).toEqual([gate]);
    expect(d.reason).toContain(`gate ${gate} failed`);
  });

  it.each([
    ['dte_manage', { dte: 21 }],
    ['expiry_exit', { dte: 1 }],
    ['short_strike_breach', { spot_beyond_short_strike: true }],
    ['vix_exit', { vix: 36 }],
    ['gamma_risk', { dte: 13, position_gamma_usd_1pct: -1600 }],
    ['gamma_risk', { dte: 10, short_gamma_1pct: 0.2 }],
    ['catastrophe', { underlying_change_1h_pct: -3 }],
  ] as const)('should skip when exit rule %s would fire on the would-be position %j', async (rule, over) => {
    const d = await decideEntry(GATES, EXITS, { ...GOOD, ...over });
    expect(d.action).toBe('skip');
    expect(d.exit_rule).toBe(rule);
    expect(d.reason).toContain('would fire at entry');
  });

  it('should pass the cool-down when no losing exit is journaled (the fact is null)', async () => {
    const d = await decideEntry(GATES, EXITS, { ...GOOD, trading_days_since_losing_exit: null });
    expect(d.action).toBe('enter');
    expect(d.gates.find((g) => g.gate === 'loss_cooldown')).toMatchObject({ passed: true, facts: { trading_days_since_losing_exit: null } });
  });

  it('should run the exit rules with profit 0, peak 0 and nothing changed since entry', async () => {
    const d = await decideEntry(GATES, EXITS, GOOD);
    const seen = Object.assign({}, ...(d.exit?.trace ?? []).map((t) => t.facts)) as Record<string, unknown>;
    expect(seen).toMatchObject({ profit_pct: 0, peak_profit_pct: 0, retained_of_peak_pct: 100, iv_change_pct: 0, vix_change_since_entry: 0, dte: 45, short_delta_vs_entry: 1 });
  });

  it('should alert when a fact the gates or exits need is missing', async () => {
    const { vix: _vix, ...rest } = GOOD;
    const d = await decideEntry(GATES, EXITS, rest);
    expect(d).toMatchObject({ action: 'alert', reason: 'data incomplete: vix', flagged: true });
  });

  it('should reject a position-only fact in entry input', async () => {
    await expect(decideEntry(GATES, EXITS, { ...GOOD, profit_pct: 0 })).rejects.toThrow(ConfigError);
  });
});

describe('when a rule is scoped to strategies', () => {
  const scoped = compileExitRules([
    { name: 'verticals_only', priority: 1, strategies: ['bull_put', 'bear_call'], conditions: { all: [{ fact: 'dte', operator: 'lessThanInclusive', value: 30 }] }, decision: { action: 'close', urgency: 'normal', reason: 'v', params: {} } },
  ]);
  it.each([
    ['bull_put', 'close'],
    ['bear_call', 'close'],
    ['iron_condor', 'hold'],
  ] as const)('should give %s → %s', async (strategy, action) => {
    const { decidePosition } = await import('../../../engine/rules/position-decision');
    const d = await decidePosition(scoped, { strategy, dte: 20 });
    expect(d.action).toBe(action);
    expect(d.trace[0]?.facts).toEqual({ strategy, dte: 20 });
  });

  it('should compile once per hash', () => {
    expect(compileExitRules(EXIT_RULES, 'h1')).toBe(compileExitRules([], 'h1'));
    expect(compileExitRules(EXIT_RULES)).toBe(EXITS);
  });
});
