import { EventName, IBApi, IBApiTickType as TickType, OptionType, SecType, type Contract } from '@stoqey/ib';
import { FakeGateway } from '../../../engine/testkit/ib-gateway/fake-gateway';
import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import { ManualClock } from '../../../engine/shared/clock';

const AT = '2026-11-24T15:30:00Z'; // Tuesday 10:30 ET

function waitFor<T>(register: (done: (v: T) => void, fail: (e: Error) => void) => void, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    register(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

describe('the fake IB gateway backed by the simulated market', () => {
  const clock = new ManualClock(AT);
  const market = new SimMarket({ seed: 1, clock });
  let gateway: FakeGateway;
  let api: IBApi;

  beforeAll(async () => {
    gateway = new FakeGateway({ market, maxLines: 2, now: () => clock.now() });
    const port = await gateway.listen(0);
    api = new IBApi({ host: '127.0.0.1', port });
    await waitFor<void>((done) => {
      api.once(EventName.nextValidId, () => done());
      api.connect(31);
    });
  });

  afterAll(async () => {
    api.disconnect();
    await gateway.close();
  });

  it('should list SPY option expirations and strikes like the simulated chain', async () => {
    const [expirations, strikes] = await waitFor<[string[], number[]]>((done) => {
      api.once(EventName.securityDefinitionOptionParameter, (_id: number, _ex: string, _con: number, _tc: string, _mult: string, exps: string[], strikes: number[]) => done([exps, strikes]));
      api.reqSecDefOptParams(41, 'SPY', '', SecType.STK, 756733);
    });
    const skeleton = await market.chain('SPY', { dte_min: 0, dte_max: 400 });
    expect(expirations).toEqual(skeleton.expiries.map((e) => e.expiry.replace(/-/g, '')));
    expect(strikes.length).toBeGreaterThan(50);
    expect(expirations.every((e) => /^\d{8}$/.test(e))).toBe(true);
  });

  it("should send a put's quotes and greeks (tickOptionComputation) and end the snapshot", async () => {
    const skeleton = await market.chain('SPY', { dte_min: 35, dte_max: 60 });
    const exp = skeleton.expiries[0];
    if (!exp) throw new Error('no expiry in the window');
    const strike = exp.strikes.reduce((best, k) => (Math.abs(k - skeleton.spot * 0.95) < Math.abs(best - skeleton.spot * 0.95) ? k : best));
    const [expected] = await market.quotes([{ symbol: 'SPY', expiry: exp.expiry, right: 'P', strike }]);
    const contract: Contract = { symbol: 'SPY', secType: SecType.OPT, lastTradeDateOrContractMonth: exp.expiry.replace(/-/g, ''), strike, right: OptionType.Put, exchange: 'SMART', currency: 'USD', multiplier: 100 };
    const seen: { bid?: number; ask?: number; delta?: number; iv?: number; und?: number } = {};
    await waitFor<void>((done) => {
      api.on(EventName.tickPrice, (id: number, type: TickType, price: number) => {
        if (id !== 42) return;
        if (type === TickType.BID) seen.bid = price;
        if (type === TickType.ASK) seen.ask = price;
      });
      api.on(EventName.tickOptionComputation, (id: number, _type: TickType, _attrib: number | undefined, iv?: number, delta?: number, _p?: number, _pv?: number, _g?: number, _v?: number, _t?: number, und?: number) => {
        if (id !== 42) return;
        Object.assign(seen, { iv, delta, und });
      });
      api.once(EventName.tickSnapshotEnd, (id: number) => id === 42 && done());
      api.reqMktData(42, contract, '', true, false);
    });
    expect(seen.bid).toBe(expected?.bid);
    expect(seen.ask).toBe(expected?.ask);
    expect(seen.delta).toBeCloseTo(expected?.delta ?? NaN, 10);
    expect(seen.delta).toBeLessThan(0);
    expect(seen.iv).toBeCloseTo(expected?.iv ?? NaN, 10);
    expect(seen.und).toBe(skeleton.spot);
  });

  it('should refuse a market-data line beyond the limit with IB error 101, and free it on cancel', async () => {
    const stk: Contract = { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
    api.reqMktData(51, stk, '', false, false);
    api.reqMktData(52, { ...stk, symbol: 'QQQ' }, '', false, false);
    const code = await waitFor<number>((done) => {
      api.once(EventName.error, (_e: Error, c: number, id: number) => id === 53 && done(c));
      api.reqMktData(53, { ...stk, symbol: 'IWM' }, '', false, false);
    });
    expect(code).toBe(101);
    api.cancelMktData(51);
    const last = await waitFor<number>((done) => {
      api.on(EventName.tickPrice, (id: number, type: TickType, price: number) => id === 54 && type === TickType.LAST && done(price));
      api.reqMktData(54, { ...stk, symbol: 'IWM' }, '', false, false);
    });
    expect(last).toBe(await market.spot('IWM'));
    expect(gateway.peakLines).toBe(2);
  });
});

describe('historical implied volatility from the fake gateway', () => {
  const clock = new ManualClock(AT);
  const market = new SimMarket({ seed: 1, clock });
  let gateway: FakeGateway;
  let api: IBApi;

  beforeAll(async () => {
    gateway = new FakeGateway({ market, now: () => clock.now() });
    const port = await gateway.listen(0);
    api = new IBApi({ host: '127.0.0.1', port });
    await waitFor<void>((done) => {
      api.once(EventName.nextValidId, () => done());
      api.connect(32);
    });
  });

  afterAll(async () => {
    api.disconnect();
    await gateway.close();
  });

  it('should serve 252 daily OPTION_IMPLIED_VOLATILITY bars equal to the simulated IV history', async () => {
    const bars: Array<[string, number]> = [];
    await waitFor<void>((done) => {
      api.on(EventName.historicalData, (id: number, date: string, _o: number, _h: number, _l: number, close: number) => {
        if (id !== 61) return;
        if (date.startsWith('finished')) done();
        else bars.push([date, close]);
      });
      api.reqHistoricalData(61, { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '', '252 D', '1 day' as never, 'OPTION_IMPLIED_VOLATILITY' as never, 1, 1, false);
    });
    const expected = await market.ivHistory('SPY', 252);
    expect(bars).toHaveLength(expected.length);
    expect(bars.map(([d]) => d)).toEqual(expected.map((p) => p.date.replace(/-/g, '')));
    expect(bars.map(([, iv]) => iv)).toEqual(expected.map((p) => p.iv));
  });
});
