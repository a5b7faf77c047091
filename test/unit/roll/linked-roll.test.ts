import type { PaperBroker } from '../../../engine/adapters/sim/paper-broker';
import type { Broker } from '../../../engine/execution/broker';
import type { ComboOrderRequest, PlacedOrder } from '../../../engine/model/broker-records';
import { BrokerRejectedError } from '../../../engine/shared/errors';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { entryJournalFacts } from '../../../engine/workflows/entry-journal-facts';
import { RollsRepo } from '../../../engine/store/rolls-repo';
import { unifiedMonitor, type MonitorResult } from '../../../engine/workflows/unified-monitor';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';
import { openNearExpiry, withMinScore } from './roll-scenario';

/**
 * The paper broker as a broker that takes no multi-expiry combos (no max_combo_legs): a roll goes
 * as a close and an open held until the close filled. `refuse` makes it reject the next order.
 */
function noRollCombos(paper: PaperBroker, refuse: { next: boolean }): Broker {
  return new Proxy(paper, {
    get(target, key) {
      if (key === 'max_combo_legs') return undefined;
      if (key === 'placeCombo') {
        return async (o: ComboOrderRequest): Promise<PlacedOrder> => {
          if (refuse.next) {
            refuse.next = false;
            throw new BrokerRejectedError('TEST_REFUSED', `order ${o.order_ref} refused by the test broker`);
          }
          return target.placeCombo(o);
        };
      }
      const v: unknown = Reflect.get(target, key);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

const OPEN_AT = '2026-02-03T15:00:00Z';
const NEXT_DAY = Date.parse('2026-02-04T15:00:00Z');

async function rollLinked(e: TestEngine): Promise<{ old: string; row: MonitorResult }> {
  const old = await openNearExpiry(e);
  e.clock.set(NEXT_DAY);
  const r = await unifiedMonitor(e.ctx, jobFor('unified_monitor', e.clock));
  const row = (r.data as { positions: MonitorResult[] }).positions[0];
  if (!row) throw new Error('expected the position in the monitor result');
  return { old, row };
}

describe('a roll sent as two linked intents', () => {
  let e: TestEngine;
  const refuse = { next: false };
  beforeEach(() => {
    refuse.next = false;
    e = testEngine({ at: OPEN_AT, config: withMinScore(70), wrapBroker: (p) => noRollCombos(p, refuse) });
  });
  afterEach(() => e.close());

  it('should hold the open until the close filled, then send it and link old → new', async () => {
    const { old, row } = await rollLinked(e);
    expect(row.roll).toMatchObject({ action: 'roll', mode: 'linked' });
    const [close, open] = e.submitted.slice(-2);
    expect([close?.kind, open?.kind, open?.after_intent]).toEqual(['close', 'open', close?.id]);
    const intents = new IntentsRepo(e.db);
    // Run out of order: the open first, as a queue that took it early would.
    const held = await e.executor.execute(open?.id ?? '');
    expect(held).toMatchObject({ status: 'pending', detail: `held until close ${close?.id} fills (it is pending)` });
    expect(intents.ordersOf(open?.id ?? '')).toEqual([]);
    expect(e.executor.isHeld(open?.id ?? '')).toBe(true);
    const released: string[] = [];
    e.executor.useDispatch(async (i) => {
      released.push(i.id);
      await e.executor.execute(i.id);
    });
    expect((await e.executor.execute(close?.id ?? '')).status).toBe('filled');
    expect(released).toEqual([open?.id]);
    expect(intents.get(open?.id ?? '')?.status).toBe('filled');
    const positions = new PositionsRepo(e.db);
    expect(positions.get(old)?.status).toBe('closed');
    expect(positions.get(row.roll?.to_position_id ?? '')).toMatchObject({ status: 'open', quantity: 2, strategy: 'bear_call' });
    expect(new RollsRepo(e.db).rolledFrom(row.roll?.to_position_id ?? '')).toMatchObject({ from_position_id: old, mode: 'linked', close_intent_id: close?.id, open_intent_id: open?.id });
    // The roll's open replaced a position: it is not an entry of the day for the entry discipline.
    expect(entryJournalFacts(e.db, 'SPY', [], e.clock.now()).entries_today_for_symbol).toBe(0);
  });

  it('should never send the open when the close is rejected', async () => {
    const { old, row } = await rollLinked(e);
    expect(row.roll?.mode).toBe('linked');
    const [close, open] = e.submitted.slice(-2);
    refuse.next = true;
    expect((await e.executor.execute(close?.id ?? '')).status).toBe('rejected');
    const intents = new IntentsRepo(e.db);
    expect(intents.get(open?.id ?? '')).toMatchObject({ status: 'cancelled', status_detail: expect.stringMatching(new RegExp(`^not sent: close ${close?.id} ended rejected \\(order .* refused by the test broker\\); this open waited for it to fill$`)) });
    expect(intents.ordersOf(open?.id ?? '')).toEqual([]);
    expect(new PositionsRepo(e.db).get(old)?.status).toBe('open');
    expect(new RollsRepo(e.db).all()).toEqual([]);
  });

  it('should drop the open when the close filled in part, and manage the lots left on the next run', async () => {
    const { old, row } = await rollLinked(e);
    expect(row.roll?.mode).toBe('linked');
    const [close, open] = e.submitted.slice(-2);
    const intents = new IntentsRepo(e.db);
    const positions = new PositionsRepo(e.db);
    // What the order manager leaves after a walk that timed out with 1 of 2 filled.
    intents.setStatus(close?.id ?? '', 'working', null, e.clock.now());
    positions.reduce(old, 1, -20, false);
    intents.setStatus(close?.id ?? '', 'partially_filled', 'timed out after 120000 ms with 1/2 filled', e.clock.now());
    const dropped = await e.executor.execute(open?.id ?? '');
    expect(dropped).toMatchObject({ status: 'cancelled', detail: `not sent: close ${close?.id} ended partially_filled (timed out after 120000 ms with 1/2 filled); this open waited for it to fill` });
    expect(intents.ordersOf(open?.id ?? '')).toEqual([]);
    e.clock.advance(5 * 60_000);
    const again = await unifiedMonitor(e.ctx, jobFor('unified_monitor', e.clock));
    const next = (again.data as { positions: MonitorResult[] }).positions[0];
    expect(next).toMatchObject({ position_id: old, roll: { action: 'roll', mode: 'linked' } });
    const [close2, open2] = e.submitted.slice(-2);
    expect([close2?.quantity, open2?.quantity, open2?.after_intent]).toEqual([1, 1, close2?.id]);
    expect(close2?.id).not.toBe(close?.id);
  });
});
