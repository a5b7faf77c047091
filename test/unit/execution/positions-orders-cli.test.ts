import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PaperBroker } from '../../../engine/adapters/sim/paper-broker';
import { intentId } from '../../../engine/model/order-intent';
import { buildServices } from '../../../engine/runtime/services';
import { ManualClock } from '../../../engine/shared/clock';
import { openJournal } from '../../../engine/store/journal';
import { REPO_ROOT, shippedConfig } from '../../helpers/config';
import { TableMarket } from '../paper/fake-market';

const EXP = '2027-01-08';

describe('thetadesk positions and thetadesk orders after a paper run', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-cli-'));
  const journal = path.join(dir, 'journal.db');
  const paper = path.join(dir, 'paper.db');
  let id = '';

  beforeAll(async () => {
    const market = new TableMarket();
    market.set(EXP, 'P', 540, 3.3, 3.5);
    market.set(EXP, 'P', 535, 1.5, 1.7);
    const clock = new ManualClock('2026-11-24T15:00:00Z');
    const broker = new PaperBroker({ market, clock, seed: 1, stateFile: paper });
    const db = openJournal(journal);
    const { executor } = buildServices({ config: shippedConfig(), db, broker, market, clock, log: () => undefined, sleep: async (ms) => { clock.advance(ms); await broker.processAt(); } });
    id = intentId({ task: 'execute_strategies', trading_date: '2026-11-24', symbol: 'SPY', strategy: 'bull_put', subject: 'x' });
    const legs = [
      { symbol: 'SPY', expiry: EXP, right: 'P' as const, strike: 540, ratio: 1, action: 'SELL' as const, con_id: null },
      { symbol: 'SPY', expiry: EXP, right: 'P' as const, strike: 535, ratio: 1, action: 'BUY' as const, con_id: null },
    ];
    executor.accept({ id, kind: 'open', position_id: `pos-${id}`, symbol: 'SPY', strategy: 'bull_put', legs, quantity: 2, urgency: 'normal', width: 5, context: { entry_iv: 0.2, entry_vix: 18 }, config_hash: shippedConfig().hash });
    const out = await executor.execute(id);
    expect(out.filled_quantity).toBeGreaterThan(0);
    broker.close();
    db.close();
  });

  const cli = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/thetadesk.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('orders should list the intent with its broker order and final state', () => {
    const r = cli(['orders', '--journal', journal, '--json']);
    expect(r.stderr).toBe('');
    const rows = JSON.parse(r.stdout) as Array<{ intent_id: string; status: string; orders: Array<{ status: string; filled_quantity: number }> }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.intent_id).toBe(id);
    expect(['filled', 'partially_filled']).toContain(rows[0]?.status);
    expect(rows[0]?.orders).toHaveLength(1);
    expect(rows[0]?.orders[0]?.status).toBe(rows[0]?.status);
  });

  it("positions should show the journal's strategy position and the paper account's legs", () => {
    const r = cli(['positions', '--journal', journal, '--paper-state', paper, '--at', '2026-11-24T16:00:00Z', '--json']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { positions: Array<{ position: { id: string; quantity: number }; facts: Record<string, unknown> }>; paper: { legs: Array<{ strike: number; quantity: number }>; account: { cash: number } } };
    expect(out.positions.map((p) => p.position.id)).toEqual([`pos-${id}`]);
    const qty = out.positions[0]?.position.quantity ?? 0;
    expect(out.paper.legs.map((l) => [l.strike, l.quantity])).toEqual([
      [535, qty],
      [540, -qty],
    ]);
    expect(Object.keys(out.positions[0]?.facts ?? {})).toContain('profit_pct');
  });

  it('should say how to point at a journal when there is none', () => {
    const r = cli(['orders', '--journal', path.join(dir, 'nope.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no journal at');
  });
});
