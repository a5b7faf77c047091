import { ExecutionsRepo } from '../../../engine/store/executions-repo';
import { DailyStatsRepo } from '../../../engine/store/daily-stats-repo';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { type StrategyPositionRecord } from '../../../engine/model/position';
import { calculateDailyStatistics, strategyRows, type DailyStats } from '../../../engine/workflows/calculate-daily-statistics';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';
import { openPaperBullPut } from '../../helpers/workflow-stubs';

const DAY = '2026-03-02';
const NOW = Date.parse('2026-03-02T15:00:00Z');

/** A journal position closed at `closedAt` with `pnl` realized (put spread, 5 wide, 1.00 credit). */
function closedPosition(e: TestEngine, id: string, strategy: StrategyPositionRecord['strategy'], closedAt: number, pnl: number): void {
  const repo = new PositionsRepo(e.db);
  repo.open({ id, opened_by_intent: `i-${id}`, symbol: 'QQQ', strategy, legs: [{ right: 'P', strike: 500, expiry: '2026-04-17', action: 'SELL', ratio: 1, con_id: null }, { right: 'P', strike: 495, expiry: '2026-04-17', action: 'BUY', ratio: 1, con_id: null }], quantity: 1, entry_credit: 1, entry_iv: null, entry_vix: null, entry_time: closedAt - 86_400_000 });
  repo.close(id, closedAt, pnl);
}

describe('calculate_daily_statistics', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  describe('when positions were opened and closed today', () => {
    it('should total realized P&L, wins, fees and open risk, per strategy, and store one row for the day', async () => {
      e = testEngine({ execute: true });
      const p = await openPaperBullPut(e, 2);
      closedPosition(e, 'ic', 'iron_condor', NOW - 60_000, 120);
      closedPosition(e, 'bc', 'bear_call', NOW - 120_000, -80);
      closedPosition(e, 'old', 'bear_call', NOW - 86_400_000, 500);
      // Yesterday's commission is not today's fee.
      new ExecutionsRepo(e.db).record({ exec_id: 'old-x', broker_order_id: 'b0', order_ref: 'i-old', symbol: 'QQQ', quantity: 1, price: -1, leg_prices: [], time: NOW - 86_400_000, commission: 9.99 }, 'i-old');
      const open = new PositionsRepo(e.db).get(p.position_id);
      if (!open) throw new Error('expected the paper fill to be journaled');
      const risk = (p.short - p.long - open.entry_credit) * 100 * 2;
      const feesToday = (await e.broker.executions(Date.parse('2026-03-02T05:00:00Z'))).reduce((s, x) => s + x.commission, 0);

      const r = await calculateDailyStatistics(e.ctx, jobFor('calculate_daily_statistics', e.clock));
      const s = r.data as DailyStats;
      expect(feesToday).toBeCloseTo(2.6, 6); // 2 combos × 2 legs × 0.65
      expect(s).toMatchObject({ trading_date: DAY, realized_pnl: 40, closed: 2, wins: 1, win_rate_pct: 50, open_positions: 1 });
      expect(s.fees).toBeCloseTo(feesToday, 6);
      expect(s.open_risk).toBeCloseTo(risk, 6);
      expect(s.net_liquidation).toBe((await e.broker.accountSummary()).net_liquidation);
      expect(s.per_strategy.map((x) => [x.strategy, x.closed, x.wins, x.realized_pnl, x.open])).toEqual([
        ['bear_call', 1, 0, -80, 0],
        ['bull_put', 0, 0, 0, 1],
        ['iron_condor', 1, 1, 120, 0],
      ]);
      expect(r.summary).toBe(`${DAY}: realized 40.00, 2 closed (win rate 50%), fees 2.60, 1 open with ${risk.toFixed(2)} at risk`);
      expect(new DailyStatsRepo(e.db).get<DailyStats>(DAY)).toEqual(s);
    });
  });

  describe('when the day is computed again', () => {
    it('should replace the row, and a dry run should store nothing', async () => {
      e = testEngine();
      const dry = await calculateDailyStatistics(e.ctx, jobFor('calculate_daily_statistics', e.clock, { dry_run: true }));
      expect((dry.data as DailyStats).win_rate_pct).toBeNull();
      expect(new DailyStatsRepo(e.db).get(DAY)).toBeNull();
      await calculateDailyStatistics(e.ctx, jobFor('calculate_daily_statistics', e.clock));
      closedPosition(e, 'w', 'bull_put', NOW + 60_000, 75);
      e.clock.advance(3_600_000);
      await calculateDailyStatistics(e.ctx, jobFor('calculate_daily_statistics', e.clock));
      expect(e.db.prepare('SELECT COUNT(*) AS n, MAX(computed_at) AS at FROM daily_stats').get()).toEqual({ n: 1, at: NOW + 3_600_000 });
      expect(new DailyStatsRepo(e.db).get<DailyStats>(DAY)).toMatchObject({ closed: 1, wins: 1, realized_pnl: 75, win_rate_pct: 100, fees: 0, open_positions: 0, open_risk: 0 });
    });
  });
});

describe('strategyRows', () => {
  const base: StrategyPositionRecord = {
    id: 'p', opened_by_intent: 'i', symbol: 'SPY', strategy: 'bull_put', quantity: 1, entry_credit: 1.5, entry_iv: null, entry_vix: null, entry_time: 0, peak_profit_pct: null, partial_taken: false,
    legs: [{ right: 'P', strike: 580, expiry: '2026-04-17', action: 'SELL', ratio: 1, con_id: null }, { right: 'P', strike: 575, expiry: '2026-04-17', action: 'BUY', ratio: 1, con_id: null }],
    status: 'open', closed_at: null, realized_pnl: null,
  };
  const closed = (at: number, pnl: number): StrategyPositionRecord => ({ ...base, status: 'closed', closed_at: at, realized_pnl: pnl });

  it.each([
    ['an open position counts its max loss', [{ ...base, quantity: 3 }], [{ strategy: 'bull_put', closed: 0, wins: 0, realized_pnl: 0, open: 1, open_risk: 1050 }]],
    ['closed at the start of the day counts', [closed(100, 10)], [{ strategy: 'bull_put', closed: 1, wins: 1, realized_pnl: 10, open: 0, open_risk: 0 }]],
    ['closed at the end instant belongs to the next day', [closed(200, 10)], []],
    ['a break-even close is not a win', [closed(150, 0)], [{ strategy: 'bull_put', closed: 1, wins: 0, realized_pnl: 0, open: 0, open_risk: 0 }]],
  ])('%s', (_name, positions, expected) => {
    expect(strategyRows(positions, 100, 200)).toEqual(expected);
  });
});
