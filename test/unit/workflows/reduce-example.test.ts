import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../../engine/config/load-config';
import { nextTradingDay } from '../../../engine/shared/market-calendar';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { CONFIG_FILE_NAMES, REPO_ROOT } from '../../helpers/config';
import { playDays } from '../../helpers/play-days';
import { testEngine, type TestEngine } from '../../helpers/workflow-context';

const EXAMPLE = path.join(REPO_ROOT, 'examples/v6-partial');

describe('examples/v6-partial (v6-style: half at 50%, the rest at 80%)', () => {
  it('should lint clean with thetadesk lint --config examples/v6-partial, as a user runs it', () => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/thetadesk.js'), 'lint', '--config', 'examples/v6-partial'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ok: 4 files, 12 rules, 10 gates, 11 tasks; config hash [0-9a-f]{64}\n$/);
    expect(r.status).toBe(0);
  });

  it('should differ from the shipped config only in contracts per entry and the profit-taking rules', () => {
    const strip = (text: string): string => text.split('\n').filter((l) => !l.startsWith('#') && !/^\s+#/.test(l)).join('\n');
    const read = (dir: string, f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
    for (const f of CONFIG_FILE_NAMES) {
      const ours = strip(read(EXAMPLE, f));
      const shipped = strip(read(REPO_ROOT, f));
      if (f === 'strategies.yaml') expect(ours).toBe(shipped.replace('  max_positions_per_symbol: 5\n', '  max_positions_per_symbol: 5\n  contracts_per_entry: 2\n'));
      else if (f !== 'rules/exit.yaml') expect(ours).toBe(shipped);
    }
    const shipped = loadConfig(REPO_ROOT);
    const example = loadConfig(EXAMPLE);
    const byName = (rules: typeof shipped.exit_rules) => Object.fromEntries(rules.map((r) => [r.name, r]));
    const ours = byName(example.exit_rules);
    const theirs = byName(shipped.exit_rules);
    // The rules above the profit taking are the shipped ones, unchanged.
    for (const name of ['catastrophe', 'expiry_exit', 'hard_stop', 'accelerated_stop', 'vix_exit', 'short_strike_breach', 'gamma_risk', 'dte_manage']) {
      expect(ours[name]).toEqual(theirs[name]);
    }
    expect(ours.partial_take_profit?.decision).toMatchObject({ action: 'reduce', params: { fraction: 0.5 } });
    expect(ours.take_profit?.priority).toBeLessThan(ours.partial_take_profit?.priority ?? 0);
    expect(example.strategies.risk.contracts_per_entry).toBe(2);
  });

  describe('when it trades on the paper broker and the simulated market', () => {
    let e: TestEngine;
    afterAll(() => e.close());

    it('should reduce half at 50% (partial_taken), then close the rest by take_profit at 80%', async () => {
      const config = loadConfig(EXAMPLE);
      // Seed 1: on 2026-01-08 the example enters a QQQ bear call (2 sets), which later gains 50%, then 80%.
      e = testEngine({ at: '2026-01-08T14:00:00Z', execute: true, config, seed: 1 });
      await playDays(e, { from: '2026-01-08', days: 1, monitorEveryMin: 30 });
      const positions = new PositionsRepo(e.db);
      const [pos] = positions.list();
      expect(pos).toMatchObject({ symbol: 'QQQ', strategy: 'bear_call', quantity: 2, status: 'open', partial_taken: false });
      const id = pos?.id ?? '';
      const intents = new IntentsRepo(e.db);
      let afterReduce: ReturnType<PositionsRepo['get']> = null;
      await playDays(e, {
        from: nextTradingDay('2026-01-08'),
        days: 20,
        monitorEveryMin: 30,
        entries: false,
        until: () => {
          const p = positions.get(id);
          if (!afterReduce && p?.partial_taken) afterReduce = p;
          return p?.status === 'closed';
        },
      });
      const exits = intents.forPosition(id);
      expect(exits.map((i) => [i.kind, i.quantity, i.status])).toEqual([
        ['reduce', 1, 'filled'],
        ['close', 1, 'filled'],
      ]);
      // Between the two: one set left, partial_taken persisted in the journal.
      expect(afterReduce).toMatchObject({ status: 'open', quantity: 1, partial_taken: true });
      const rules = (e.db.prepare("SELECT rule, action FROM decisions WHERE kind = 'exit' AND subject = ? AND action <> 'hold' ORDER BY id").all(id) as Array<{ rule: string; action: string }>);
      expect([...new Set(rules.map((r) => `${r.action} ${r.rule}`))]).toEqual(['reduce partial_take_profit', 'close take_profit']);
      const closed = positions.get(id);
      expect(closed).toMatchObject({ status: 'closed', partial_taken: true });
      // Realized P&L is both halves: each closing fill against the entry credit, less every fee.
      const fills = e.db.prepare('SELECT e.price, e.quantity, e.commission FROM executions e JOIN order_intents i ON i.id = e.intent_id WHERE i.id = ? OR i.position_id = ?').all(pos?.opened_by_intent ?? '', id) as Array<{ price: number; quantity: number; commission: number }>;
      const realized = fills.reduce((s, f) => s - f.price * 100 * f.quantity - f.commission, 0);
      expect(closed?.realized_pnl).toBeCloseTo(realized, 6);
      expect(closed?.realized_pnl).toBeGreaterThan(0);
      expect((await e.broker.positions()).every((p) => p.quantity === 0)).toBe(true);
    }, 120_000);
  });
});
