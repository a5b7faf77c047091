import { EventName, IBApi, IBApiTickType, OptionType, SecType } from '@stoqey/ib';
import { IbBroker } from '../../../engine/adapters/ib/ib-broker';
import { requestContractDetails } from '../../../engine/adapters/ib/ib-contract-details';
import { IbMarketData } from '../../../engine/adapters/ib/ib-market-data';
import { IbSession } from '../../../engine/adapters/ib/ib-session';
import { IbPacer } from '../../../engine/adapters/ib/pacer';
import type { OptionContractRef } from '../../../engine/market/market-data';
import type { BrokerEvent } from '../../../engine/model/broker-records';
import type { MarketDataType } from '../../../engine/model/market-data-type';
import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import { ManualClock, systemClock } from '../../../engine/shared/clock';
import { simGateway, type SimGateway } from '../../../engine/testkit/ib-gateway/sim-gateway';
import { until } from '../../helpers/tws-mini-client';

const AT = '2026-11-24T15:30:00Z'; // Tuesday 10:30 ET

const pacer = (): IbPacer => new IbPacer({ clock: systemClock, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });

describe('IB faults through the fake gateway and the adapter', () => {
  const clock = new ManualClock(AT);
  let sim: SimGateway;
  let port: number;
  let clientId = 100;
  const sessions: IbSession[] = [];
  let option: OptionContractRef;

  /** A connected market-data adapter asking for `type` data. */
  async function market(type: MarketDataType = 'live'): Promise<{ md: IbMarketData; session: IbSession }> {
    const session = new IbSession({ host: '127.0.0.1', port, clientId: clientId++ }, { requestTimeoutMs: 5000, connectTimeoutMs: 5000 });
    sessions.push(session);
    await session.connect();
    const md = new IbMarketData(session, pacer(), clock, type);
    await md.init();
    return { md, session };
  }

  const mktDataRequests = (symbol: string): number => sim.gateway.received.filter((m) => m[0] === '1' && m[4] === symbol).length;

  beforeAll(async () => {
    sim = simGateway({ seed: 1, clock });
    port = await sim.gateway.listen(0);
    const chain = await sim.market.chain('SPY', { dte_min: 40, dte_max: 50 });
    const e = chain.expiries[0]!;
    option = { symbol: 'SPY', expiry: e.expiry, right: 'C', strike: e.strikes.find((k) => k >= chain.spot)! };
  });

  afterEach(() => {
    sim.gateway.clearMarketDataFaults();
    sim.gateway.competingSession(false);
    for (const s of sessions.splice(0)) s.disconnect();
  });

  afterAll(async () => {
    await sim.gateway.close();
    sim.broker.close();
  });

  describe('when a contract is checked against the listing', () => {
    const details = async (session: IbSession, expiry: string, strike?: number): Promise<number> =>
      (await requestContractDetails(session, pacer(), { symbol: 'SPY', secType: SecType.OPT, lastTradeDateOrContractMonth: expiry, strike, right: OptionType.Call, exchange: 'SMART', currency: 'USD' }, 'test')).length;

    it('should refuse a Saturday expiry and a 5000.5 strike with 200, and list every strike of an expiry asked without one', async () => {
      const { session } = await market();
      await expect(details(session, '20261219', 600)).rejects.toMatchObject({ code: 'IB_200', kind: 'rejected' });
      await expect(details(session, option.expiry.replace(/-/g, ''), 5000.5)).rejects.toMatchObject({ code: 'IB_200' });
      const chain = await sim.market.chain('SPY', { dte_min: 40, dte_max: 50 });
      expect(await details(session, option.expiry.replace(/-/g, ''))).toBe(chain.expiries[0]!.strikes.length);
    });

    it('should refuse market data for an unlisted option with 200', async () => {
      const { md } = await market();
      await expect(md.quotes([{ ...option, strike: 5000.5 }])).rejects.toMatchObject({ code: 'IB_200' });
    });
  });

  describe('when a stock snapshot is asked for', () => {
    it('should carry the previous close as a close tick, and spot should stay the last price', async () => {
      const api = new IBApi({ host: '127.0.0.1', port });
      try {
        const ready = new Promise((r) => api.once(EventName.nextValidId, r));
        api.connect(clientId++);
        await ready;
        const ticks = new Map<number, number>();
        api.on(EventName.tickPrice, (_id: number, type: number, price: number) => ticks.set(type, price));
        const end = new Promise((r) => api.once(EventName.tickSnapshotEnd, r));
        api.reqMktData(9, { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '', true, false);
        await end;
        const monday = new SimMarket({ seed: 1, clock: { now: () => Date.parse('2026-11-23T21:00:00Z') } });
        expect(ticks.get(IBApiTickType.CLOSE)).toBe(await monday.spot('SPY'));
        expect(ticks.get(IBApiTickType.LAST)).toBe(await sim.market.spot('SPY'));
      } finally {
        api.disconnect();
      }
      const { md } = await market();
      expect(await md.spot('SPY')).toBe(await sim.market.spot('SPY'));
    });
  });

  describe('when the account has no market-data permission', () => {
    it('should fail a live request on 354 with a typed error naming the fix, sent once (never retried)', async () => {
      sim.gateway.refuseMarketData('SPY', 354);
      const { md } = await market();
      const before = mktDataRequests('SPY');
      const err = await md.spot('SPY').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'IB_354', kind: 'config' });
      expect((err as Error).message).toContain('no market data subscription for SPY');
      expect((err as Error).message).toContain('market.data_type: delayed');
      expect(mktDataRequests('SPY') - before).toBe(1);
      // Other symbols are not affected.
      expect(await md.spot('QQQ')).toBe(await sim.market.spot('QQQ'));
    });

    it('should name the missing OPRA subscription on 10089 for options, while the stock quote works', async () => {
      sim.gateway.refuseMarketData('SPY', 10089, { optionsOnly: true });
      const { md } = await market();
      expect(await md.spot('SPY')).toBe(await sim.market.spot('SPY'));
      const err = await md.quotes([option]).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'IB_10089', kind: 'config' });
      expect((err as Error).message).toContain('no OPRA subscription for options on SPY');
    });

    it('should serve delayed quotes (15 minutes old, marked delayed) when market.data_type is delayed', async () => {
      sim.gateway.refuseMarketData('SPY', 354);
      const { md } = await market('delayed');
      const [q] = await md.quotes([option]);
      const past = new SimMarket({ seed: 1, clock: { now: () => clock.now() - 15 * 60_000 } });
      const [then] = await past.quotes([option]);
      expect(q).toMatchObject({ data_type: 'delayed', bid: then!.bid, ask: then!.ask });
      expect((await md.spotQuote('SPY')).data_type).toBe('delayed');
      expect((await md.spotQuote('QQQ')).data_type).toBe('live');
    });

    it('should mark quotes delayed on 10167 even when live data was asked for', async () => {
      sim.gateway.refuseMarketData('SPY', 10167);
      const { md } = await market('live');
      const [q] = await md.quotes([option]);
      expect(q?.data_type).toBe('delayed');
    });

    it('should fail on 10168 (delayed data not enabled) and 10197 (competing live session) with their fixes', async () => {
      sim.gateway.refuseMarketData('SPY', 10168);
      const { md } = await market('delayed');
      await expect(md.spot('SPY')).rejects.toMatchObject({ code: 'IB_10168', kind: 'config', message: expect.stringContaining('delayed data is not enabled') });
      sim.gateway.clearMarketDataFaults();
      sim.gateway.competingSession(true);
      await expect(md.spot('QQQ')).rejects.toMatchObject({ code: 'IB_10197', kind: 'config', message: expect.stringContaining('log that session out') });
    });
  });

  describe('when the client id is already in use', () => {
    it('should refuse the second connection with 326 at once, as a typed error naming the client id', async () => {
      const first = new IbSession({ host: '127.0.0.1', port, clientId: 555 });
      sessions.push(first);
      await first.connect();
      const second = new IbSession({ host: '127.0.0.1', port, clientId: 555 }, { connectTimeoutMs: 8000 });
      sessions.push(second);
      const t0 = Date.now();
      const err = await second.connect().catch((e: unknown) => e);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(err).toMatchObject({ code: 'IB_326', kind: 'config' });
      expect((err as Error).message).toContain('client id 555 is already used');
      expect(first.connected).toBe(true);
    });
  });

  describe('when IB Gateway restarts itself', () => {
    it('should drop every socket, refuse connections while down, and the broker should reconnect after it', async () => {
      const events: BrokerEvent['type'][] = [];
      const ib = new IbBroker({ settings: { host: '127.0.0.1', port, clientId: 777 }, clock, reconnect: { initialMs: 50, maxMs: 100 }, requestTimeoutMs: 3000, connectTimeoutMs: 1000 });
      ib.onEvent((e) => events.push(e.type));
      await ib.connect();
      try {
        sim.gateway.restartAt(clock.now(), 5 * 60_000);
        await until(() => events.includes('connection_lost'), 'the drop');
        expect(sim.gateway.restarting).toBe(true);
        const probe = new IbSession({ host: '127.0.0.1', port, clientId: 778 }, { connectTimeoutMs: 1000 });
        await expect(probe.connect()).rejects.toMatchObject({ kind: 'not_connected' });
        clock.advance(5 * 60_000);
        await until(() => events.includes('connection_restored'), 'the reconnect', 8000);
        expect((await ib.health()).connected).toBe(true);
      } finally {
        await ib.disconnect();
      }
    }, 20_000);
  });
});
