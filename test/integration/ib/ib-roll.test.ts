import { IbBroker } from '../../../engine/adapters/ib/ib-broker';
import { IbMarket } from '../../../engine/adapters/ib/ib-market-connection';
import { buildServices } from '../../../engine/runtime/services';
import { ManualClock } from '../../../engine/shared/clock';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { openJournal } from '../../../engine/store/journal';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { RollsRepo } from '../../../engine/store/rolls-repo';
import { simGateway } from '../../../engine/testkit/ib-gateway/sim-gateway';
import { unifiedMonitor, type MonitorResult } from '../../../engine/workflows/unified-monitor';
import { jobFor } from '../../helpers/workflow-context';
import { openNearExpiry, withMinScore } from '../../unit/roll/roll-scenario';

describe('a roll through the real IB client and the fake gateway', () => {
  it('should send one 4-leg BAG (close the old bear call, open the new one) and link the positions', async () => {
    const clock = new ManualClock('2026-02-03T15:00:00Z');
    const sim = simGateway({ seed: 1, clock });
    const port = await sim.gateway.listen(0);
    // Market data over the wire too, as the ib-sim demo runs: the legs carry IB's conIds.
    const market = new IbMarket({ settings: { host: '127.0.0.1', port, clientId: 40 }, clock });
    const ib = new IbBroker({ settings: { host: '127.0.0.1', port, clientId: 41 }, clock, reconnect: { initialMs: 20, maxMs: 100 }, requestTimeoutMs: 5000 });
    const db = openJournal(':memory:');
    try {
      await ib.connect();
      const services = buildServices({
        config: withMinScore(70), clock, market, broker: ib, db, log: () => undefined,
        sleep: async (ms) => {
          clock.advance(ms);
          await sim.gateway.process(clock.now());
        },
      });
      const ctx = services.context(async (intent) => {
        services.executor.accept(intent);
        await services.executor.execute(intent.id);
      }, null);
      const old = await openNearExpiry({ ctx, market, clock, db, executor: services.executor });
      const oldLegs = new PositionsRepo(db).get(old)?.legs ?? [];
      clock.set(Date.parse('2026-02-04T15:00:00Z'));
      const r = await unifiedMonitor(ctx, jobFor('unified_monitor', clock));
      const row = (r.data as { positions: MonitorResult[] }).positions[0];
      expect(row?.roll).toMatchObject({ action: 'roll', mode: 'combo' });
      const intents = new IntentsRepo(db);
      const [roll] = intents.forPosition(old);
      expect([roll?.kind, roll?.status, roll?.status_detail]).toEqual(['roll', 'filled', null]);
      expect(roll?.legs).toHaveLength(4);
      // One order at IB for the whole roll.
      expect(intents.ordersOf(roll?.id ?? '')).toEqual([expect.objectContaining({ status: 'filled', filled_quantity: 2 })]);
      const execs = (await ib.executions(0)).filter((x) => x.order_ref === roll?.id);
      expect(execs.reduce((q, x) => q + x.quantity, 0)).toBe(2);
      const next = new PositionsRepo(db).get(row?.roll?.to_position_id ?? '');
      expect(next).toMatchObject({ status: 'open', quantity: 2 });
      // What IB holds: the new legs, none of the old ones.
      const held = (await ib.positions()).filter((p) => p.quantity !== 0).map((p) => `${p.expiry} ${p.strike}${p.right} ${p.quantity}`).sort();
      const want = (next?.legs ?? []).map((l) => `${l.expiry} ${l.strike}${l.right} ${l.action === 'SELL' ? -2 : 2}`).sort();
      expect(held).toEqual(want);
      expect(held.some((h) => oldLegs.some((l) => h.startsWith(`${l.expiry} ${l.strike}${l.right}`)))).toBe(false);
      expect(new RollsRepo(db).rolledTo(old)).toEqual([expect.objectContaining({ to_position_id: next?.id, mode: 'combo', close_intent_id: roll?.id })]);
    } finally {
      await ib.disconnect();
      await market.close();
      await sim.gateway.close();
      sim.broker.close();
      db.close();
    }
  });
});
