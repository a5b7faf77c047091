import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MarketStore } from '../../../engine/adapters/recorded/market-store';
import { RecordedMarket } from '../../../engine/adapters/recorded/recorded-market';
import { RecordingMarket } from '../../../engine/adapters/recorded/recording-market';
import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import type { MarketData, OptionContractRef } from '../../../engine/market/market-data';
import { ManualClock } from '../../../engine/shared/clock';
import { ConfigError } from '../../../engine/shared/errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-recorded-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

const T0 = Date.parse('2026-03-10T14:00:00Z'); // 10:00 ET
const WINDOWS = { dte_min: 21, dte_max: 60, delta_min: 0.06, delta_max: 0.45 };

/** The questions an analysis and a monitor ask, in order. */
async function ask(m: MarketData, refs: readonly OptionContractRef[]): Promise<unknown> {
  const chain = await m.chain('SPY', { dte_min: 30, dte_max: 50 });
  return { spot: await m.spot('SPY'), chain, quotes: await m.quotes(refs), vix: await m.vix(), iv: await m.ivHistory('SPY', 30), ch: await m.change1hPct('SPY') };
}

async function recordDay(file: string): Promise<{ answers: unknown[]; refs: OptionContractRef[] }> {
  const clock = new ManualClock(T0);
  const sim = new SimMarket({ seed: 5, clock, symbols: ['SPY'] });
  const rec = new RecordingMarket({ inner: sim, store: MarketStore.create(file, sim.name, T0), clock, capture: WINDOWS });
  const chain = await sim.chain('SPY', { dte_min: 30, dte_max: 50 });
  const e = chain.expiries[0]!;
  const refs = e.strikes.filter((k) => k % 5 === 0 && Math.abs(k - chain.spot) < 40).map((strike) => ({ symbol: 'SPY', expiry: e.expiry, right: 'P' as const, strike }));
  const answers: unknown[] = [];
  for (const dt of [0, 5, 10]) {
    clock.set(T0 + dt * 60_000);
    answers.push(await ask(rec, refs));
  }
  await rec.close();
  return { answers, refs };
}

describe('when a recording is replayed', () => {
  it('should serve exactly the recorded answers at the recorded times, nothing modelled', async () => {
    const file = path.join(dir, `r${n++}.db`);
    const { answers, refs } = await recordDay(file);
    const clock = new ManualClock(T0);
    const replay = new RecordedMarket({ file, clock });
    for (const [i, dt] of [0, 5, 10].entries()) {
      clock.set(T0 + dt * 60_000);
      expect(await ask(replay, refs)).toEqual(answers[i]);
    }
    expect(replay.modelledTotal).toBe(0);
    await replay.close();
  });

  it('should serve the captured strikes a changed config asks for, and model only what nobody recorded', async () => {
    const file = path.join(dir, `r${n++}.db`);
    await recordDay(file);
    const clock = new ManualClock(T0 + 60_000);
    const sim = new SimMarket({ seed: 5, clock: new ManualClock(T0), symbols: ['SPY'] });
    const replay = new RecordedMarket({ file, clock });
    const chain = await replay.chain('SPY', { dte_min: 21, dte_max: 60 });
    expect(replay.modelled.chain).toBe(0);
    // A 30-delta call of another expiry: never asked by the engine, kept by the capture.
    const e = chain.expiries[chain.expiries.length - 1]!;
    const simQuotes = await sim.quotes(e.strikes.map((strike) => ({ symbol: 'SPY', expiry: e.expiry, right: 'C' as const, strike })));
    const call = simQuotes.find((q) => Math.abs(q.delta! - 0.3) < 0.03)!;
    expect((await replay.quotes([call]))[0]).toEqual(call);
    expect(replay.modelled.quote).toBe(0);
    // A deep put (|delta| below the capture window): modelled from the recorded surface, counted.
    const deep = simQuotes.length > 0 ? { symbol: 'SPY', expiry: e.expiry, right: 'P' as const, strike: e.strikes[0]! } : null;
    const [m] = await replay.quotes([deep!]);
    expect(replay.modelled.quote).toBe(1);
    expect(m!.iv).toBeGreaterThan(0);
    expect(m!.bid).not.toBeNull();
    await replay.close();
  });

  it('should model a quote last recorded longer ago than the freshness limit, and refuse a time before the recording', async () => {
    const file = path.join(dir, `r${n++}.db`);
    const { refs } = await recordDay(file);
    const clock = new ManualClock(T0 + 30 * 60_000);
    const replay = new RecordedMarket({ file, clock });
    await replay.quotes(refs.slice(0, 2));
    expect(replay.modelled.quote).toBe(2);
    await replay.spot('SPY');
    expect(replay.modelled.spot).toBe(1);
    clock.set(T0 - 1);
    await expect(replay.spot('SPY')).rejects.toThrow(ConfigError);
    await expect(replay.vix()).rejects.toThrow(/has no VIX at or before 2026-03-10T13:59:59.999Z; it started 2026-03-10T14:00:00.000Z/);
    await replay.close();
  });

  it('should refuse to record into an existing file and to replay a file that is not a recording', () => {
    const file = path.join(dir, `r${n++}.db`);
    MarketStore.create(file, 'sim', T0).close();
    expect(() => MarketStore.create(file, 'sim', T0)).toThrow(/exists: each run records into a new file/);
    const other = path.join(dir, 'not-a-recording.db');
    fs.writeFileSync(other, '');
    expect(() => new RecordedMarket({ file: other, clock: new ManualClock(T0) })).toThrow(/is not a thetadesk market recording/);
  });
});
