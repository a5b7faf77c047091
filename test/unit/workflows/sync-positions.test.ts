import { IntentsRepo } from '../../../engine/store/intents-repo';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { compareLegs, mismatchKind, syncPositions, type SyncReport } from '../../../engine/workflows/sync-positions';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';
import { openPaperBullPut, override } from '../../helpers/workflow-stubs';

describe('sync_positions', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  describe('when the journal and the paper broker hold the same legs', () => {
    it('should report agreement and raise no alert', async () => {
      e = testEngine({ execute: true });
      await openPaperBullPut(e, 2);
      const r = await syncPositions(e.ctx, jobFor('sync_positions', e.clock));
      expect(r.summary).toBe('1 open positions agree with the broker');
      expect(r.data).toMatchObject({ open: 1, broker_legs: 2, mismatches: [] });
      expect(e.alerts).toEqual([]);
    });
  });

  describe('when the broker and the journal differ', () => {
    it('should classify missing, unexpected and different legs, alert once, and leave the journal alone', async () => {
      e = testEngine({ execute: true });
      const p = await openPaperBullPut(e, 2);
      // The journal thinks 3 combos were opened (a missed partial fill, say)…
      e.db.prepare('UPDATE strategy_positions SET quantity = 3 WHERE id = ?').run(p.position_id);
      // …and the broker also holds a call nobody journaled, while one journaled leg is gone.
      const real = await e.broker.positions();
      const ctx = {
        ...e.ctx,
        broker: override(e.broker, {
          positions: async () => [...real.filter((b) => b.strike !== p.long), { symbol: 'SPY', expiry: p.expiry, right: 'C' as const, strike: 700, con_id: null, quantity: -1, avg_cost: 1 }],
        }),
      };
      const r = await syncPositions(ctx, jobFor('sync_positions', e.clock));
      const d = r.data as SyncReport;
      expect(d.missing_at_broker).toEqual([`SPY ${p.expiry} ${p.long}P`]);
      expect(d.unexpected_at_broker).toEqual([`SPY ${p.expiry} 700C`]);
      expect(d.quantity_differs).toEqual([`SPY ${p.expiry} ${p.short}P`]);
      expect(d.mismatches).toContainEqual({ leg: `SPY ${p.expiry} ${p.short}P`, journal: -3, broker: -2 });
      expect(r.summary).toBe('3 leg(s) differ from the broker; the journal was left as it is for review');
      expect(new PositionsRepo(e.db).get(p.position_id)).toMatchObject({ status: 'open', quantity: 3 });
      expect(e.alerts).toHaveLength(1);
      expect(e.alerts[0]).toContain('"alert":"position_mismatch"');
      expect(e.alerts[0]).toContain('"severity":"warning"');
    });

    it('should report legs of an order still working as settling, without an alert (the fill reached the broker first)', async () => {
      e = testEngine({ execute: true });
      const p = await openPaperBullPut(e, 1);
      // The broker already holds the fill; the order manager has not applied it to the journal yet.
      e.db.prepare("UPDATE strategy_positions SET status = 'closed' WHERE id = ?").run(p.position_id);
      const opening = e.db.prepare('SELECT opened_by_intent AS id FROM strategy_positions WHERE id = ?').get(p.position_id) as { id: string };
      // A state the lifecycle never moves back to: written directly to stage the race.
      e.db.prepare("UPDATE order_intents SET status = 'working' WHERE id = ?").run(opening.id);
      const r = await syncPositions(e.ctx, jobFor('sync_positions', e.clock));
      const d = r.data as SyncReport;
      expect(d.mismatches).toEqual([]);
      expect(d.settling.map((m) => m.leg).sort()).toEqual([`SPY ${p.expiry} ${p.long}P`, `SPY ${p.expiry} ${p.short}P`].sort());
      expect(r.summary).toBe('0 open positions agree with the broker; 2 leg(s) of working orders still settling');
      expect(e.alerts).toEqual([]);
    });

    it('should send no alert on a dry run but still report', async () => {
      e = testEngine();
      new PositionsRepo(e.db).open({ id: 'x', opened_by_intent: 'i-x', symbol: 'QQQ', strategy: 'bear_call', legs: [{ right: 'C', strike: 600, expiry: '2026-04-17', action: 'SELL', ratio: 1, con_id: null }, { right: 'C', strike: 605, expiry: '2026-04-17', action: 'BUY', ratio: 1, con_id: null }], quantity: 1, entry_credit: 1, entry_iv: null, entry_vix: null, entry_time: 0 });
      const r = await syncPositions(e.ctx, jobFor('sync_positions', e.clock, { dry_run: true }));
      expect((r.data as SyncReport).missing_at_broker).toEqual(['QQQ 2026-04-17 600C', 'QQQ 2026-04-17 605C']);
      expect(e.alerts).toEqual([]);
    });
  });
});

describe('compareLegs', () => {
  const pos = (quantity: number, ratio = 1) => ({
    id: 'p', opened_by_intent: 'i', symbol: 'SPY', strategy: 'iron_condor' as const, quantity, entry_credit: 1, entry_iv: null, entry_vix: null, entry_time: 0,
    peak_profit_pct: null, partial_taken: false, status: 'open' as const, closed_at: null, realized_pnl: null,
    legs: [{ right: 'P' as const, strike: 500, expiry: '2026-04-17', action: 'SELL' as const, ratio, con_id: null }],
  });
  const held = (quantity: number) => ({ symbol: 'SPY', expiry: '2026-04-17', right: 'P' as const, strike: 500, con_id: null, quantity, avg_cost: 1 });

  it.each([
    ['equal legs', [pos(2)], [held(-2)], []],
    ['two positions on one leg add up', [pos(2), pos(1)], [held(-3)], []],
    ['ratio multiplies', [pos(2, 2)], [held(-4)], []],
    ['a flat broker row is no position', [], [held(0)], []],
    ['missing at the broker', [pos(1)], [], [{ leg: 'SPY 2026-04-17 500P', journal: -1, broker: 0, kind: 'missing_at_broker' }]],
    ['unexpected at the broker', [], [held(1)], [{ leg: 'SPY 2026-04-17 500P', journal: 0, broker: 1, kind: 'unexpected_at_broker' }]],
    ['different quantity', [pos(2)], [held(-1)], [{ leg: 'SPY 2026-04-17 500P', journal: -2, broker: -1, kind: 'quantity_differs' }]],
  ])('%s', (_name, open, broker, expected) => {
    expect(compareLegs(open, broker).map((m) => ({ ...m, kind: mismatchKind(m) }))).toEqual(expected);
  });
});
