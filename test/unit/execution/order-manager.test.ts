import { PaperBroker } from '../../../engine/adapters/sim/paper-broker';
import type { ComboLeg } from '../../../engine/model/leg';
import { intentId, type OrderIntent } from '../../../engine/model/order-intent';
import { buildServices } from '../../../engine/runtime/services';
import { ManualClock } from '../../../engine/shared/clock';
import { openJournal } from '../../../engine/store/journal';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { shippedConfig } from '../../helpers/config';
import { TableMarket } from '../paper/fake-market';

const EXP = '2027-01-08';
const leg = (right: 'P' | 'C', strike: number, action: 'BUY' | 'SELL'): ComboLeg => ({ symbol: 'SPY', expiry: EXP, right, strike, ratio: 1, action, con_id: null });

function world(seed = 1) {
  const market = new TableMarket();
  market.set(EXP, 'P', 540, 3.3, 3.5); // mid 3.4
  market.set(EXP, 'P', 535, 1.5, 1.7); // mid 1.6 → combo mid −1.80, natural −1.60
  const clock = new ManualClock('2026-11-24T15:00:00Z');
  const db = openJournal(':memory:');
  const broker = new PaperBroker({ market, clock, seed, stateFile: ':memory:' });
  const sent: number[] = [];
  const realPlace = broker.placeCombo.bind(broker);
  broker.placeCombo = async (o) => {
    sent.push(o.limit_price);
    return realPlace(o);
  };
  const alerts: string[] = [];
  const services = buildServices({
    config: shippedConfig(),
    db,
    broker,
    market,
    clock,
    log: (l) => alerts.push(l),
    sleep: async (ms) => {
      clock.advance(ms);
      await broker.processAt();
    },
  });
  const executor = services.executor;
  /** What the orders queue does with a submitted intent: journaled once, then executed. */
  const run = (intent: OrderIntent, signal?: AbortSignal) => {
    executor.accept(intent);
    return executor.execute(intent.id, signal);
  };
  return { market, clock, db, broker, executor, run, sent, alerts };
}

function openIntent(over: Partial<OrderIntent> = {}): OrderIntent {
  const id = intentId({ task: 'execute_strategies', trading_date: '2026-11-24', symbol: 'SPY', strategy: 'bull_put', subject: `${EXP} 540/535P` });
  return { id, kind: 'open', position_id: `pos-${id}`, symbol: 'SPY', strategy: 'bull_put', legs: [leg('P', 540, 'SELL'), leg('P', 535, 'BUY')], quantity: 1, urgency: 'normal', width: 5, context: { entry_iv: 0.2, entry_vix: 18 }, config_hash: shippedConfig().hash, ...over };
}

describe('OrderManager', () => {
  it('should give the same decision on the same day the same intent id', () => {
    const p = { task: 'unified_monitor', trading_date: '2026-11-24', symbol: 'SPY', strategy: 'iron_condor', subject: 'take_profit' };
    expect(intentId(p)).toBe(intentId({ ...p }));
    expect(intentId(p)).not.toBe(intentId({ ...p, trading_date: '2026-11-25' }));
    expect(intentId(p)).toMatch(/^2026-11-24-SPY-iron_condor-[0-9a-f]{16}$/);
  });

  describe('when an opening credit is walked', () => {
    it('should send one combo at mid, walk toward natural until it fills, and open the position', async () => {
      const w = world();
      const out = await w.run(openIntent());
      expect(out.status).toBe('filled');
      expect(w.sent).toEqual([-1.8]);
      const orders = await w.broker.executions(0);
      expect(orders).toHaveLength(1);
      const pos = new PositionsRepo(w.db).list('open');
      expect(pos).toHaveLength(1);
      expect(pos[0]?.entry_credit).toBeCloseTo(-(out.avg_price ?? 0), 9);
      expect(pos[0]?.entry_credit).toBeGreaterThanOrEqual(1.65); // never below 33% of the 5-point width
    });

    it('should never send a second order when the same intent is executed again', async () => {
      const w = world();
      const first = await w.run(openIntent());
      const again = await w.run(openIntent());
      expect(again).toEqual({ ...first, adopted: false });
      expect(w.sent).toHaveLength(1);
      expect(await w.broker.executions(0)).toHaveLength(1);
    });
  });

  describe('when the floor is above what the market pays', () => {
    it('should not send at all and record the intent rejected with the reason', async () => {
      const w = world();
      w.market.set(EXP, 'P', 540, 2.7, 2.9); // with the 535 below, combo mid −1.30: under the 1.65 floor already
      w.market.set(EXP, 'P', 535, 1.4, 1.6);
      const out = await w.run(openIntent());
      expect(out.status).toBe('rejected');
      expect(out.detail).toBe('not sent: mid -1.30 is already past the floor -1.65');
      expect(w.sent).toEqual([]);
    });

    it('should cancel at the timeout when the walk never reaches a fill', async () => {
      const w = world();
      // mid −1.80, natural −1.00: fills are drawn in [−1.64, −1.00], beyond the −1.65 floor, so never.
      w.market.set(EXP, 'P', 540, 3.0, 3.8);
      w.market.set(EXP, 'P', 535, 1.2, 2.0);
      const out = await w.run(openIntent());
      expect(out).toMatchObject({ status: 'unfilled', filled_quantity: 0, detail: 'timed out after 360000 ms with 0/1 filled' });
      expect(await w.broker.openOrders()).toEqual([]);
      expect(new IntentsRepo(w.db).get(out.intent_id)?.status).toBe('unfilled');
      expect(w.sent).toEqual([-1.8]);
      expect(w.clock.now() - Date.parse('2026-11-24T15:00:00Z')).toBe(360_000);
    });
  });

  describe('when the engine died after sending and before recording the acknowledgement', () => {
    it('should adopt the broker order carrying the intent id instead of sending another', async () => {
      const w = world();
      const intent = openIntent();
      new IntentsRepo(w.db).create(intent, w.clock.now());
      // The order reached the broker, but the journal never heard back.
      await w.broker.placeCombo({ order_ref: intent.id, symbol: 'SPY', legs: intent.legs, quantity: 1, limit_price: -1.8, tif: 'DAY' });
      const report = await w.executor.reconcile();
      expect(report.orphans).toEqual([]);
      const out = await w.run(intent);
      expect(out.adopted).toBe(true);
      expect(w.sent).toHaveLength(1);
      expect(out.status).toBe('filled');
    });

    it('should report broker orders with no intent and leave them alone', async () => {
      const w = world();
      await w.broker.placeCombo({ order_ref: 'someone-else', symbol: 'SPY', legs: openIntent().legs, quantity: 1, limit_price: -1.8, tif: 'DAY' });
      const report = await w.executor.reconcile();
      expect(report.orphans).toEqual([{ broker_order_id: '1', order_ref: 'someone-else' }]);
      expect(await w.broker.openOrders()).toHaveLength(1);
    });
  });

  describe('when a position is closed', () => {
    it('should close it with its realized P&L', async () => {
      const w = world();
      const open = await w.run(openIntent());
      const posId = `pos-${open.intent_id}`;
      w.market.set(EXP, 'P', 540, 1.0, 1.2); // the spread decayed: close for about 0.40
      w.market.set(EXP, 'P', 535, 0.6, 0.8);
      const closeId = intentId({ task: 'unified_monitor', trading_date: '2026-11-24', symbol: 'SPY', strategy: 'bull_put', subject: 'take_profit' });
      const out = await w.run(openIntent({ id: closeId, kind: 'close', position_id: posId, urgency: 'normal', legs: [leg('P', 540, 'BUY'), leg('P', 535, 'SELL')] }));
      expect(out.status).toBe('filled');
      const pos = new PositionsRepo(w.db).get(posId);
      expect(pos?.status).toBe('closed');
      const fills = await w.broker.executions(0);
      const commissions = fills.reduce((s, e) => s + e.commission, 0);
      const closeFill = fills.find((e) => e.order_ref === closeId);
      // Round trip: both the closing and the opening commissions are in realized P&L.
      expect(pos?.realized_pnl).toBeCloseTo(((pos?.entry_credit ?? 0) - (closeFill?.price ?? 0)) * 100 - commissions, 6);
      expect(commissions).toBeCloseTo(2.6, 6);
      expect(await w.broker.positions()).toEqual([]);
    });
  });
});

const closeOf = (posId: string, over: Partial<OrderIntent> = {}): OrderIntent =>
  openIntent({ id: intentId({ task: 'unified_monitor', trading_date: '2026-11-24', symbol: 'SPY', strategy: 'bull_put', subject: `close ${posId}` }), kind: 'close', position_id: posId, urgency: 'normal', legs: [leg('P', 540, 'BUY'), leg('P', 535, 'SELL')], ...over });

describe('OrderManager walks with fresh quotes and one-sided legs', () => {
  describe('when the market moves during the walk', () => {
    it('should re-price every step from the quote of that moment', async () => {
      const w = world();
      // Never fills (fills are drawn beyond the floor), so every step is a modify.
      w.market.set(EXP, 'P', 540, 3.0, 3.8);
      w.market.set(EXP, 'P', 535, 1.2, 2.0);
      const modified: number[] = [];
      const realModify = w.broker.modifyPrice.bind(w.broker);
      w.broker.modifyPrice = async (id, price) => {
        modified.push(price);
        // After the first step the spread widens in our favour: mid −2.00, natural −1.20.
        w.market.set(EXP, 'P', 540, 3.2, 4.0);
        return realModify(id, price);
      };
      await w.run(openIntent());
      // Step 1 from the first quote (mid −1.80, natural −1.00): −1.72; step 2 from the new one: −2.00 + 0.8 × 0.2 = −1.84.
      expect(modified.slice(0, 2)).toEqual([-1.72, -1.84]);
    });
  });

  describe('when a close sells back a long wing that has no bid', () => {
    it('should price the wing at 0, send the close, and say so in an alert', async () => {
      const w = world();
      const open = await w.run(openIntent());
      const posId = `pos-${open.intent_id}`;
      w.market.set(EXP, 'P', 540, 0.1, 0.15);
      w.market.set(EXP, 'P', 535, null, 0.05);
      const out = await w.run(closeOf(posId, { urgency: 'immediate' }));
      expect(out.status).toBe('filled');
      expect(w.sent[1]).toBe(0.12); // buy back the short at mid 0.125 (ties go to the better price), the wing at 0
      expect(w.alerts.some((a) => a.includes('has no bid: priced at 0'))).toBe(true);
      expect(new PositionsRepo(w.db).get(posId)?.status).toBe('closed');
    });
  });

  describe('when a leg to buy has no ask', () => {
    it('should refuse an opening order', async () => {
      const w = world();
      w.market.set(EXP, 'P', 535, 1.5, null);
      const out = await w.run(openIntent());
      expect(out).toMatchObject({ status: 'rejected', detail: `not sent: no ask for SPY ${EXP} 535P: an opening order is never priced without one` });
      expect(w.sent).toEqual([]);
    });

    it('should still send a close, buying the short back at its model value', async () => {
      const w = world();
      const open = await w.run(openIntent());
      w.market.set(EXP, 'P', 540, 3.3, null);
      w.market.spotPrice = 560; // the 540 put's model value at IV 20%, 45 days: about 4.6
      const out = await w.run(closeOf(`pos-${open.intent_id}`));
      expect(w.sent).toHaveLength(2);
      // It went out; the paper book has no seller for a contract with no ask, so the walk times out.
      expect(out.status).toBe('unfilled');
      expect(w.alerts.some((a) => a.includes('has no ask: priced at the model'))).toBe(true);
    });
  });
});

describe('OrderManager on a stop signal mid-walk', () => {
  /** A world whose walk sleeps until the test aborts it, like SIGTERM arriving during a walk. */
  function stoppable() {
    const w = world();
    const ctl = new AbortController();
    const arm = { on: true };
    // Never fills: the walk would otherwise run its whole six minutes.
    w.market.set(EXP, 'P', 540, 3.0, 3.8);
    w.market.set(EXP, 'P', 535, 1.2, 2.0);
    const realModify = w.broker.modifyPrice.bind(w.broker);
    w.broker.modifyPrice = async (id, price) => {
      if (arm.on) ctl.abort();
      return realModify(id, price);
    };
    return { ...w, ctl, arm };
  }

  it('should cancel an opening order (orders.on_shutdown.open: cancel) and record the intent cancelled', async () => {
    const w = stoppable();
    const out = await w.run(openIntent(), w.ctl.signal);
    expect(out).toMatchObject({ status: 'cancelled', detail: 'cancelled at shutdown with 0/1 filled' });
    expect(await w.broker.openOrders()).toEqual([]);
  });

  it('should leave a closing order resting (on_shutdown.close: leave), intent working, and the next run adopt it without a second order', async () => {
    const w = stoppable();
    w.arm.on = false;
    w.market.set(EXP, 'P', 540, 3.3, 3.5);
    w.market.set(EXP, 'P', 535, 1.5, 1.7);
    const open = await w.run(openIntent());
    expect(open.status).toBe('filled');
    w.arm.on = true;
    w.market.set(EXP, 'P', 540, 3.0, 3.8);
    w.market.set(EXP, 'P', 535, 1.2, 2.0);
    const close = closeOf(`pos-${open.intent_id}`);
    const out = await w.run(close, w.ctl.signal);
    expect(out).toMatchObject({ status: 'working', left_resting: true });
    expect(new IntentsRepo(w.db).get(close.id)?.status).toBe('working');
    expect(await w.broker.openOrders()).toHaveLength(1);
    // The next owner: the broker's order is found by its orderRef and walked on; nothing new is sent.
    w.market.set(EXP, 'P', 540, 3.3, 3.5);
    w.market.set(EXP, 'P', 535, 1.5, 1.7);
    const adopted = await w.executor.execute(close.id);
    expect(adopted).toMatchObject({ adopted: true, status: 'filled' });
    expect(w.sent).toHaveLength(2);
  });
});
