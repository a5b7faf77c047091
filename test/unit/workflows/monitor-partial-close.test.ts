import { intentId, type OrderIntent } from '../../../engine/model/order-intent';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import type { AnalysisResult } from '../../../engine/workflows/analyze-market';
import { strategyAnalysis } from '../../../engine/workflows/strategy-analysis';
import { unifiedMonitor } from '../../../engine/workflows/unified-monitor';
import { configWith, replaceOnce } from '../../helpers/config';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';

const loose = configWith((f) => {
  f['rules/entry.yaml'] = replaceOnce(f['rules/entry.yaml'] ?? '', 'value: 33 }', 'value: 20 }');
  f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', 'min_credit_pct_of_width: 33', 'min_credit_pct_of_width: 20');
});

describe('unified_monitor after a close that filled only in part', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  it('should close the lots it left on the next run (partially_filled is final, not in flight)', async () => {
    e = testEngine({ at: '2026-01-05T14:45:00Z', execute: true, config: loose });
    const a = await strategyAnalysis(e.ctx, jobFor('strategy_analysis', e.clock));
    const pick = (a.data as AnalysisResult).symbols.find((s) => s.symbol === 'SPY')?.pick;
    if (!pick) throw new Error('expected a SPY pick on the fixed seed');
    const id = intentId({ task: 'test', trading_date: '2026-01-05', symbol: 'SPY', strategy: pick.strategy, subject: pick.expiry });
    const open: OrderIntent = {
      id, kind: 'open', position_id: `pos-${id}`, symbol: 'SPY', strategy: pick.strategy,
      legs: pick.legs.map((l) => ({ symbol: 'SPY', expiry: l.expiry, right: l.right, strike: l.strike, ratio: 1, action: l.action, con_id: null })),
      quantity: 2, urgency: 'normal', width: pick.metrics.width, context: { entry_iv: 0.19, entry_vix: 21 }, config_hash: e.ctx.config.hash,
    };
    await e.ctx.submit(open);
    const posId = `pos-${id}`;
    const positions = new PositionsRepo(e.db);
    const intents = new IntentsRepo(e.db);
    expect(positions.get(posId)?.quantity).toBe(2);
    // A take-profit close that timed out with 1 of 2 filled: what the order manager leaves behind.
    e.db.prepare('UPDATE strategy_positions SET entry_credit = entry_credit * 3 WHERE id = ?').run(posId);
    const partial: OrderIntent = { ...open, id: `${id}-close`, kind: 'close', position_id: posId, quantity: 2, legs: open.legs.map((l) => ({ ...l, action: l.action === 'SELL' ? 'BUY' : 'SELL' })) };
    intents.create(partial, e.clock.now());
    intents.setStatus(partial.id, 'partially_filled', 'timed out after 360000 ms with 1/2 filled', e.clock.now());
    positions.reduce(posId, 1, 100, false);
    e.clock.advance(5 * 60_000);
    const r = await unifiedMonitor(e.ctx, jobFor('unified_monitor', e.clock));
    expect(r.summary).toContain('SPY close by take_profit');
    const next = intents.forPosition(posId).filter((i) => i.id !== partial.id);
    expect(next.map((i) => [i.kind, i.quantity, i.status])).toEqual([['close', 1, 'filled']]);
    expect(positions.get(posId)?.status).toBe('closed');
  });
});
