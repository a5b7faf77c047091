import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBacktest } from '../../../engine/backtest/backtest-run';
import { runDemo } from '../../../engine/backtest/demo-run';
import { digestDifference, journalDigest } from '../../../engine/backtest/journal-digest';
import { openJournal } from '../../../engine/store/journal';
import { shippedConfig } from '../../helpers/config';

describe('when the same days are played through BullMQ (demo) and in process (backtest)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-parity-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Seed 1 from 2026-01-13: entries on each day, a take_profit and a trailing_profit exit, fill-triggered syncs.
  it('should journal the same decisions, intents, orders, fills, positions and runs, and report the same totals', async () => {
    const demoJournal = path.join(dir, 'demo.db');
    const demo = await runDemo({ config: shippedConfig(), days: 3, seed: 1, start: '2026-01-13', symbols: null, journal: demoJournal, startingCash: 100_000, runner: 'bullmq', out: () => undefined, progress: null });
    expect(demo.runner).toBe('bullmq');
    const bt = await runBacktest({ config: shippedConfig(), from: '2026-01-13', to: '2026-01-15', seed: 1, symbols: null, market: { name: 'sim' }, journal: path.join(dir, 'backtest.db'), startingCash: 100_000 });
    const db = openJournal(demoJournal);
    const demoDigest = journalDigest(db);
    db.close();
    expect(demoDigest.decisions.length).toBeGreaterThan(100);
    expect(demoDigest.fills.length).toBeGreaterThanOrEqual(4);
    expect(digestDifference(demoDigest, bt.digest)).toBeNull();
    expect(bt.digest).toEqual(demoDigest);
    const s = bt.summary;
    expect({ realized: s.realized_pnl, unrealized: s.unrealized_pnl, total: s.total_pnl, trades: s.trades, win: s.win_rate_pct, fees: s.fees, dd: s.max_drawdown, orders: s.orders, fills: s.fills }).toEqual({ realized: demo.realized_pnl, unrealized: demo.unrealized_pnl, total: demo.total_pnl, trades: demo.trades, win: demo.win_rate_pct, fees: demo.fees, dd: demo.max_drawdown, orders: demo.orders, fills: demo.fills });
  }, 180_000);
});
