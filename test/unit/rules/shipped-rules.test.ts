import { compileEntryGates, compileExitRules } from '../../../engine/rules/compile-rules';
import { decidePosition } from '../../../engine/rules/position-decision';
import { decideEntry } from '../../../engine/rules/entry-decision';
import { configWith, replaceOnce, shippedConfig } from '../../helpers/config';
import { ENTRY_GATES, EXIT_RULES } from './fixtures';
import { facts } from './helpers';

describe('the shipped rules/exit.yaml and rules/entry.yaml', () => {
  it('should compile to exactly the DESIGN.md rules the fixtures mirror', () => {
    const c = shippedConfig();
    const strip = (r: { name: string; priority: number; decision: { action: string; urgency: string } }): string => `${r.priority} ${r.name} ${r.decision.action} ${r.decision.urgency}`;
    expect(c.exit_rules.map(strip)).toEqual(EXIT_RULES.map(strip));
    expect(c.entry_gates.map((g) => g.name)).toEqual(ENTRY_GATES.map((g) => g.name));
  });

  it.each([
    [{ profit_pct: 49.9 }, 'hold'],
    [{ profit_pct: 50 }, 'take_profit'],
    [{ strategy: 'iron_condor', short_delta_max: 0.32, short_delta_vs_entry: 2 }, 'short_strike_breach'],
    [{ strategy: 'bull_put', short_delta_max: 0.4, short_delta_vs_entry: 1.33 }, 'hold'],
    [{ strategy: 'bear_call', short_delta_max: 0.5, short_delta_vs_entry: 1.67, spot_beyond_short_strike: true }, 'short_strike_breach'],
    [{ dte: 10, position_gamma_usd_1pct: -1500 }, 'gamma_risk'],
    [{ dte: 10, short_gamma_1pct: 0.15 }, 'gamma_risk'],
    [{ dte: 10, position_gamma_abs: 0.11 }, 'dte_manage'],
    [{ dte: 1 }, 'expiry_exit'],
    [{ dte: 21 }, 'dte_manage'],
  ] as const)('should decide %j as %s', async (over, expected) => {
    const c = shippedConfig();
    const d = await decidePosition(compileExitRules(c.exit_rules, c.hash), facts(over));
    expect(d.rule ?? 'hold').toBe(expected);
    expect(d.config_hash).toBe(c.hash);
  });

  describe('when a trader edits the take-profit threshold in a copy of rules/exit.yaml', () => {
    it('should change the decision with no code change', async () => {
      const edited = configWith((f) => {
        f['rules/exit.yaml'] = replaceOnce(
          f['rules/exit.yaml'] ?? '',
          '{ fact: profit_pct, operator: greaterThanInclusive, value: 50 }\n    decision: { action: close, urgency: normal, reason: "take profit',
          '{ fact: profit_pct, operator: greaterThanInclusive, value: 35 }\n    decision: { action: close, urgency: normal, reason: "take profit',
        );
      });
      const at40 = facts({ profit_pct: 40, peak_profit_pct: 40 });
      const before = await decidePosition(compileExitRules(shippedConfig().exit_rules, shippedConfig().hash), at40);
      const after = await decidePosition(compileExitRules(edited.exit_rules, edited.hash), at40);
      expect(before.action).toBe('hold');
      expect(after.action).toBe('close');
      expect(after.rule).toBe('take_profit');
      expect(after.config_hash).toBe(edited.hash);
      expect(edited.hash).not.toBe(shippedConfig().hash);
    });
  });

  it('should refuse an entry through the shipped gates when VIX is at 35', async () => {
    const c = shippedConfig();
    const entry = {
      strategy: 'iron_condor', dte: 45, score: 80, credit_to_width_pct: 35, iv_rank: 40, iv_percentile: 50, vix: 35,
      spot_move_since_analysis_pct: 0.1, combo_spread_pct_of_mid: 10, open_positions_for_symbol: 0, days_to_earnings: null,
      underlying_change_1h_pct: 0.1, short_delta_max: 0.16, spot_beyond_short_strike: false, position_gamma_abs: 0.01,
      short_strike_distance_pct: 5.1, short_strike_distance_em: 1, short_gamma_1pct: 0.05, position_gamma_usd_1pct: -700, er_pct: 3,
      open_positions_same_legs: 0, entries_today_for_symbol: 0, trading_days_since_losing_exit: null,
    };
    const d = await decideEntry(compileEntryGates(c.entry_gates, c.hash), compileExitRules(c.exit_rules, c.hash), entry);
    expect(d.action).toBe('skip');
    expect(d.gates.filter((g) => !g.passed).map((g) => g.gate)).toEqual(['max_vix']);
  });
});
