import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDemo } from '../../../engine/backtest/demo-run';
import { openJournal } from '../../../engine/store/journal';
import { shippedConfig } from '../../helpers/config';

describe('thetadesk demo on virtual time', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-demo-test-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Seed 1 from 2026-01-13: the shipped gates enter on day 1 and take_profit closes one on day 2.
  const run = (journal: string) => runDemo({ config: shippedConfig(), days: 2, seed: 1, start: '2026-01-13', symbols: null, journal, startingCash: 100_000, out: () => undefined, progress: null });

  it('plays two days of the shipped config through the queues, agrees with its journal, and replays number for number', async () => {
    const a = await run(path.join(dir, 'a.db'));
    const b = await run(path.join(dir, 'b.db'));
    expect(b).toEqual(a);
    expect(a.orders).toBeGreaterThanOrEqual(2);
    expect(a.trades).toBeGreaterThanOrEqual(1);
    const db = openJournal(path.join(dir, 'a.db'));
    try {
      // The shipped defaults trade on these days and a rule other than hold closes a position.
      const opened = db.prepare('SELECT COUNT(*) AS n FROM strategy_positions').get() as { n: number };
      expect(opened.n).toBeGreaterThanOrEqual(1);
      const exits = db.prepare("SELECT COUNT(*) AS n FROM decisions WHERE kind = 'exit' AND action <> 'hold'").get() as { n: number };
      expect(exits.n).toBeGreaterThanOrEqual(1);
      // Order walks sleep on virtual time beside the 5-minute jobs, as the workers run live: none is missed.
      const late = db.prepare("SELECT COUNT(*) AS n FROM runs WHERE status = 'missed'").get() as { n: number };
      expect(late.n).toBe(0);
      // Every broker order belongs to an intent that went through the orders queue (the order manager journals "sent").
      const orphans = db.prepare("SELECT COUNT(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_events e WHERE e.broker_order_id = o.broker_order_id AND e.event = 'sent')").get() as { n: number };
      expect(orphans.n).toBe(0);
      const fills = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(commission), 0) AS fees FROM executions').get() as { n: number; fees: number };
      expect(fills.n).toBe(a.fills);
      expect(Math.round(fills.fees * 100) / 100).toBe(a.fees);
      // Realized P&L from the executions themselves: opening and closing fills per closed position.
      const closed = db.prepare("SELECT id, opened_by_intent, quantity FROM strategy_positions WHERE status = 'closed'").all() as Array<{ id: string; opened_by_intent: string; quantity: number }>;
      let realized = 0;
      for (const p of closed) {
        const ex = db.prepare('SELECT e.price, e.quantity, e.commission, i.kind FROM executions e JOIN order_intents i ON i.id = e.intent_id WHERE i.id = ? OR (i.position_id = ? AND i.kind <> ?)').all(p.opened_by_intent, p.id, 'open') as Array<{ price: number; quantity: number; commission: number; kind: string }>;
        realized += ex.reduce((s, e) => s - e.price * 100 * e.quantity - e.commission, 0);
      }
      const closedRealized = Math.round(realized * 100) / 100;
      const openRealized = a.per_strategy.reduce((s, r) => s + r.realized_pnl, 0) - a.realized_pnl;
      expect(openRealized).toBeCloseTo(0, 6);
      expect(a.realized_pnl).toBeCloseTo(closedRealized, 2);
    } finally {
      db.close();
    }
  }, 300_000);
});
