import { SnapshotsRepo } from '../../../engine/store/snapshots-repo';
import { loadHistoricalData } from '../../../engine/workflows/load-historical-data';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';
import { override } from '../../helpers/workflow-stubs';

describe('load_historical_data', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  it('should store the lookback of daily IV per underlying, ending today, and name each in the summary', async () => {
    e = testEngine();
    const days = e.ctx.config.strategies.market.iv_lookback_days;
    const r = await loadHistoricalData(e.ctx, jobFor('load_historical_data', e.clock));
    expect(r.summary).toBe(`IV history: SPY ${days} days, QQQ ${days} days, IWM ${days} days`);
    const spy = new SnapshotsRepo(e.db).ivHistory('SPY');
    expect(spy).toHaveLength(days);
    expect(spy[spy.length - 1]?.date).toBe('2026-03-02');
    expect(spy).toEqual([...(await e.market.ivHistory('SPY', days))].map((p) => ({ date: p.date, iv: p.iv })));
  });

  it('should replace rather than duplicate on a reload, and store nothing on a dry run', async () => {
    e = testEngine();
    const dry = await loadHistoricalData(e.ctx, jobFor('load_historical_data', e.clock, { dry_run: true }));
    expect(e.db.prepare('SELECT COUNT(*) AS n FROM iv_history').get()).toEqual({ n: 0 });
    await loadHistoricalData(e.ctx, jobFor('load_historical_data', e.clock));
    const again = await loadHistoricalData(e.ctx, jobFor('load_historical_data', e.clock));
    expect(again.summary).toBe(dry.summary);
    expect(e.db.prepare('SELECT COUNT(*) AS n FROM iv_history').get()).toEqual({ n: 3 * e.ctx.config.strategies.market.iv_lookback_days });
  });

  it('should fail the job with the symbol and what to check when a source has no history', async () => {
    e = testEngine();
    const ctx = { ...e.ctx, market: override(e.market, { ivHistory: async (s: string, n: number) => (s === 'QQQ' ? [] : e.market.ivHistory(s, n)) }) };
    await expect(loadHistoricalData(ctx, jobFor('load_historical_data', e.clock))).rejects.toThrow('no IV history for QQQ from sim: IV rank cannot be computed; check the market-data subscription');
  });
});
