import { IbBroker } from '../../../engine/adapters/ib/ib-broker';
import { simGateway } from '../../../engine/testkit/ib-gateway/sim-gateway';
import { intentId, type OrderIntent } from '../../../engine/model/order-intent';
import { OrderManager } from '../../../engine/execution/order-manager';
import { OrderQuoter } from '../../../engine/execution/order-quote';
import { ManualClock } from '../../../engine/shared/clock';
import { ExecutionsRepo } from '../../../engine/store/executions-repo';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { openJournal } from '../../../engine/store/journal';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { shippedConfig } from '../../helpers/config';

const AT = '2026-01-05T15:00:00Z';

describe('an order whose connection drops after it was sent', () => {
  it('is found by its orderRef after the reconnect: exactly one order at the broker, its fill in the journal', async () => {
    const clock = new ManualClock(AT);
    const sim = simGateway({ seed: 1, clock });
    const port = await sim.gateway.listen(0);
    const ib = new IbBroker({ settings: { host: '127.0.0.1', port, clientId: 31 }, clock, reconnect: { initialMs: 20, maxMs: 100 }, requestTimeoutMs: 5000 });
    const db = openJournal(':memory:');
    const events: string[] = [];
    ib.onEvent((e) => events.push(e.type));
    try {
      await ib.connect();
      const orders = shippedConfig().strategies.orders;
      const om = new OrderManager({
        db,
        broker: ib,
        quoter: new OrderQuoter(sim.market, orders, 0.045),
        orders,
        clock,
        sleep: async (ms) => {
          clock.advance(ms);
          await sim.gateway.process(clock.now());
        },
      });
      const chain = await sim.market.chain('QQQ', { dte_min: 40, dte_max: 50 });
      const e = chain.expiries[0]!;
      const short = e.strikes.find((k) => k >= chain.spot * 1.03)!;
      const id = intentId({ task: 'test', trading_date: '2026-01-05', symbol: 'QQQ', strategy: 'bear_call', subject: 'drop-after-send' });
      const intent: OrderIntent = {
        id,
        kind: 'open',
        position_id: `pos-${id}`,
        symbol: 'QQQ',
        strategy: 'bear_call',
        legs: [
          { symbol: 'QQQ', expiry: e.expiry, right: 'C', strike: short, ratio: 1, action: 'SELL', con_id: null },
          { symbol: 'QQQ', expiry: e.expiry, right: 'C', strike: short + 5, ratio: 1, action: 'BUY', con_id: null },
        ],
        quantity: 1,
        urgency: 'normal',
        width: 5,
        context: { entry_iv: 0.2, entry_vix: 18 },
        config_hash: 'test',
      };
      // Two contract-details requests for the legs, then the order itself: the gateway acts on the
      // order and the socket goes before any answer comes back.
      new IntentsRepo(db).create(intent, clock.now());
      sim.gateway.dropAfter(3);
      await expect(om.execute(intent.id)).rejects.toMatchObject({ kind: 'not_connected' });
      expect(new IntentsRepo(db).get(id)?.status).toBe('pending');
      for (let i = 0; i < 200 && !events.includes('connection_restored'); i++) await new Promise((r) => setTimeout(r, 10));
      expect(events).toEqual(expect.arrayContaining(['connection_lost', 'connection_restored']));
      // What the engine does after a reconnect: reconcile, then resume the unresolved intent.
      await om.reconcile();
      const outcome = await om.execute(intent.id);
      expect(outcome.status).toBe('filled');
      // Filled at the gateway while the link was down, or adopted and walked: either way no second order.
      const atBroker = (await sim.broker.executions(0)).filter((x) => x.order_ref === id);
      expect(new Set(atBroker.map((x) => x.broker_order_id)).size).toBe(1);
      const placeOrders = sim.gateway.received.filter((m) => m[0] === '3');
      expect(new Set(placeOrders.map((m) => m[1])).size).toBe(1); // modifies re-use the one order id
      expect(new ExecutionsRepo(db).forIntent(id).map((x) => x.quantity)).toEqual(atBroker.map((x) => x.quantity));
      expect(new PositionsRepo(db).get(`pos-${id}`)?.status).toBe('open');
    } finally {
      await ib.disconnect();
      await sim.gateway.close();
      sim.broker.close();
      db.close();
    }
  }, 60_000);
});
