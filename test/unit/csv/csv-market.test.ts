import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CsvMarket } from '../../../engine/adapters/csv/csv-market';
import { exportSimCsv } from '../../../engine/backtest/market-export';
import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import { bsmGreeks } from '../../../engine/market/bsm';
import { yearsToExpiry } from '../../../engine/market/snapshot-model';
import { ManualClock } from '../../../engine/shared/clock';
import { ConfigError } from '../../../engine/shared/errors';

const HEADER = 'timestamp,underlying,spot,expiry,strike,right,bid,ask';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-csv-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function csvFile(lines: readonly string[]): string {
  const f = path.join(dir, `h${n++}.csv`);
  fs.writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

describe('when the CSV market serves quotes by clock time', () => {
  const file = (): string =>
    csvFile([
      `${HEADER},iv`,
      '2026-01-05T15:00:00Z,SPY,600,2026-02-20,580,P,2.00,2.10,0.17',
      '2026-01-05T15:00:00Z,SPY,600,2026-02-20,620,C,1.50,1.60,0.13',
      '2026-01-05T16:00:00Z,SPY,605,2026-02-20,580,P,1.70,1.80,0.16',
      '2026-01-05T16:00:00Z,SPY,605,2026-02-20,620,C,1.90,2.00,0.13',
    ]);

  it('should serve the latest rows at or before the clock, never a later row', async () => {
    const clock = new ManualClock('2026-01-05T15:59:59.999Z');
    const m = new CsvMarket({ file: file(), clock });
    expect(await m.spot('SPY')).toBe(600);
    const [put] = await m.quotes([{ symbol: 'SPY', expiry: '2026-02-20', right: 'P', strike: 580 }]);
    expect(put?.bid).toBe(2);
    clock.set('2026-01-05T16:00:00Z');
    expect(await m.spot('SPY')).toBe(605);
    expect((await m.quotes([{ symbol: 'SPY', expiry: '2026-02-20', right: 'P', strike: 580 }]))[0]?.bid).toBe(1.7);
    clock.set('2026-01-06T15:00:00Z');
    expect(await m.spot('SPY')).toBe(605);
  });

  it('should refuse a time before the first row, naming the first row time', async () => {
    const m = new CsvMarket({ file: file(), clock: new ManualClock('2026-01-05T14:59:00Z') });
    await expect(m.spot('SPY')).rejects.toThrow(/no SPY rows at or before 2026-01-05T14:59:00.000Z; its first is at 2026-01-05T15:00:00.000Z/);
  });

  it('should list the chain of the latest snapshot within the DTE and strike window', async () => {
    const m = new CsvMarket({ file: file(), clock: new ManualClock('2026-01-05T15:30:00Z') });
    const c = await m.chain('SPY', { dte_min: 30, dte_max: 60 });
    expect(c.expiries).toEqual([{ expiry: '2026-02-20', dte: 46, kind: 'monthly', strikes: [580, 620] }]);
    expect((await m.chain('SPY', { dte_min: 50, dte_max: 60 })).expiries).toEqual([]);
    expect((await m.chain('SPY', { dte_min: 0, dte_max: 60, strike_min: 600 })).expiries[0]?.strikes).toEqual([620]);
  });

  it('should model a contract the file lacks from the surface and count it', async () => {
    const m = new CsvMarket({ file: file(), clock: new ManualClock('2026-01-05T15:30:00Z') });
    const [q] = await m.quotes([{ symbol: 'SPY', expiry: '2026-02-20', right: 'P', strike: 590 }]);
    expect(m.modelled).toBe(1);
    expect(q?.iv).toBeCloseTo(0.17 + ((0.13 - 0.17) * 10) / 40, 10);
    expect(q?.delta).toBeLessThan(0);
    expect(q!.ask! - q!.bid!).toBeCloseTo(0.1, 10);
  });
});

describe('when a row lacks IV or greeks', () => {
  it('should imply the IV from the mid and compute the greeks with BSM at the row time', async () => {
    const f = csvFile([`${HEADER},rate,dividend_yield`, '2026-01-05T15:00:00Z,SPY,600,2026-02-20,580,P,5.95,6.05,0.04,0.01']);
    const m = new CsvMarket({ file: f, clock: new ManualClock('2026-01-05T15:00:00Z') });
    const [q] = await m.quotes([{ symbol: 'SPY', expiry: '2026-02-20', right: 'P', strike: 580 }]);
    const g = bsmGreeks({ right: 'P', spot: 600, strike: 580, t: yearsToExpiry('2026-02-20', Date.parse('2026-01-05T15:00:00Z')), r: 0.04, q: 0.01, vol: q!.iv! });
    expect(g.price).toBeCloseTo(6, 8);
    expect(q).toMatchObject({ delta: g.delta, gamma: g.gamma, theta: g.theta, vega: g.vega, mid: 6 });
  });

  it('should keep the greeks a row gives and compute only the missing ones', async () => {
    const f = csvFile([`${HEADER},iv,delta,gamma,theta,vega`, '2026-01-05T15:00:00Z,SPY,600,2026-02-20,580,P,5.95,6.05,0.2,-0.3,,,']);
    const m = new CsvMarket({ file: f, clock: new ManualClock('2026-01-05T15:00:00Z') });
    const [q] = await m.quotes([{ symbol: 'SPY', expiry: '2026-02-20', right: 'P', strike: 580 }]);
    expect(q?.iv).toBe(0.2);
    expect(q?.delta).toBe(-0.3);
    expect(q?.gamma).toBeGreaterThan(0);
  });

  it('should derive VIX from the 30-day ATM IV when the file has no vix column', async () => {
    const f = csvFile([`${HEADER},iv`, '2026-01-05T15:00:00Z,SPY,600,2026-02-04,600,C,7,7.1,0.2', '2026-01-05T15:00:00Z,SPY,600,2026-02-04,600,P,7,7.1,0.2']);
    const m = new CsvMarket({ file: f, clock: new ManualClock('2026-01-05T15:00:00Z') });
    expect(await m.vix()).toBe(20);
    expect(await m.ivHistory('SPY', 252)).toEqual([{ date: '2026-01-05', iv: 0.2 }]);
  });
});

describe('when rows are bad', () => {
  const lines = [
    HEADER,
    '2026-01-05T15:00:00Z,SPY,600,2026-02-20,580,P,2.00,2.10',
    '2026-01-05T15:00:00Z,SPY,600,2026-02-20,580,X,2.00,2.10',
    'yesterday,SPY,600,2026-02-20,580,P,2.00,2.10',
    '2026-01-05T15:00:00Z,SPY,600,2026-02-20,581,P,2.20,2.10',
    '2026-01-05T15:00:00Z,SPY,601,2026-02-20,582,P,2.00,2.10',
    '2026-01-05T15:00:00Z,SPY,600,2026-02-20,580,P,2.00,2.10',
  ];

  it('should skip each, reported as FILE:LINE: message, and serve the good rows', async () => {
    const f = csvFile(lines);
    const m = new CsvMarket({ file: f, clock: new ManualClock('2026-01-05T15:00:00Z') });
    expect(m.problems).toEqual([
      `${f}:3: right "X" must be C or P (or call/put)`,
      `${f}:4: timestamp "yesterday" is not a time like 2026-01-05T15:30:00Z (or 2026-01-05 10:30 in New York time)`,
      `${f}:5: ask 2.1 is below bid 2.2`,
      `${f}:6: spot 601 differs from 600 on the earlier rows of SPY at the same timestamp`,
      `${f}:7: SPY 2026-02-20 580P appears twice at the same timestamp`,
    ]);
    expect(await m.spot('SPY')).toBe(600);
  });

  it('should reject the whole file with strict, listing every bad row', () => {
    const f = csvFile(lines);
    expect(() => new CsvMarket({ file: f, clock: new ManualClock(0), strict: true })).toThrow(ConfigError);
    expect(() => new CsvMarket({ file: f, clock: new ManualClock(0), strict: true })).toThrow(`5 bad row(s) in ${f} (--strict rejects the file):\n${f}:3: right`);
  });

  it('should reject a header without a required column, naming the line', () => {
    const f = csvFile(['timestamp,underlying,spot,expiry,strike,right,bid', '2026-01-05T15:00:00Z,SPY,600,2026-02-20,580,P,2.00']);
    expect(() => new CsvMarket({ file: f, clock: new ManualClock(0) })).toThrow(`${f}:1: the header lacks required column(s) ask`);
  });

  it('should read times without a zone as New York time', async () => {
    const f = csvFile([HEADER, '2026-01-05 10:00,SPY,600,2026-02-20,580,P,2.00,2.10']);
    const m = new CsvMarket({ file: f, clock: new ManualClock('2026-01-05T15:00:00Z') });
    expect(await m.spot('SPY')).toBe(600);
    await expect(new CsvMarket({ file: f, clock: new ManualClock('2026-01-05T14:59:00Z') }).spot('SPY')).rejects.toThrow(/no SPY rows/);
  });
});

describe('when the sim is exported and read back', () => {
  it('should serve the sim spot, VIX and quotes at the snapshot times within float tolerance', async () => {
    const out = path.join(dir, 'round-trip.csv');
    const windows = { dte_min: 21, dte_max: 60, delta_min: 0.06, delta_max: 0.45 };
    const s = await exportSimCsv({ seed: 3, symbols: ['SPY', 'IWM'], from: '2026-03-02', to: '2026-03-03', everyMs: 2 * 3600_000, windows, out });
    expect(s).toMatchObject({ days: 2, snapshots: 10 });
    const clock = new ManualClock(0);
    const sim = new SimMarket({ seed: 3, clock, symbols: ['SPY', 'IWM'] });
    const csv = new CsvMarket({ file: out, clock, strict: true });
    let compared = 0;
    for (const t of ['2026-03-02T14:30:00Z', '2026-03-02T20:59:00Z', '2026-03-03T21:00:00Z']) {
      // 2026-03-02 is in EST: snapshots at 14:30Z (the open), 16:30Z, 18:30Z, 20:30Z and 21:00Z (the close).
      clock.set(t === '2026-03-02T20:59:00Z' ? '2026-03-02T20:30:00Z' : t);
      const simQuotes: Record<string, Awaited<ReturnType<SimMarket['quotes']>>> = {};
      for (const sym of ['SPY', 'IWM']) {
        const chain = await sim.chain(sym, { dte_min: 21, dte_max: 60 });
        const refs = chain.expiries.flatMap((e) => e.strikes.map((strike) => ({ symbol: sym, expiry: e.expiry, right: 'P' as const, strike })));
        simQuotes[sym] = (await sim.quotes(refs)).filter((q) => Math.abs(q.delta!) >= 0.06 && Math.abs(q.delta!) <= 0.45);
      }
      const simVix = await sim.vix();
      const simSpot = await sim.spot('SPY');
      // Asked later than the snapshot (but before the next): the same answers, no look-ahead.
      clock.set(t);
      expect(await csv.spot('SPY')).toBe(simSpot);
      expect(await csv.vix()).toBe(simVix);
      for (const sym of ['SPY', 'IWM']) {
        const want = simQuotes[sym]!;
        const got = await csv.quotes(want);
        for (const [i, q] of got.entries()) {
          const w = want[i]!;
          expect([q.bid, q.ask, q.open_interest]).toEqual([w.bid, w.ask, w.open_interest]);
          for (const k of ['iv', 'delta', 'gamma', 'theta', 'vega'] as const) expect(Math.abs(q[k]! - w[k]!)).toBeLessThanOrEqual(Math.abs(w[k]!) * 1e-6 + 1e-12);
          compared++;
        }
      }
    }
    expect(csv.modelled).toBe(0);
    expect(compared).toBeGreaterThan(300);
  });
});
