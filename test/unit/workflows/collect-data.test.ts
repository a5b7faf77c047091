import type { ExpiryInfo } from '../../../engine/market/market-data';
import { SnapshotsRepo } from '../../../engine/store/snapshots-repo';
import { collectFuturesData, type IndexSnapshot } from '../../../engine/workflows/collect-futures-data';
import { collectOptionData, snapshotContracts, type OptionSnapshot } from '../../../engine/workflows/collect-option-data';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';

const DAY = '2026-03-02';

describe('collect_option_data', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  it('should store per underlying the nearest 20–60 DTE expiry’s ATM strike ±1, puts and calls, with quotes as the market gives them', async () => {
    e = testEngine();
    const r = await collectOptionData(e.ctx, jobFor('collect_option_data', e.clock));
    expect(r.summary).toBe('option snapshots: SPY 6 quotes, QQQ 6 quotes, IWM 6 quotes');
    const snaps = new SnapshotsRepo(e.db).ofDay<OptionSnapshot>(DAY, 'option');
    expect(snaps.map((s) => [s.symbol, s.at])).toEqual([['IWM', e.clock.now()], ['QQQ', e.clock.now()], ['SPY', e.clock.now()]]);
    const spy = snaps.find((s) => s.symbol === 'SPY')?.data;
    const chain = await e.market.chain('SPY', { dte_min: 20, dte_max: 60 });
    const nearest = [...chain.expiries].sort((a, b) => a.dte - b.dte)[0];
    expect(spy?.expiry).toBe(nearest?.expiry);
    expect(spy?.spot).toBe(chain.spot);
    const strikes = [...new Set(spy?.quotes.map((q) => q.strike))];
    expect(strikes).toHaveLength(3);
    // The middle strike is the listed one nearest spot, and its neighbours are the next listed ones.
    const listed = nearest?.strikes ?? [];
    const atm = listed.reduce((b, k) => (Math.abs(k - chain.spot) < Math.abs(b - chain.spot) ? k : b));
    expect(strikes).toEqual([listed[listed.indexOf(atm) - 1], atm, listed[listed.indexOf(atm) + 1]]);
    expect(spy?.quotes.map((q) => q.right)).toEqual(['P', 'C', 'P', 'C', 'P', 'C']);
    const [q] = await e.market.quotes([{ symbol: 'SPY', expiry: spy?.expiry ?? '', right: 'P', strike: atm }]);
    expect(spy?.quotes[2]).toEqual({ right: 'P', strike: atm, bid: q?.bid, ask: q?.ask, mid: q?.mid, iv: q?.iv, delta: q?.delta });
  });

  it('should store nothing on a dry run but return the same snapshots', async () => {
    e = testEngine();
    const r = await collectOptionData(e.ctx, jobFor('collect_option_data', e.clock, { dry_run: true }));
    expect(Object.keys(r.data as object)).toEqual(['SPY', 'QQQ', 'IWM']);
    expect(new SnapshotsRepo(e.db).ofDay(DAY, 'option')).toEqual([]);
  });
});

describe('snapshotContracts', () => {
  const exp = (expiry: string, dte: number, strikes: number[]): ExpiryInfo => ({ expiry, dte, kind: 'weekly', strikes });

  it.each([
    ['the nearest expiry even when listed later', [exp('2026-04-17', 46, [99, 100, 101]), exp('2026-03-27', 25, [98, 100, 102])], 100.4, { expiry: '2026-03-27', strikes: [98, 100, 102] }],
    ['ATM ±1 by listing, not by distance', [exp('2026-03-27', 25, [90, 101, 102, 103])], 101.4, { expiry: '2026-03-27', strikes: [90, 101, 102] }],
    ['unsorted strikes', [exp('2026-03-27', 25, [105, 95, 100, 110])], 101, { expiry: '2026-03-27', strikes: [95, 100, 105] }],
    ['two strikes at the edge of the listing', [exp('2026-03-27', 25, [100, 105, 110])], 90, { expiry: '2026-03-27', strikes: [100, 105] }],
    ['an expiry without strikes is skipped', [exp('2026-03-20', 18, []), exp('2026-03-27', 25, [100])], 100, { expiry: '2026-03-27', strikes: [100] }],
    ['no expiry', [], 100, null],
  ])('%s', (_name, expiries, spot, expected) => {
    expect(snapshotContracts(expiries, spot)).toEqual(expected);
  });
});

describe('collect_futures_data', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  it('should store VIX and each underlying’s price as index levels, and nothing on a dry run', async () => {
    e = testEngine();
    await collectFuturesData(e.ctx, jobFor('collect_futures_data', e.clock, { dry_run: true }));
    expect(new SnapshotsRepo(e.db).ofDay(DAY, 'index')).toEqual([]);
    const r = await collectFuturesData(e.ctx, jobFor('collect_futures_data', e.clock));
    const vix = await e.market.vix();
    const spy = await e.market.spot('SPY');
    expect(r.summary).toMatch(new RegExp(`^levels: VIX ${vix.toFixed(2)}, SPY ${spy.toFixed(2)}, QQQ [0-9.]+, IWM [0-9.]+$`));
    const rows = new SnapshotsRepo(e.db).ofDay<IndexSnapshot>(DAY, 'index');
    expect(rows.map((s) => s.symbol)).toEqual(['IWM', 'QQQ', 'SPY', 'VIX']);
    expect(rows.find((s) => s.symbol === 'VIX')?.data).toEqual({ level: vix });
    expect(rows.find((s) => s.symbol === 'SPY')?.data).toEqual({ level: spy });
  });
});
