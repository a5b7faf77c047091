import { PositionsRepo } from '../../../engine/store/positions-repo';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { intentId, type OrderIntent } from '../../../engine/model/order-intent';
import type { AnalysisResult } from '../../../engine/workflows/analyze-market';
import { strategyAnalysis } from '../../../engine/workflows/strategy-analysis';
import { unifiedMonitor } from '../../../engine/workflows/unified-monitor';
import { configWith, replaceOnce } from '../../helpers/config';
import { override } from '../../helpers/workflow-stubs';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';

const loose = configWith((f) => {
  f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', 'min_credit_pct_of_width: 33', 'min_credit_pct_of_width: 20');
});
const AT = '2026-01-05T14:45:00Z';

describe('when a close fills only part of the position before its walk times out', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  it('should end that intent partially_filled (final) and close the remaining 2 of 5 lots on the next monitor run', async () => {
    const clip = { next: false };
    e = testEngine({
      at: AT,
      execute: true,
      config: loose,
      // The book takes only 3 lots of the armed order: the paper broker holds a 3-lot order, so
      // the other 2 never fill and the walk times out with 3 of 5 filled.
      wrapBroker: (paper) =>
        override(paper, {
          placeCombo: async (o) => {
            if (!clip.next) return paper.placeCombo(o);
            clip.next = false;
            return paper.placeCombo({ ...o, quantity: 3 });
          },
        }),
    });
    const a = await strategyAnalysis(e.ctx, jobFor('strategy_analysis', e.clock));
    const pick = (a.data as AnalysisResult).symbols.find((s) => s.symbol === 'SPY')?.pick;
    if (!pick) throw new Error('expected a SPY pick on the fixed seed');
    const id = intentId({ task: 'test', trading_date: '2026-01-05', symbol: 'SPY', strategy: pick.strategy, subject: 'five lots' });
    const open: OrderIntent = {
      id,
      kind: 'open',
      position_id: `pos-${id}`,
      symbol: 'SPY',
      strategy: pick.strategy,
      legs: pick.legs.map((l) => ({ symbol: 'SPY', expiry: l.expiry, right: l.right, strike: l.strike, ratio: 1, action: l.action, con_id: null })),
      quantity: 5,
      urgency: 'normal',
      width: pick.metrics.width,
      context: { entry_iv: 0.19, entry_vix: 21 },
      config_hash: e.ctx.config.hash,
    };
    await e.ctx.submit(open);
    expect(e.outcomes[0]).toMatchObject({ status: 'filled', filled_quantity: 5 });
    const posId = `pos-${id}`;
    // As if opened for three times the credit: take_profit fires.
    e.db.prepare('UPDATE strategy_positions SET entry_credit = entry_credit * 3 WHERE id = ?').run(posId);
    e.clock.advance(5 * 60_000);
    clip.next = true;
    const first = await unifiedMonitor(e.ctx, jobFor('unified_monitor', e.clock));
    expect(first.summary).toContain('SPY close by take_profit');
    const intents = new IntentsRepo(e.db);
    const [firstClose] = intents.forPosition(posId);
    expect(firstClose).toMatchObject({ kind: 'close', quantity: 5, status: 'partially_filled' });
    expect(new PositionsRepo(e.db).get(posId)).toMatchObject({ status: 'open', quantity: 2 });

    e.clock.advance(5 * 60_000);
    const second = await unifiedMonitor(e.ctx, jobFor('unified_monitor', e.clock));
    expect(second.summary).toContain('SPY close by take_profit');
    const closes = intents.forPosition(posId);
    expect(closes).toHaveLength(2);
    expect(closes[1]).toMatchObject({ kind: 'close', quantity: 2, status: 'filled' });
    expect(new PositionsRepo(e.db).get(posId)?.status).toBe('closed');
    expect(await e.broker.positions()).toEqual([]);
  });
});
