import { EventName, IBApi } from '@stoqey/ib';
import { IbBroker } from '../../../engine/adapters/ib/ib-broker';
import type { ComboLeg } from '../../../engine/model/leg';
import { ManualClock } from '../../../engine/shared/clock';
import { simGateway, type SimGateway } from '../../../engine/testkit/ib-gateway/sim-gateway';
import { TwsMiniClient, until } from '../../helpers/tws-mini-client';

const AT = '2026-11-24T15:30:00Z'; // Tuesday 10:30 ET
const ACCOUNT = 'DU1234567';

/**
 * What a trading client needs at start-up and after every fill, read by a second TWS API client
 * written apart from @stoqey/ib and from the gateway (test/helpers/tws-mini-client.ts), while the
 * engine trades through @stoqey/ib on its own client id.
 */
describe('the fake gateway as a second, independent TWS client sees it', () => {
  const clock = new ManualClock(AT);
  let sim: SimGateway;
  let port: number;
  let engine: IbBroker;
  let mini: TwsMiniClient;
  let legs: ComboLeg[];
  let credit: number;

  const values = (key: string): string[] => mini.accountValues.filter((v) => v.key === key).map((v) => v.value);

  beforeAll(async () => {
    sim = simGateway({ seed: 1, clock, accounts: [ACCOUNT] });
    port = await sim.gateway.listen(0);
    engine = new IbBroker({ settings: { host: '127.0.0.1', port, clientId: 32 }, clock, requestTimeoutMs: 5000 });
    await engine.connect();
    mini = new TwsMiniClient();
    await mini.connect(port, 31);
    await until(() => mini.nextValidId !== null && mini.accounts.length > 0, 'the handshake');
    const chain = await sim.market.chain('SPY', { dte_min: 40, dte_max: 50 });
    const e = chain.expiries[0]!;
    const short = e.strikes.find((k) => k >= chain.spot * 1.03)!;
    legs = [
      { symbol: 'SPY', expiry: e.expiry, right: 'C', strike: short, ratio: 1, action: 'SELL', con_id: null },
      { symbol: 'SPY', expiry: e.expiry, right: 'C', strike: short + 5, ratio: 1, action: 'BUY', con_id: null },
    ];
    const [a, b] = await sim.market.quotes(legs.map((l) => ({ symbol: l.symbol, expiry: l.expiry, right: l.right, strike: l.strike })));
    credit = a!.bid! - b!.ask!;
  });

  afterAll(async () => {
    mini.close();
    await engine.disconnect();
    await sim.gateway.close();
    sim.broker.close();
  });

  afterEach(() => {
    expect(mini.decodeErrors).toEqual([]);
  });

  it('should complete the handshake at server version 157 with the next order id and the managed accounts', () => {
    expect(mini.serverVersion).toBe(157);
    expect(mini.accounts).toEqual([ACCOUNT]);
  });

  it('should answer reqPositions, reqAccountUpdates and reqAccountUpdatesMulti at once (no "not supported")', async () => {
    mini.reqPositions();
    mini.reqAccountUpdates(true, ACCOUNT);
    mini.reqAccountUpdatesMulti(7, ACCOUNT, false);
    await until(() => mini.positionEnds === 1 && mini.downloadEnds.length === 1 && mini.multiEnds.includes(7), 'the three start-up answers');
    expect(mini.positions).toEqual([]);
    expect(mini.downloadEnds).toEqual([ACCOUNT]);
    expect(values('NetLiquidation')).toEqual(['100000.00']);
    expect(values('AccountCode')).toEqual([ACCOUNT]);
    for (const key of ['TotalCashValue', 'BuyingPower', 'AvailableFunds', 'ExcessLiquidity', 'InitMarginReq', 'MaintMarginReq', 'EquityWithLoanValue', 'GrossPositionValue']) expect(values(key)).toHaveLength(1);
    expect(mini.accountTimes).toEqual(['10:30']);
    expect(mini.multi.filter((m) => m.reqId === 7 && m.key === 'NetLiquidation').map((m) => m.value)).toEqual(['100000.00']);
    expect(mini.errors).toEqual([]);
  });

  it('should stream each leg’s new position and the account after a fill made by another client', async () => {
    const positionsBefore = mini.positions.length;
    const valuesBefore = mini.accountValues.length;
    await engine.placeCombo({ order_ref: 'intent-open', symbol: 'SPY', legs, quantity: 2, limit_price: -0.05, tif: 'DAY' });
    for (let minute = 0; minute < 10 && (await engine.openOrders()).length > 0; minute++) {
      clock.advance(60_000);
      await sim.gateway.process(clock.now());
    }
    // A 2-lot may fill over two minutes (one lot each): wait for the stream to reach the whole fill.
    // Each lot at the market of its minute: the cash is what the executions say, at or better than the quoted credit.
    const fills = (await engine.executions(0)).filter((e) => e.order_ref === 'intent-open');
    expect(fills.reduce((n, e) => n + e.quantity, 0)).toBe(2);
    for (const e of fills) expect(-e.price).toBeGreaterThanOrEqual(credit - 0.05);
    const expectedCash = 100_000 + fills.reduce((c, e) => c - e.price * e.quantity * 100 - e.commission, 0);
    const near = (v: string | undefined): boolean => v !== undefined && Math.abs(Number(v) - expectedCash) < 0.005;
    await until(
      () => mini.portfolio.filter((p) => p.strike === legs[0]!.strike).at(-1)?.position === -2 && mini.accountValues.length > valuesBefore && near(values('TotalCashValue').at(-1)) && near(mini.multi.filter((m) => m.key === 'TotalCashValue').at(-1)?.value),
      'the account after the whole fill',
    );
    const streamed = mini.positions.slice(positionsBefore);
    const last = (strike: number): number | undefined => [...streamed].reverse().find((p) => p.strike === strike)?.position;
    expect(last(legs[0]!.strike)).toBe(-2);
    expect(last(legs[1]!.strike)).toBe(2);
    expect(streamed.every((p) => p.account === ACCOUNT && p.secType === 'OPT' && p.symbol === 'SPY' && p.conId > 0)).toBe(true);
    // A stream, not a second snapshot: no new positionEnd.
    expect(mini.positionEnds).toBe(1);
    const sold = mini.portfolio.filter((p) => p.strike === legs[0]!.strike).at(-1)!;
    expect(sold).toMatchObject({ symbol: 'SPY', right: 'C', position: -2, account: ACCOUNT });
    expect(sold.marketValue).toBeCloseTo(sold.marketPrice * -2 * 100, 1);
    // The credit reached the cash, at the market (the limit asked for only 0.05).
    const cash = Number(values('TotalCashValue').at(-1));
    expect(cash).toBeCloseTo(expectedCash, 2);
    expect(mini.multi.filter((m) => m.key === 'TotalCashValue').map((m) => Number(m.value)).at(-1)).toBeCloseTo(cash, 2);
  });

  it('should stop streaming positions after cancelPositions, while account updates go on', async () => {
    mini.cancelPositions();
    await new Promise((r) => setTimeout(r, 50));
    const positionsBefore = mini.positions.length;
    const portfolioBefore = mini.portfolio.length;
    const closing = legs.map((l) => ({ ...l, action: l.action === 'SELL' ? ('BUY' as const) : ('SELL' as const) }));
    await engine.placeCombo({ order_ref: 'intent-close', symbol: 'SPY', legs: closing, quantity: 2, limit_price: 5, tif: 'DAY' });
    for (let minute = 0; minute < 10 && (await engine.openOrders()).length > 0; minute++) {
      clock.advance(60_000);
      await sim.gateway.process(clock.now());
    }
    await until(() => mini.portfolio.slice(portfolioBefore).filter((p) => p.position === 0).length >= 2, 'the closed legs in the portfolio');
    expect(mini.positions.length).toBe(positionsBefore);
  });

  it('should list both orders as completed, with their legs, fills and completion status', async () => {
    mini.reqCompletedOrders(true);
    await until(() => mini.completedEnds === 1, 'completedOrdersEnd');
    expect(mini.completed.map((o) => [o.orderRef, o.status, o.filledQuantity, o.secType, o.orderType, o.account])).toEqual([
      ['intent-open', 'Filled', 2, 'BAG', 'LMT', ACCOUNT],
      ['intent-close', 'Filled', 2, 'BAG', 'LMT', ACCOUNT],
    ]);
    expect(mini.completed[0]!.comboLegs.map((l) => l.action)).toEqual(['SELL', 'BUY']);
    expect(mini.completed[0]!.permId).toBeGreaterThan(0);
    expect(mini.completed[0]!.completedTime).toMatch(/^\d{8} \d{2}:\d{2}:\d{2} US\/Eastern$/);
  });

  it('should stop account updates when unsubscribed', async () => {
    mini.reqAccountUpdates(false, ACCOUNT);
    await new Promise((r) => setTimeout(r, 50));
    const before = mini.accountValues.length;
    await engine.placeCombo({ order_ref: 'intent-again', symbol: 'SPY', legs, quantity: 1, limit_price: -0.05, tif: 'DAY' });
    await sim.gateway.process(clock.now());
    await new Promise((r) => setTimeout(r, 100));
    expect(mini.accountValues.length).toBe(before);
  });

  it('should refuse an unsupported request with its own request id (not −1), so the client fails it at once', async () => {
    // reqPnL (92): reqId, account, modelCode.
    mini.send([92, 4242, ACCOUNT, '']);
    await until(() => mini.errors.some((e) => e.id === 4242), 'the error for request 4242');
    expect(mini.errors.find((e) => e.id === 4242)?.code).toBe(321);
  });

  it('should answer @stoqey/ib’s reqAccountUpdates too (the engine’s own client)', async () => {
    const api = new IBApi({ host: '127.0.0.1', port });
    try {
      const ready = new Promise((r) => api.once(EventName.nextValidId, r));
      api.connect(33);
      await ready;
      const keys: string[] = [];
      api.on(EventName.updateAccountValue, (key: string) => keys.push(key));
      const done = new Promise<string>((r) => api.once(EventName.accountDownloadEnd, (acct: string) => r(acct)));
      api.reqAccountUpdates(true, ACCOUNT);
      expect(await done).toBe(ACCOUNT);
      expect(keys).toEqual(expect.arrayContaining(['NetLiquidation', 'TotalCashValue', 'BuyingPower']));
    } finally {
      api.disconnect();
    }
  });
});
