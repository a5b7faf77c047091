import { compileEntryGates } from '../../../engine/rules/compile-rules';
import { decideEntry } from '../../../engine/rules/entry-decision';
import { formatEntryDecision, formatPositionDecision } from '../../../engine/rules/format-decision';
import { decidePosition } from '../../../engine/rules/position-decision';
import { ENTRY_GATES } from './fixtures';
import { EXITS, facts } from './helpers';

describe('when a decision is printed for a human', () => {
  it('should show the winner with its facts, the rules above it that did not fire, and outranked matches', async () => {
    const text = formatPositionDecision(await decidePosition(EXITS, facts({ dte: 10, position_gamma_usd_1pct: -2500 })));
    const lines = text.split('\n');
    expect(lines[0]).toBe('decision: close (high) by rule 7 gamma_risk: gamma risk');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}no +1 catastrophe +underlying_change_1h_pct=0.2 iv_change_pct=5$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}WON +7 gamma_risk +dte=10 position_gamma_usd_1pct=-2500 short_gamma_1pct=0.06$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}also +12 dte_manage +dte=10$/));
  });

  it('should say hold when nothing matched and show the data-incomplete alert as flagged', async () => {
    expect(formatPositionDecision(await decidePosition(EXITS, facts()))).toMatch(/^decision: hold \(low\): no rule matched/);
    const { vix: _v, ...rest } = facts();
    const alert = formatPositionDecision(await decidePosition(EXITS, rest));
    expect(alert).toMatch(/^decision: alert \(high\): data incomplete: vix\nposition flagged/);
  });

  it('should list each entry gate as pass or FAIL with its facts', async () => {
    const d = await decideEntry(compileEntryGates(ENTRY_GATES), EXITS, {
      strategy: 'bull_put', dte: 45, short_delta_max: 0.3, spot_beyond_short_strike: false, position_gamma_abs: 0.01,
      short_strike_distance_pct: 2.5, short_strike_distance_em: 0.5, short_gamma_1pct: 0.07, position_gamma_usd_1pct: -300,
      underlying_change_1h_pct: 0, iv_rank: 20, iv_percentile: 40, vix: 18, score: 75, credit_to_width_pct: 34, er_pct: 2,
      spot_move_since_analysis_pct: 0.1, combo_spread_pct_of_mid: 5, open_positions_for_symbol: 0, days_to_earnings: null,
      open_positions_same_legs: 0, entries_today_for_symbol: 0, trading_days_since_losing_exit: null,
    });
    const text = formatEntryDecision(d);
    expect(text).toMatch(/^entry: skip: gate min_iv_rank failed: IV rank below 25/);
    expect(text).toContain('  FAIL min_iv_rank                iv_rank=20  (IV rank below 25)');
    expect(text).toContain('  pass min_credit                 credit_to_width_pct=34');
  });
});
