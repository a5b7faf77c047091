import { EventName, IBApi, OptionType, OrderAction, OrderType, SecType, TimeInForce, type CommissionReport, type Contract, type ContractDetails, type Execution, type Order, type OrderState } from '@stoqey/ib';
import { optionConId } from '../../../engine/testkit/ib-gateway/contracts';
import { simGateway, type SimGateway } from '../../../engine/testkit/ib-gateway/sim-gateway';
import { ManualClock } from '../../../engine/shared/clock';

const AT = '2026-01-05T15:00:00Z'; // Monday 10:00 ET, market open
const CLIENT_ID = 41;

/** Everything the client hears, so tests wait for a state and then assert on the whole story. */
class Recorder {
  readonly openOrders: Array<{ orderId: number; contract: Contract; order: Order; state: OrderState }> = [];
  readonly statuses: Array<{ orderId: number; status: string; filled: number; remaining: number; avgFillPrice: number; permId: number }> = [];
  readonly execs: Array<{ reqId: number; contract: Contract; execution: Execution }> = [];
  readonly commissions: CommissionReport[] = [];
  readonly errors: Array<{ reqId: number; code: number; message: string }> = [];
  readonly ends = { openOrders: 0, executions: new Set<number>(), positions: 0, summaries: new Set<number>() };
  readonly positions: Array<{ account: string; contract: Contract; pos: number; avgCost: number }> = [];
  readonly summary: Array<{ reqId: number; account: string; tag: string; value: string }> = [];
  /** Order reports in arrival order: "open <id> <status>", "status <id> <status>", "exec <id> <secType>". */
  readonly timeline: string[] = [];

  constructor(api: IBApi) {
    api.on(EventName.openOrder, (orderId: number, contract: Contract, order: Order, state: OrderState) => {
      this.openOrders.push({ orderId, contract, order, state });
      this.timeline.push(`open ${orderId} ${String(state.status)}`);
    });
    api.on(EventName.orderStatus, (orderId: number, status: string, filled: number, remaining: number, avgFillPrice: number, permId?: number) => {
      this.statuses.push({ orderId, status, filled, remaining, avgFillPrice, permId: permId ?? 0 });
      this.timeline.push(`status ${orderId} ${status}`);
    });
    api.on(EventName.execDetails, (reqId: number, contract: Contract, execution: Execution) => {
      this.execs.push({ reqId, contract, execution });
      this.timeline.push(`exec ${execution.orderId ?? '?'} ${contract.secType ?? '?'}`);
    });
    api.on(EventName.commissionReport, (r: CommissionReport) => this.commissions.push(r));
    api.on(EventName.error, (e: Error, code: number, reqId: number) => this.errors.push({ reqId, code, message: e.message }));
    api.on(EventName.openOrderEnd, () => (this.ends.openOrders += 1));
    api.on(EventName.execDetailsEnd, (reqId: number) => this.ends.executions.add(reqId));
    api.on(EventName.position, (account: string, contract: Contract, pos: number, avgCost?: number) => this.positions.push({ account, contract, pos, avgCost: avgCost ?? Number.NaN }));
    api.on(EventName.positionEnd, () => (this.ends.positions += 1));
    api.on(EventName.accountSummary, (reqId: number, account: string, tag: string, value: string) => this.summary.push({ reqId, account, tag, value }));
    api.on(EventName.accountSummaryEnd, (reqId: number) => this.ends.summaries.add(reqId));
  }

  statusOf(orderId: number): string | undefined {
    return this.statuses.filter((s) => s.orderId === orderId).at(-1)?.status;
  }

  errorCodes(id: number): number[] {
    return this.errors.filter((e) => e.reqId === id).map((e) => e.code);
  }

  /** The client's own complaints about a message it could not read (a wire layout mismatch). */
  decodingErrors(): string[] {
    return this.errors.filter((e) => /Decoding error|Underrun|unprocessed data/i.test(e.message)).map((e) => e.message);
  }
}

/** Resolves once `ready()` holds; rejects after `ms` so a broken protocol never hangs CI. */
async function until(ready: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function connect(port: number, clientId: number): Promise<{ api: IBApi; rec: Recorder; nextId: () => number }> {
  const api = new IBApi({ host: '127.0.0.1', port });
  const rec = new Recorder(api);
  let next = -1;
  api.on(EventName.nextValidId, (id: number) => (next = Math.max(next, id)));
  api.connect(clientId);
  await until(() => next > 0, 'nextValidId');
  return { api, rec, nextId: () => next++ };
}

async function conIdOf(api: IBApi, reqId: number, contract: Contract): Promise<number> {
  let found: ContractDetails | undefined;
  let ended = false;
  const onDetails = (id: number, d: ContractDetails): void => {
    if (id === reqId) found = d;
  };
  const onEnd = (id: number): void => {
    if (id === reqId) ended = true;
  };
  api.on(EventName.contractDetails, onDetails);
  api.on(EventName.contractDetailsEnd, onEnd);
  api.reqContractDetails(reqId, contract);
  await until(() => ended, `contract details ${reqId}`);
  api.off(EventName.contractDetails, onDetails);
  api.off(EventName.contractDetailsEnd, onEnd);
  const conId = found?.contract.conId;
  if (conId === undefined) throw new Error(`no conId for request ${reqId}`);
  return conId;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

describe('orders through the fake IB gateway with the real @stoqey/ib client', () => {
  const clock = new ManualClock(AT);
  let sim: SimGateway;
  let port: number;
  let api: IBApi;
  let rec: Recorder;
  let nextId: () => number;
  let legs: Array<{ conId: number; ratio: number; action: OrderAction; exchange: string }>;
  let strikes: { short: number; long: number; expiry: string };
  /** Net mid of the bear call (negative: a credit), at the pinned clock. */
  let mid: number;
  /** What buying the combo trades at once: the long call's ask less the short call's bid. */
  let natural: number;
  let quotes: { shortBid: number; longAsk: number };
  const opened: IBApi[] = [];

  const bag = (): Contract => ({ symbol: 'SPY', secType: SecType.BAG, currency: 'USD', exchange: 'SMART', comboLegs: legs });
  const order = (orderRef: string, lmtPrice: number, totalQuantity = 1): Order => ({ action: OrderAction.BUY, orderType: OrderType.LMT, totalQuantity, lmtPrice, tif: TimeInForce.DAY, orderRef, transmit: true });
  const marketable = (): number => round2(mid + 0.5);
  const far = (): number => round2(mid - 1);

  beforeAll(async () => {
    sim = simGateway({ seed: 1, clock });
    port = await sim.gateway.listen(0);
    ({ api, rec, nextId } = await connect(port, CLIENT_ID));
    opened.push(api);
    // A 5-wide SPY bear call near 30 delta on the ~45-DTE expiry.
    const chain = await sim.market.chain('SPY', { dte_min: 40, dte_max: 50 });
    const e = chain.expiries[0];
    const short = e?.strikes.find((k) => k >= chain.spot * 1.03);
    if (!e || short === undefined) throw new Error('no expiry or strike in the window');
    strikes = { short, long: short + 5, expiry: e.expiry.replace(/-/g, '') };
    const option = (strike: number): Contract => ({ symbol: 'SPY', secType: SecType.OPT, lastTradeDateOrContractMonth: strikes.expiry, strike, right: OptionType.Call, exchange: 'SMART', currency: 'USD', multiplier: 100 });
    const shortConId = await conIdOf(api, 9001, option(strikes.short));
    const longConId = await conIdOf(api, 9002, option(strikes.long));
    legs = [
      { conId: shortConId, ratio: 1, action: OrderAction.SELL, exchange: 'SMART' },
      { conId: longConId, ratio: 1, action: OrderAction.BUY, exchange: 'SMART' },
    ];
    const [a, b] = await sim.market.quotes([
      { symbol: 'SPY', expiry: e.expiry, right: 'C', strike: strikes.short },
      { symbol: 'SPY', expiry: e.expiry, right: 'C', strike: strikes.long },
    ]);
    mid = (b?.mid ?? Number.NaN) - (a?.mid ?? Number.NaN);
    quotes = { shortBid: a?.bid ?? Number.NaN, longAsk: b?.ask ?? Number.NaN };
    natural = round2(quotes.longAsk - quotes.shortBid);
    expect(mid).toBeLessThan(0);
    // The "marketable" limit asks less credit than the market pays: IB fills it at the market.
    expect(marketable()).toBeGreaterThan(natural);
  });

  afterEach(() => {
    // A layout mismatch shows up as the client's own decoding complaint, whatever the test checked.
    expect(rec.decodingErrors()).toEqual([]);
  });

  afterAll(async () => {
    for (const a of opened) a.disconnect();
    await sim.gateway.close();
    sim.broker.close();
  });

  describe('when a credit combo is bought at a marketable price', () => {
    it('should report the open order, the fill at the natural (not at the limit), the executions and their commissions', async () => {
      const id = nextId();
      api.placeOrder(id, bag(), order('intent-1', marketable()));
      await until(() => rec.statusOf(id) === 'Filled' && rec.commissions.length >= 2, 'the fill and its commissions');

      const open = rec.openOrders.find((o) => o.orderId === id);
      expect(open?.order).toMatchObject({ action: 'BUY', orderType: 'LMT', totalQuantity: 1, lmtPrice: marketable(), tif: 'DAY', orderRef: 'intent-1', clientId: CLIENT_ID });
      expect(open?.contract).toMatchObject({ symbol: 'SPY', secType: 'BAG', comboLegs: [expect.objectContaining({ conId: legs[0]?.conId, action: 'SELL', ratio: 1 }), expect.objectContaining({ conId: legs[1]?.conId, action: 'BUY', ratio: 1 })] });
      const filled = rec.statuses.find((s) => s.orderId === id && s.status === 'Filled');
      expect(filled).toMatchObject({ filled: 1, remaining: 0, avgFillPrice: natural });
      expect(filled?.permId).toBe(open?.order.permId);

      const mine = rec.execs.filter((x) => x.execution.orderId === id);
      const combo = mine.find((x) => x.contract.secType === 'BAG');
      expect(combo?.reqId).toBe(-1);
      expect(combo?.execution).toMatchObject({ orderRef: 'intent-1', side: 'BOT', shares: 1, price: natural, cumQty: 1, acctNumber: 'DU1234567', clientId: CLIENT_ID });
      expect(combo?.execution.execId).toMatch(/\S/);
      const legExecs = mine.filter((x) => x.contract.secType === 'OPT');
      expect(legExecs.map((x) => [x.contract.conId, x.execution.side, x.execution.shares])).toEqual([[legs[0]?.conId, 'SLD', 1], [legs[1]?.conId, 'BOT', 1]]);
      // Leg prices add up to the combo's net price (sold leg received, bought leg paid), each at its own quote.
      expect(round2((legExecs[1]?.execution.price ?? 0) - (legExecs[0]?.execution.price ?? 0))).toBe(natural);
      expect(legExecs.map((x) => x.execution.price)).toEqual([quotes.shortBid, quotes.longAsk]);

      const legIds = legExecs.map((x) => x.execution.execId);
      const fees = rec.commissions.filter((c) => legIds.includes(c.execId));
      expect(fees).toHaveLength(2);
      expect(fees.reduce((s, c) => s + (c.commission ?? 0), 0)).toBeCloseTo(1.3, 6);
    });

    it('should treat a SOLD combo as IB does: every leg reversed, the price received', async () => {
      const id = nextId();
      const reversed = legs.map((l) => ({ ...l, action: l.action === OrderAction.BUY ? OrderAction.SELL : OrderAction.BUY }));
      api.placeOrder(id, { ...bag(), comboLegs: reversed }, { ...order('intent-sold', -marketable()), action: OrderAction.SELL });
      await until(() => rec.statusOf(id) === 'Filled', 'the fill');
      const mine = rec.execs.filter((x) => x.execution.orderId === id);
      expect(mine.find((x) => x.contract.secType === 'BAG')?.execution).toMatchObject({ side: 'SLD', price: -natural, orderRef: 'intent-sold' });
      // The legs trade as the bear call's: the short strike sold, the long one bought.
      expect(mine.filter((x) => x.contract.secType === 'OPT').map((x) => [x.contract.strike, x.execution.side])).toEqual([[strikes.short, 'SLD'], [strikes.long, 'BOT']]);
      expect(rec.statuses.find((s) => s.orderId === id && s.status === 'Filled')?.avgFillPrice).toBe(-natural);
    });
  });

  describe('when the book takes only part of a larger order', () => {
    it('should report a partial fill, then the rest as time passes', async () => {
      const id = nextId();
      api.placeOrder(id, bag(), order('intent-partial', marketable(), 10));
      await until(() => rec.statuses.some((s) => s.orderId === id && s.filled > 0), 'a first fill');
      const first = rec.statuses.filter((s) => s.orderId === id && s.filled > 0)[0];
      expect(first?.status).toBe('Submitted');
      expect(first?.filled).toBeGreaterThan(0);
      expect(first?.filled).toBeLessThan(10);
      expect(first?.remaining).toBe(10 - (first?.filled ?? 0));
      for (let minute = 1; minute <= 30 && rec.statusOf(id) !== 'Filled'; minute += 1) {
        clock.set(Date.parse(AT) + minute * 60_000);
        await sim.gateway.process(clock.now());
      }
      await until(() => rec.statusOf(id) === 'Filled', 'the rest of the order');
      const combos = rec.execs.filter((x) => x.execution.orderId === id && x.contract.secType === 'BAG');
      expect(combos.length).toBeGreaterThan(1);
      expect(combos.map((x) => x.execution.cumQty)).toEqual(combos.map((_, i) => combos.slice(0, i + 1).reduce((s, x) => s + (x.execution.shares ?? 0), 0)));
      expect(combos.at(-1)?.execution.cumQty).toBe(10);
      clock.set(Date.parse(AT));
    });
  });

  describe('when a resting order is modified by re-sending its id', () => {
    it('should keep it working at the far price, then fill it at the new price', async () => {
      const id = nextId();
      api.placeOrder(id, bag(), order('intent-walk', far()));
      await until(() => rec.statusOf(id) === 'Submitted', 'the order working');
      await sim.gateway.process(clock.now());
      expect(rec.statusOf(id)).toBe('Submitted');
      api.placeOrder(id, bag(), order('intent-walk', marketable()));
      await until(() => rec.statusOf(id) === 'Filled', 'the modified order filling');
      expect(rec.openOrders.filter((o) => o.orderId === id).map((o) => o.order.lmtPrice)).toEqual(expect.arrayContaining([far(), marketable()]));
      const combo = rec.execs.find((x) => x.execution.orderId === id && x.contract.secType === 'BAG');
      expect(combo?.execution.price).toBe(natural);
      expect(rec.errorCodes(id)).toEqual([]);
    });

    it('should refuse to modify a filled order (104)', async () => {
      const id = nextId();
      api.placeOrder(id, bag(), order('intent-done', marketable()));
      await until(() => rec.statusOf(id) === 'Filled', 'the fill');
      api.placeOrder(id, bag(), order('intent-done', far()));
      await until(() => rec.errorCodes(id).includes(104), 'error 104');
    });
  });

  describe('when a resting order is cancelled', () => {
    it('should report Cancelled and error 202, and refuse a second cancel with 10148', async () => {
      const id = nextId();
      api.placeOrder(id, bag(), order('intent-cancel', far()));
      await until(() => rec.statusOf(id) === 'Submitted', 'the order working');
      api.cancelOrder(id);
      await until(() => rec.statusOf(id) === 'Cancelled' && rec.errorCodes(id).includes(202), 'the cancel');
      expect(rec.errors.find((e) => e.reqId === id && e.code === 202)?.message).toBe('Order Canceled - reason:');
      api.cancelOrder(id);
      await until(() => rec.errorCodes(id).includes(10148), 'error 10148');
      api.cancelOrder(id + 500);
      await until(() => rec.errorCodes(id + 500).includes(10147), 'error 10147 for an unknown id');
    });
  });

  describe('when an order is refused', () => {
    it('should send the injected rejection (201) and mark the order inactive', async () => {
      const id = nextId();
      sim.gateway.rejectNextOrder(201, 'Order rejected - reason: insufficient margin');
      api.placeOrder(id, bag(), order('intent-reject', marketable()));
      await until(() => rec.statusOf(id) === 'Inactive', 'the inactive status');
      expect(rec.errors.filter((e) => e.reqId === id)).toEqual([{ reqId: id, code: 201, message: 'Order rejected - reason: insufficient margin' }]);
      expect((await sim.broker.openOrders()).some((o) => o.order_ref === 'intent-reject')).toBe(false);
    });

    it("should turn the paper broker's own rejection into 201 with its reason", async () => {
      const id = nextId();
      // Asking a credit for a combo whose mid is a debit: the paper broker refuses it.
      api.placeOrder(id, bag(), { ...order('intent-debit', 1), action: OrderAction.SELL });
      await until(() => rec.errorCodes(id).includes(201), 'error 201');
      expect(rec.errors.find((e) => e.reqId === id)?.message).toMatch(/^Order rejected - reason:.*credit/);
      await until(() => rec.statusOf(id) === 'Inactive', 'the inactive status');
    });

    it('should refuse a reused order id (103), an unknown leg (200) and per-leg prices on four legs (10058)', async () => {
      const used = nextId();
      api.placeOrder(used, bag(), order('intent-a', far()));
      await until(() => rec.statusOf(used) === 'Submitted', 'the first order');
      const skipped = nextId();
      const later = nextId();
      api.placeOrder(later, bag(), order('intent-b', far()));
      await until(() => rec.statusOf(later) === 'Submitted', 'the later order');
      api.placeOrder(skipped, bag(), order('intent-c', far()));
      await until(() => rec.errorCodes(skipped).includes(103), 'error 103');

      const unknownLeg = nextId();
      api.placeOrder(unknownLeg, { ...bag(), comboLegs: [{ ...legs[0]!, conId: 999 }, legs[1]!] }, order('intent-d', far()));
      await until(() => rec.errorCodes(unknownLeg).includes(200), 'error 200');

      const perLeg = nextId();
      const four = [...legs, ...legs.map((l) => ({ ...l, action: l.action === OrderAction.BUY ? OrderAction.SELL : OrderAction.BUY }))];
      api.placeOrder(perLeg, { ...bag(), comboLegs: four }, { ...order('intent-e', far()), orderComboLegs: four.map(() => ({ price: 1 })) });
      await until(() => rec.errorCodes(perLeg).includes(10058), 'error 10058');
      expect((await sim.broker.openOrders()).map((o) => o.order_ref)).not.toEqual(expect.arrayContaining(['intent-c', 'intent-d', 'intent-e']));
      api.cancelOrder(used);
      api.cancelOrder(later);
      await until(() => rec.statusOf(used) === 'Cancelled' && rec.statusOf(later) === 'Cancelled', 'the clean-up');
    });
  });

  describe('when the connection drops right after an order reached the gateway', () => {
    it('should keep the order at the broker, so a reconnecting client finds it by orderRef', async () => {
      const id = nextId();
      sim.gateway.dropAfter(1);
      const lost = new Promise<void>((resolve) => api.once(EventName.disconnected, () => resolve()));
      api.placeOrder(id, bag(), order('intent-reconnect', far()));
      await lost;
      const again = await connect(port, CLIENT_ID);
      opened.push(again.api);
      again.api.reqOpenOrders();
      await until(() => again.rec.ends.openOrders > 0, 'openOrderEnd');
      const found = again.rec.openOrders.find((o) => o.order.orderRef === 'intent-reconnect');
      expect(found?.orderId).toBe(id);
      expect(found?.state.status).toBe('Submitted');
      expect(again.rec.statuses.some((s) => s.orderId === id && s.status === 'Submitted')).toBe(true);
      expect(again.nextId()).toBeGreaterThan(id);
      // The rest of the suite talks over the new connection.
      ({ api, rec, nextId } = again);
      api.cancelOrder(id);
      await until(() => rec.statusOf(id) === 'Cancelled', 'the clean-up');
    });
  });

  describe('when another client asks for open orders', () => {
    it('should see them with reqAllOpenOrders but not with reqOpenOrders (orders belong to their client id)', async () => {
      const id = nextId();
      api.placeOrder(id, bag(), order('intent-other', far()));
      await until(() => rec.statusOf(id) === 'Submitted', 'the order working');
      const other = await connect(port, CLIENT_ID + 1);
      opened.push(other.api);
      other.api.reqOpenOrders();
      await until(() => other.rec.ends.openOrders === 1, 'openOrderEnd');
      expect(other.rec.openOrders).toEqual([]);
      other.api.reqAllOpenOrders();
      await until(() => other.rec.ends.openOrders === 2, 'the second openOrderEnd');
      expect(other.rec.openOrders.map((o) => [o.orderId, o.order.orderRef, o.order.clientId])).toEqual([[id, 'intent-other', CLIENT_ID]]);
      other.api.disconnect();
      api.cancelOrder(id);
      await until(() => rec.statusOf(id) === 'Cancelled', 'the clean-up');
    });
  });

  describe('when the gateway answers slowly (delayReplies)', () => {
    it('should still deliver every report, in order', async () => {
      sim.gateway.delayReplies(30);
      const id = nextId();
      api.placeOrder(id, bag(), order('intent-slow', marketable()));
      await until(() => rec.statusOf(id) === 'Filled', 'the fill');
      sim.gateway.delayReplies(0);
      expect(rec.timeline.filter((t) => t.split(' ')[1] === String(id))).toEqual([
        `open ${id} Submitted`, `status ${id} Submitted`, `exec ${id} BAG`, `exec ${id} OPT`, `exec ${id} OPT`, `open ${id} Filled`, `status ${id} Filled`,
      ]);
    });
  });

  describe('when a client names an option by conId alone', () => {
    it('should describe a leg it handed out, and one of the listed chain it never did', async () => {
      expect(await conIdOf(api, 9101, { conId: legs[0]?.conId, exchange: 'SMART' })).toBe(legs[0]?.conId);
      const chain = await sim.market.chain('QQQ', { dte_min: 20, dte_max: 60 });
      const e = chain.expiries[0];
      const strike = e?.strikes[Math.floor(e.strikes.length / 2)];
      if (!e || strike === undefined) throw new Error('no QQQ series');
      const unseen = optionConId('QQQ', e.expiry.replace(/-/g, ''), 'P', strike);
      expect(await conIdOf(api, 9102, { conId: unseen, exchange: 'SMART' })).toBe(unseen);
      api.reqContractDetails(9103, { conId: 12345, exchange: 'SMART' });
      await until(() => rec.errorCodes(9103).includes(200), 'error 200 for an unknown conId');
    });
  });

  describe('when executions are asked for with a time filter', () => {
    it('should return the fills at or after the time (UTC or exchange time), each with commissions, then the end', async () => {
      const before = '20260105-14:59:00'; // UTC, a minute before the fills
      api.reqExecutions(71, { time: before });
      await until(() => rec.ends.executions.has(71), 'execDetailsEnd 71');
      const found = rec.execs.filter((x) => x.reqId === 71);
      expect(found.filter((x) => x.contract.secType === 'BAG').map((x) => x.execution.orderRef)).toEqual(expect.arrayContaining(['intent-1', 'intent-partial', 'intent-walk']));
      const legIds = found.filter((x) => x.contract.secType === 'OPT').map((x) => x.execution.execId);
      await until(() => legIds.every((e) => rec.commissions.some((c) => c.execId === e)), 'the commission reports');

      api.reqExecutions(72, { time: '20260105 10:31:00' }); // exchange time (ET), after every fill
      await until(() => rec.ends.executions.has(72), 'execDetailsEnd 72');
      expect(rec.execs.filter((x) => x.reqId === 72)).toEqual([]);

      api.reqExecutions(73, { time: 'yesterday' });
      await until(() => rec.errorCodes(73).includes(321), 'error 321 for an unreadable time');
    });
  });

  describe('when positions and the account are asked for', () => {
    it('should list each option leg held, signed, with the cost per contract', async () => {
      api.reqPositions();
      await until(() => rec.ends.positions > 0, 'positionEnd');
      const held = (await sim.broker.positions()).filter((p) => p.quantity !== 0);
      expect(held.length).toBeGreaterThan(0);
      expect(rec.positions.map((p) => [p.contract.conId, p.pos]).sort()).toEqual(held.map((p) => [p.con_id, p.quantity]).sort());
      for (const p of rec.positions) {
        expect(p.account).toBe('DU1234567');
        expect(p.contract).toMatchObject({ symbol: 'SPY', secType: 'OPT', lastTradeDateOrContractMonth: strikes.expiry, right: 'C', multiplier: 100 });
        const broker = held.find((h) => h.con_id === p.contract.conId);
        expect(p.avgCost).toBeCloseTo((broker?.avg_cost ?? Number.NaN) * 100, 6);
      }
      expect(rec.positions.find((p) => p.contract.strike === strikes.short)?.pos).toBeLessThan(0);
      api.cancelPositions();
    });

    it("should report the account's summary tags from the broker", async () => {
      api.reqAccountSummary(81, 'All', 'NetLiquidation,BuyingPower,TotalCashValue,RealizedPnL,UnrealizedPnL');
      await until(() => rec.ends.summaries.has(81), 'accountSummaryEnd');
      const s = await sim.broker.accountSummary();
      const got = Object.fromEntries(rec.summary.filter((x) => x.reqId === 81 && x.account === 'DU1234567').map((x) => [x.tag, Number(x.value)]));
      expect(got).toEqual({ NetLiquidation: round2(s.net_liquidation), BuyingPower: round2(s.buying_power), TotalCashValue: round2(s.cash), RealizedPnL: round2(s.realized_pnl), UnrealizedPnL: round2(s.unrealized_pnl) });
      expect(got.TotalCashValue).not.toBe(100_000);
      api.cancelAccountSummary(81);
    });
  });
});
