import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDecide } from '../../../engine/cli/decide-run';
import { CliExit } from '../../../engine/cli/exit-codes';
import { ConfigError } from '../../../engine/shared/errors';
import { ENTRY_GATES, EXIT_RULES } from './fixtures';

const CONFIG = { exit_rules: EXIT_RULES, entry_gates: ENTRY_GATES, hash: 'fixture-hash' };
const ISSUE_EXAMPLE = `{"strategy": "iron_condor", "dte": 30, "profit_pct": 10, "peak_profit_pct": 15, "underlying_change_1h_pct": 0.2, "iv_change_pct": 5, "iv_rank": 40, "iv_percentile": 50, "vix": 18, "vix_change_since_entry": 1, "short_delta_max": 0.18, "short_delta_vs_entry": 1.1, "spot_beyond_short_strike": false, "short_strike_distance_pct": 4.2, "short_strike_distance_em": 1.1, "short_gamma_1pct": 0.06, "position_gamma_usd_1pct": -450, "partial_taken": false, "days_held": 15}`;

describe('when thetadesk decide reads an input file', () => {
  let dir: string;
  const file = (text: string): string => {
    const f = join(dir, 'facts.json');
    writeFileSync(f, text);
    return f;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'thetadesk-decide-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("should hold on the issue's example and print the trace", async () => {
    const out = await runDecide({ input: file(ISSUE_EXAMPLE) }, CONFIG);
    expect(out).toMatch(/^decision: hold \(low\): no rule matched\nconfig: fixture-hash\ntrace/);
  });

  it('should print JSON with the derived retained_of_peak_pct in the trace', async () => {
    const input = JSON.parse(ISSUE_EXAMPLE) as Record<string, unknown>;
    const out = await runDecide({ input: file(JSON.stringify({ ...input, peak_profit_pct: 50, profit_pct: 20 })), json: true }, CONFIG);
    const d = JSON.parse(out) as { action: string; rule: string; trace: Array<{ rule: string; facts: Record<string, unknown> }> };
    expect(d).toMatchObject({ action: 'close', rule: 'trailing_profit', urgency: 'normal', priority: 9, config_hash: 'fixture-hash' });
    expect(d.trace.find((t) => t.rule === 'trailing_profit')?.facts).toEqual({ peak_profit_pct: 50, retained_of_peak_pct: 40 });
  });

  it('should give the alert decision for a missing fact', async () => {
    const out = await runDecide({ input: file(ISSUE_EXAMPLE.replace('"vix": 18, ', '')), json: true }, CONFIG);
    expect(JSON.parse(out)).toMatchObject({ action: 'alert', reason: 'data incomplete: vix', flagged: true });
  });

  it.each([
    ['{"dte": 30,', CliExit, /is not valid JSON/],
    ['[1, 2]', CliExit, /must be a flat JSON object/],
    ['{"dte": {"v": 1}}', CliExit, /fact "dte" must be a number, boolean or string/],
    [ISSUE_EXAMPLE.replace('"dte": 30', '"dte": "30"'), ConfigError, /fact "dte" must be a number/],
    [ISSUE_EXAMPLE.replace('"dte": 30', '"dtee": 30'), ConfigError, /unknown position fact "dtee"/],
    [ISSUE_EXAMPLE.replace('"dte": 30', '"retained_of_peak_pct": 30'), CliExit, /retained_of_peak_pct" is derived/],
  ])('should reject %s as an input error naming the problem', async (text, type, msg) => {
    const err = await runDecide({ input: file(text) }, CONFIG).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toMatch(msg);
    if (err instanceof CliExit) expect(err.exitCode).toBe(1);
  });

  it('should evaluate entry facts with --entry', async () => {
    const entry = {
      strategy: 'iron_condor', dte: 45, short_delta_max: 0.16, spot_beyond_short_strike: false, short_strike_distance_pct: 5.1,
      short_strike_distance_em: 1, short_gamma_1pct: 0.05, position_gamma_usd_1pct: -700,
      underlying_change_1h_pct: 0.1, iv_rank: 40, iv_percentile: 55, vix: 18, score: 82, credit_to_width_pct: 35, er_pct: 3.5,
      spot_move_since_analysis_pct: 0.2, combo_spread_pct_of_mid: 10, open_positions_for_symbol: 1, days_to_earnings: null,
      open_positions_same_legs: 0, entries_today_for_symbol: 0, trading_days_since_losing_exit: null,
    };
    const out = await runDecide({ input: file(JSON.stringify(entry)), entry: true }, CONFIG);
    expect(out).toMatch(/^entry: enter: all gates hold and the exit rules hold/);
    const skip = await runDecide({ input: file(JSON.stringify({ ...entry, dte: 20 })), entry: true, json: true }, CONFIG);
    expect(JSON.parse(skip)).toMatchObject({ action: 'skip', exit_rule: 'dte_manage' });
  });
});
