import type { SnapshotRecord } from '../../../engine/store/snapshots-repo';
import { SnapshotsRepo } from '../../../engine/store/snapshots-repo';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { calculateDailyStatistics, type DailyStats } from '../../../engine/workflows/calculate-daily-statistics';
import { collectFuturesData } from '../../../engine/workflows/collect-futures-data';
import { collectOptionData, type OptionSnapshot } from '../../../engine/workflows/collect-option-data';
import { findDataIssues } from '../../../engine/workflows/data-quality-checks';
import { healthCheck } from '../../../engine/workflows/health-check';
import { loadHistoricalData } from '../../../engine/workflows/load-historical-data';
import { WORKFLOWS } from '../../../engine/workflows/registry';
import { syncPositions } from '../../../engine/workflows/sync-positions';
import { validateDataQuality } from '../../../engine/workflows/validate-data-quality';
import { validateIbConnection } from '../../../engine/workflows/validate-ib-connection';
import { TASK_NAMES } from '../../../engine/config/types';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';

const AT = '2026-01-05T15:00:00Z';

function openPosition(e: TestEngine, id: string, credit: number, quantity = 1): void {
  new PositionsRepo(e.db).open({
    id,
    opened_by_intent: `i-${id}`,
    symbol: 'SPY',
    strategy: 'bull_put',
    legs: [
      { right: 'P', strike: 580, expiry: '2026-02-20', action: 'SELL', ratio: 1, con_id: null },
      { right: 'P', strike: 575, expiry: '2026-02-20', action: 'BUY', ratio: 1, con_id: null },
    ],
    quantity,
    entry_credit: credit,
    entry_iv: 0.2,
    entry_vix: 20,
    entry_time: Date.parse(AT) - 86_400_000,
  });
}

describe('the day’s other tasks', () => {
  let e: TestEngine | undefined;
  afterEach(() => {
    e?.close();
    e = undefined;
  });

  it('has a workflow for every task name', () => {
    expect(Object.keys(WORKFLOWS).sort()).toEqual([...TASK_NAMES].sort());
  });

  it('load_historical_data stores the lookback of IV per underlying, and a dry run stores none', async () => {
    e = testEngine({ at: AT });
    const dry = await loadHistoricalData(e.ctx, jobFor('load_historical_data', e.clock, { dry_run: true }));
    expect(new SnapshotsRepo(e.db).ivHistory('SPY')).toEqual([]);
    const r = await loadHistoricalData(e.ctx, jobFor('load_historical_data', e.clock));
    expect(r.summary).toBe(dry.summary);
    const spy = new SnapshotsRepo(e.db).ivHistory('SPY');
    expect(spy.length).toBe(e.ctx.config.strategies.market.iv_lookback_days);
    expect(spy.every((p) => p.iv > 0.01 && p.iv < 2)).toBe(true);
  });

  it('validate_ib_connection passes on a connected broker and fails with an alert on a disconnected one', async () => {
    e = testEngine({ at: AT });
    await e.broker.connect();
    expect((await validateIbConnection(e.ctx, jobFor('validate_ib_connection', e.clock))).summary).toMatch(/^broker paper connected; net liquidation 100000.00; SPY /);
    await e.broker.disconnect();
    await expect(validateIbConnection(e.ctx, jobFor('validate_ib_connection', e.clock))).rejects.toThrow(/^connection check failed: broker paper not connected/);
    expect(e.alerts.some((l) => l.includes('broker_unreachable'))).toBe(true);
  });

  it('collects compact option snapshots and index levels, and the day with one snapshot is a gap-free day', async () => {
    e = testEngine({ at: AT });
    await collectOptionData(e.ctx, jobFor('collect_option_data', e.clock));
    await collectFuturesData(e.ctx, jobFor('collect_futures_data', e.clock));
    const opt = new SnapshotsRepo(e.db).ofDay<OptionSnapshot>('2026-01-05', 'option');
    expect(opt.map((s) => s.symbol)).toEqual(['IWM', 'QQQ', 'SPY']);
    expect(opt.every((s) => s.data.quotes.length === 6 && s.data.expiry !== null)).toBe(true);
    expect(new SnapshotsRepo(e.db).ofDay('2026-01-05', 'index').map((s) => s.symbol).sort()).toEqual(['IWM', 'QQQ', 'SPY', 'VIX']);
    const q = await validateDataQuality(e.ctx, jobFor('validate_data_quality', e.clock));
    expect(q.summary).toBe('2026-01-05: 3 snapshots, no issues');
  });

  it('calculate_daily_statistics: realized P&L, win rate, fees and open risk per strategy', async () => {
    e = testEngine({ at: AT });
    openPosition(e, 'a', 1.5);
    openPosition(e, 'b', 1.2, 2);
    openPosition(e, 'c', 1.0);
    const repo = new PositionsRepo(e.db);
    repo.close('a', Date.parse(AT) - 60_000, 80);
    repo.close('b', Date.parse(AT) - 60_000, -40);
    const r = await calculateDailyStatistics(e.ctx, jobFor('calculate_daily_statistics', e.clock));
    const s = r.data as DailyStats;
    expect(s).toMatchObject({ trading_date: '2026-01-05', realized_pnl: 40, closed: 2, wins: 1, win_rate_pct: 50, open_positions: 1, open_risk: 400, fees: 0 });
    expect(s.per_strategy).toEqual([{ strategy: 'bull_put', closed: 2, wins: 1, realized_pnl: 40, open: 1, open_risk: 400 }]);
    expect(e.db.prepare("SELECT COUNT(*) AS n FROM daily_stats WHERE trading_date = '2026-01-05'").get()).toEqual({ n: 1 });
  });

  it('sync_positions reports legs the broker does not hold and leaves the journal alone', async () => {
    e = testEngine({ at: AT });
    openPosition(e, 'a', 1.5, 2);
    const r = await syncPositions(e.ctx, jobFor('sync_positions', e.clock));
    expect((r.data as { mismatches: unknown[] }).mismatches).toEqual([
      { leg: 'SPY 2026-02-20 575P', journal: 2, broker: 0 },
      { leg: 'SPY 2026-02-20 580P', journal: -2, broker: 0 },
    ]);
    expect(r.summary).toBe('2 leg(s) differ from the broker; the journal was left as it is for review');
    expect(new PositionsRepo(e.db).get('a')?.status).toBe('open');
    expect(e.alerts.some((l) => l.includes('position_mismatch'))).toBe(true);
  });

  it('health_check reports a failed task and a disconnected broker without throwing', async () => {
    e = testEngine({ at: AT });
    e.db.prepare("INSERT INTO runs (job_id, task, config_hash, started_at, status, detail) VALUES ('j1', 'strategy_analysis', 'h', 1, 'failed', 'no data')").run();
    const r = await healthCheck(e.ctx, jobFor('health_check', e.clock));
    expect(r.summary).toBe('unhealthy: broker paper not connected (paper broker (simulated market)); strategy_analysis last failed: no data');
  });
});

describe('findDataIssues', () => {
  const t0 = Date.parse('2026-01-05T15:00:00Z');
  const snap = (min: number, spot: number, bid = 1, ask = bid + 0.1, iv = 0.2): SnapshotRecord<OptionSnapshot> => ({
    at: t0 + min * 60_000,
    trading_date: '2026-01-05',
    kind: 'option',
    symbol: 'SPY',
    data: { spot, expiry: '2026-02-20', quotes: [{ right: 'P', strike: 580, bid, ask, mid: (bid + ask) / 2, iv, delta: -0.3 }] },
  });
  const kinds = (s: Array<SnapshotRecord<OptionSnapshot>>): string[] => findDataIssues(s, ['SPY']).map((i) => i.kind);

  it.each([
    ['a clean day', [snap(0, 600, 1), snap(5, 601, 1.1), snap(10, 600, 1.2)], []],
    ['a gap', [snap(0, 600, 1), snap(20, 600, 1.1)], ['gap']],
    ['a stale quote', [0, 5, 10, 15, 20, 25].map((m, i) => snap(m, 600 + i)), ['stale']],
    ['a crossed quote', [snap(0, 600, 1.2, 1.1)], ['crossed']],
    ['a spot outlier', [snap(0, 600, 1), snap(5, 660, 1.1)], ['outlier']],
    ['an IV outlier', [snap(0, 600, 1, 1.1, 7)], ['outlier']],
    ['no data', [], ['no_data']],
  ])('%s', (_name, snaps, expected) => {
    expect(kinds(snaps)).toEqual(expected);
  });
});
