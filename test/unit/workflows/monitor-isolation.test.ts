import { intentId, type OrderIntent } from '../../../engine/model/order-intent';
import { DecisionsRepo } from '../../../engine/store/decisions-repo';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import type { AnalysisResult } from '../../../engine/workflows/analyze-market';
import { strategyAnalysis } from '../../../engine/workflows/strategy-analysis';
import { unifiedMonitor } from '../../../engine/workflows/unified-monitor';
import { configWith, replaceOnce } from '../../helpers/config';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';

const loose = configWith((f) => {
  f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', 'min_credit_pct_of_width: 33', 'min_credit_pct_of_width: 20');
});

describe('when one open position cannot be evaluated', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  it('should still decide every other position, alert the broken one, and end the run failed', async () => {
    e = testEngine({ at: '2026-01-13T14:45:00Z', execute: true, config: loose });
    const a = await strategyAnalysis(e.ctx, jobFor('strategy_analysis', e.clock));
    const pick = (a.data as AnalysisResult).symbols.find((s) => s.symbol === 'SPY')?.pick;
    if (!pick) throw new Error('expected a SPY pick on the fixed seed');
    const id = intentId({ task: 'test', trading_date: '2026-01-13', symbol: 'SPY', strategy: pick.strategy, subject: 'good' });
    const open: OrderIntent = { id, kind: 'open', position_id: `pos-${id}`, symbol: 'SPY', strategy: pick.strategy, legs: pick.legs.map((l) => ({ symbol: 'SPY', expiry: l.expiry, right: l.right, strike: l.strike, ratio: 1, action: l.action, con_id: null })), quantity: 1, urgency: 'normal', width: pick.metrics.width, context: { entry_iv: 0.19, entry_vix: 21 }, config_hash: e.ctx.config.hash };
    await e.ctx.submit(open);
    const good = `pos-${id}`;
    const repo = new PositionsRepo(e.db);
    // A journal row no rule can read: a credit of a billionth of a cent makes profit_pct leave its range.
    const g = repo.get(good)!;
    repo.open({ id: 'pos-broken', opened_by_intent: 'i-broken', symbol: 'SPY', strategy: g.strategy, legs: g.legs, quantity: 1, entry_credit: 1e-9, entry_iv: 0.19, entry_vix: 21, entry_time: g.entry_time });
    e.clock.advance(5 * 60_000);
    await expect(unifiedMonitor(e.ctx, jobFor('unified_monitor', e.clock))).rejects.toThrow(/^1 of 2 open positions could not be evaluated \(the others were\): pos-broken: /);
    const decided = new DecisionsRepo(e.db).since(0).filter((d) => d.kind === 'exit');
    expect(decided.find((d) => d.subject === good)?.action).toBe('hold');
    expect(decided.find((d) => d.subject === 'pos-broken')).toMatchObject({ action: 'alert' });
    expect(e.alerts.some((l) => l.includes('monitor_position_failed') && l.includes('pos-broken'))).toBe(true);
  });
});
