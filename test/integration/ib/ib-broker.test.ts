import { IbBroker } from '../../../engine/adapters/ib/ib-broker';
import { IbMarket } from '../../../engine/adapters/ib/ib-market-connection';
import { simGateway } from '../../../engine/testkit/ib-gateway/sim-gateway';
import type { ComboLeg } from '../../../engine/model/leg';
import { ManualClock } from '../../../engine/shared/clock';

const AT = '2026-01-05T15:00:00Z'; // Monday 10:00 ET

describe('IbBroker through the real client and the fake gateway', () => {
  const clock = new ManualClock(AT);
  const sim = simGateway({ seed: 1, clock });
  let ib: IbBroker;
  let legs: ComboLeg[];
  let mid: number;

  beforeAll(async () => {
    const port = await sim.gateway.listen(0);
    ib = new IbBroker({ settings: { host: '127.0.0.1', port, clientId: 21 }, clock, reconnect: { initialMs: 50, maxMs: 200 }, requestTimeoutMs: 5000 });
    await ib.connect();
    // A 5-wide SPY bear call near 30 delta on the 45-DTE expiry, as the analysis would pick it.
    const chain = await sim.market.chain('SPY', { dte_min: 40, dte_max: 50 });
    const e = chain.expiries[0]!;
    const short = e.strikes.find((k) => k >= chain.spot * 1.03)!;
    legs = [
      { symbol: 'SPY', expiry: e.expiry, right: 'C', strike: short, ratio: 1, action: 'SELL', con_id: null },
      { symbol: 'SPY', expiry: e.expiry, right: 'C', strike: short + 5, ratio: 1, action: 'BUY', con_id: null },
    ];
    const [a, b] = await sim.market.quotes(legs.map((l) => ({ symbol: l.symbol, expiry: l.expiry, right: l.right, strike: l.strike })));
    mid = b!.mid! - a!.mid!; // negative: a credit
  });

  afterAll(async () => {
    await ib.disconnect();
    await sim.gateway.close();
    sim.broker.close();
  });

  it('fills a credit combo at a marketable price and reports it as IB does: execution, commission, positions, account', async () => {
    const placed = await ib.placeCombo({ order_ref: 'intent-fill', symbol: 'SPY', legs, quantity: 1, limit_price: Math.round((mid + 0.5) * 100) / 100, tif: 'DAY' });
    expect(placed.broker_order_id).toMatch(/^\d+$/);
    await sim.gateway.process(clock.now());
    const execs = (await ib.executions(clock.now() - 60_000)).filter((x) => x.order_ref === 'intent-fill');
    expect(execs).toHaveLength(1);
    expect(execs[0]!.quantity).toBe(1);
    expect(execs[0]!.price).toBeLessThan(0);
    expect(execs[0]!.commission).toBeCloseTo(1.3, 6);
    expect((await ib.openOrders()).some((o) => o.order_ref === 'intent-fill')).toBe(false);
    const held = await ib.positions();
    expect(held.map((p) => [p.strike, p.right, p.quantity]).sort()).toEqual([[legs[0]!.strike, 'C', -1], [legs[1]!.strike, 'C', 1]].sort());
    const direct = await sim.broker.accountSummary();
    const viaIb = await ib.accountSummary();
    expect(viaIb.net_liquidation).toBeCloseTo(direct.net_liquidation, 2);
    expect(viaIb.cash).toBeCloseTo(direct.cash, 2);
  });

  it('reports a partial fill as partially filled, then the rest as it fills over the next minutes', async () => {
    const placed = await ib.placeCombo({ order_ref: 'intent-partial', symbol: 'SPY', legs, quantity: 10, limit_price: Math.round((mid + 0.5) * 100) / 100, tif: 'DAY' });
    const seen: number[] = [];
    for (let minute = 0; minute < 10; minute++) {
      await sim.gateway.process(clock.now());
      const open = (await ib.openOrders()).find((o) => o.broker_order_id === placed.broker_order_id);
      if (!open) break;
      expect(open.status).toBe(open.filled_quantity > 0 ? 'partially_filled' : 'submitted');
      seen.push(open.filled_quantity);
      clock.advance(60_000);
    }
    const execs = (await ib.executions(Date.parse(AT) - 60_000)).filter((x) => x.order_ref === 'intent-partial');
    expect(execs.reduce((q, x) => q + x.quantity, 0)).toBe(10);
    expect(execs.length).toBeGreaterThan(1);
    expect(seen.some((q) => q > 0 && q < 10)).toBe(true);
  });

  it('rests a far order, lists it with its legs and orderRef, walks it by re-sending the same id, and fills', async () => {
    const far = Math.round((mid - 1) * 100) / 100;
    const placed = await ib.placeCombo({ order_ref: 'intent-walk', symbol: 'SPY', legs, quantity: 1, limit_price: far, tif: 'DAY' });
    const open = await ib.openOrders();
    const mine = open.find((o) => o.order_ref === 'intent-walk');
    expect(mine?.broker_order_id).toBe(placed.broker_order_id);
    expect(mine?.limit_price).toBeCloseTo(far, 6);
    expect(mine?.legs.map((l) => [l.strike, l.action])).toEqual(legs.map((l) => [l.strike, l.action]));
    await ib.modifyPrice(placed.broker_order_id, Math.round((mid + 0.5) * 100) / 100);
    await sim.gateway.process(clock.now());
    expect((await ib.openOrders()).some((o) => o.order_ref === 'intent-walk')).toBe(false);
    expect((await ib.executions(clock.now() - 60_000)).filter((x) => x.order_ref === 'intent-walk')).toHaveLength(1);
  });

  it('cancels a resting order, and a second cancel is refused as IB refuses it', async () => {
    const placed = await ib.placeCombo({ order_ref: 'intent-cancel', symbol: 'SPY', legs, quantity: 1, limit_price: Math.round((mid - 1) * 100) / 100, tif: 'DAY' });
    await ib.cancel(placed.broker_order_id);
    expect((await ib.openOrders()).some((o) => o.order_ref === 'intent-cancel')).toBe(false);
    await expect(ib.cancel(placed.broker_order_id)).rejects.toMatchObject({ kind: 'rejected' });
  });

  it('turns IB’s rejection into a broker rejection that is never retried', async () => {
    sim.gateway.rejectNextOrder(201, 'Order rejected - reason: insufficient margin');
    await expect(ib.placeCombo({ order_ref: 'intent-reject', symbol: 'SPY', legs, quantity: 1, limit_price: Math.round(mid * 100) / 100, tif: 'DAY' })).rejects.toMatchObject({ kind: 'rejected', code: 'IB_201' });
    expect((await ib.openOrders()).some((o) => o.order_ref === 'intent-reject')).toBe(false);
  });

  it('refuses a leg IB does not list before anything is sent', async () => {
    const bad = [{ ...legs[0]!, strike: legs[0]!.strike + 0.3 }, legs[1]!];
    await expect(ib.placeCombo({ order_ref: 'intent-unknown', symbol: 'SPY', legs: bad, quantity: 1, limit_price: -1, tif: 'DAY' })).rejects.toMatchObject({ kind: 'rejected' });
  });
});

describe('IbBroker and IbMarket when the gateway’s link comes and goes', () => {
  it('reports IB’s connectivity codes, reconnects after a dropped socket, and both sides work again', async () => {
    const clock = new ManualClock(AT);
    const sim = simGateway({ seed: 1, clock });
    const port = await sim.gateway.listen(0);
    const ib = new IbBroker({ settings: { host: '127.0.0.1', port, clientId: 41 }, clock, reconnect: { initialMs: 20, maxMs: 100 }, requestTimeoutMs: 5000 });
    const market = new IbMarket({ settings: { host: '127.0.0.1', port, clientId: 40 }, clock });
    const events: string[] = [];
    ib.onEvent((e) => events.push(e.type === 'connection_restored' ? `restored${e.data_lost ? ' (data lost)' : ''}` : e.type));
    try {
      await ib.connect();
      const spot = await market.spot('SPY');
      sim.gateway.broadcastError(1100, 'Connectivity between IB and Trader Workstation has been lost.');
      sim.gateway.broadcastError(1101, 'Connectivity between IB and TWS has been restored- data lost.');
      sim.gateway.broadcastError(1102, 'Connectivity between IB and TWS has been restored- data maintained.');
      sim.gateway.broadcastError(2104, 'Market data farm connection is OK:usfarm');
      for (let i = 0; i < 100 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
      expect(events).toEqual(['connection_lost', 'restored (data lost)', 'restored']);
      sim.gateway.dropAll();
      for (let i = 0; i < 300 && !events.includes('restored (data lost)', 2); i++) await new Promise((r) => setTimeout(r, 10));
      expect(events.slice(3)).toEqual(['connection_lost', 'restored (data lost)']);
      expect((await ib.health()).connected).toBe(true);
      expect(await ib.openOrders()).toEqual([]);
      expect(await market.spot('SPY')).toBe(spot);
    } finally {
      await ib.disconnect();
      await market.close();
      await sim.gateway.close();
      sim.broker.close();
    }
  }, 30_000);
});
