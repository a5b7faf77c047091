import { SnapshotsRepo, type SnapshotRecord } from '../../../engine/store/snapshots-repo';
import type { IndexSnapshot } from '../../../engine/workflows/collect-futures-data';
import type { OptionSnapshot } from '../../../engine/workflows/collect-option-data';
import { findDataIssues, findIndexIssues } from '../../../engine/workflows/data-quality-checks';
import { validateDataQuality, type DataQualityReport } from '../../../engine/workflows/validate-data-quality';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';

/** 10:00 ET on a winter Monday (EST, UTC−5). */
const T0 = Date.parse('2026-03-02T15:00:00Z');
const DAY = '2026-03-02';

type Q = OptionSnapshot['quotes'][number];
const quote = (o: Partial<Q> = {}): Q => ({ right: 'P', strike: 580, bid: 1, ask: 1.1, mid: 1.05, iv: 0.2, delta: -0.3, ...o });
const opt = (min: number, spot: number, quotes: Q[] = [quote({ bid: 1 + min / 100, ask: 1.1 + min / 100 })]): SnapshotRecord<OptionSnapshot> => ({ at: T0 + min * 60_000, trading_date: DAY, kind: 'option', symbol: 'SPY', data: { spot, expiry: '2026-04-17', quotes } });
const idx = (symbol: string, min: number, level: number): SnapshotRecord<IndexSnapshot> => ({ at: T0 + min * 60_000, trading_date: DAY, kind: 'index', symbol, data: { level } });
const every5 = (n: number): number[] => Array.from({ length: n }, (_, i) => i * 5);

describe('findDataIssues (option snapshots)', () => {
  it.each<[string, Array<SnapshotRecord<OptionSnapshot>>, Array<[string, string]>]>([
    ['a clean day', every5(10).map((m) => opt(m, 600 + m / 10)), []],
    ['no snapshots', [], [['no_data', 'no snapshots today']]],
    ['a gap of 15 minutes', [opt(0, 600), opt(5, 600), opt(20, 600)], [['gap', '15 min without a snapshot']]],
    ['10 minutes apart is no gap', [opt(0, 600), opt(10, 600)], []],
    ['a gap before the open does not count', [opt(-60, 600), opt(0, 600)], []],
    ['a stale quote over six snapshots', every5(6).map((m) => opt(m, 600 + m, [quote()])), [['stale', '2026-04-17 580P bid/ask 1/1.1 unchanged in 6 snapshots']]],
    ['five identical quotes are not stale', every5(5).map((m) => opt(m, 600 + m, [quote()])), []],
    ['a run broken by the contract leaving the snapshot', [...every5(3).map((m) => opt(m, 600, [quote()])), opt(15, 600, [quote({ strike: 585 })]), ...[20, 25, 30].map((m) => opt(m, 600, [quote()]))], []],
    ['a crossed quote', [opt(0, 600, [quote({ bid: 1.2, ask: 1.1 })])], [['crossed', '2026-04-17 580P bid 1.2 > ask 1.1']]],
    ['a spot jump over 5%', [opt(0, 600), opt(5, 631)], [['outlier', 'price moved 5.2% between snapshots (600 → 631)']]],
    ['a 5% move exactly is allowed', [opt(0, 600), opt(5, 630)], []],
    ['an IV above 5', [opt(0, 600, [quote({ iv: 7 })])], [['outlier', '2026-04-17 580P IV 7 outside 0.01..5']]],
    ['an IV below 0.01', [opt(0, 600, [quote({ iv: 0.001 })])], [['outlier', '2026-04-17 580P IV 0.001 outside 0.01..5']]],
    ['a zero spot', [opt(0, 0)], [['outlier', 'price 0 is not a price']]],
  ])('%s', (_name, snaps, expected) => {
    expect(findDataIssues(snaps, ['SPY']).map((i) => [i.kind, i.detail])).toEqual(expected);
  });

  it('should check each symbol on its own and ignore symbols not asked about', () => {
    const qqq = { ...opt(0, 500), symbol: 'QQQ' };
    const issues = findDataIssues([opt(0, 600), opt(20, 600), qqq, { ...opt(5, 9), symbol: 'XYZ' }], ['SPY', 'QQQ', 'IWM']);
    expect(issues.map((i) => [i.symbol, i.kind, i.at])).toEqual([['SPY', 'gap', T0 + 20 * 60_000], ['IWM', 'no_data', null]]);
  });
});

describe('findIndexIssues', () => {
  it.each<[string, Array<SnapshotRecord<IndexSnapshot>>, Array<[string, string, string]>]>([
    ['a clean day', [idx('SPY', 0, 600), idx('SPY', 5, 601), idx('VIX', 0, 20), idx('VIX', 5, 20.5)], []],
    ['VIX may jump 10% in five minutes', [idx('SPY', 0, 600), idx('VIX', 0, 20), idx('VIX', 5, 22)], []],
    ['an underlying may not', [idx('SPY', 0, 600), idx('SPY', 5, 540), idx('VIX', 0, 20)], [['SPY', 'outlier', 'price moved 10.0% between snapshots (600 → 540)']]],
    ['a gap in VIX', [idx('SPY', 0, 600), idx('VIX', 0, 20), idx('VIX', 30, 20)], [['VIX', 'gap', '30 min without a snapshot']]],
    ['a VIX of zero', [idx('SPY', 0, 600), idx('VIX', 0, 0)], [['VIX', 'outlier', 'price 0 is not a price']]],
    ['VIX missing', [idx('SPY', 0, 600)], [['VIX', 'no_data', 'no snapshots today']]],
  ])('%s', (_name, snaps, expected) => {
    expect(findIndexIssues(snaps, ['VIX', 'SPY']).map((i) => [i.symbol, i.kind, i.detail])).toEqual(expected);
  });
});

describe('validate_data_quality', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  it('should report every missing series and raise one data_quality warning with the counts', async () => {
    e = testEngine();
    const r = await validateDataQuality(e.ctx, jobFor('validate_data_quality', e.clock));
    const d = r.data as DataQualityReport;
    expect(d.checked).toBe(0);
    expect(d.issues.map((i) => `${i.source} ${i.symbol}`)).toEqual(['option SPY', 'option QQQ', 'option IWM', 'index VIX', 'index SPY', 'index QQQ', 'index IWM']);
    expect(r.summary).toBe(`${DAY}: 0 snapshots; 7 no_data`);
    expect(e.alerts).toHaveLength(1);
    expect(JSON.parse(e.alerts[0] ?? '{}')).toMatchObject({ alert: 'data_quality', severity: 'warning', message: `data quality ${DAY}: 7 no_data; 'thetadesk enqueue validate_data_quality --dry-run --json' lists each issue` });
  });

  it('should count issues by kind over option and index snapshots, and alert nothing on a dry run', async () => {
    e = testEngine();
    const repo = new SnapshotsRepo(e.db);
    for (const s of ['SPY', 'QQQ', 'IWM']) {
      for (const m of [0, 5, 30]) repo.add({ ...opt(m, 600), symbol: s });
      for (const m of [0, 5]) repo.add(idx(s, m, 600));
    }
    repo.add(idx('VIX', 0, 20));
    repo.add({ ...opt(35, 600, [quote({ bid: 2, ask: 1 })]), symbol: 'SPY' });
    const r = await validateDataQuality(e.ctx, jobFor('validate_data_quality', e.clock, { dry_run: true }));
    const d = r.data as DataQualityReport;
    expect(d.checked_by_kind).toEqual({ option: 10, index: 7 });
    expect(r.summary).toBe(`${DAY}: 10 snapshots; 3 gap, 1 crossed`);
    expect(e.alerts).toEqual([]);
  });
});
