import type { IntentStatus } from '../model/intent-lifecycle';
import type { OrderIntent, RollSplit } from '../model/order-intent';
import type { ComboLeg } from '../model/leg';
import type { Db } from './journal';
import { InvariantViolation } from '../shared/errors';
import { ACTIVE_STATUSES, canTransition, isActiveStatus, sqlStatusList } from '../model/intent-lifecycle';

const ACTIVE_SQL = sqlStatusList(ACTIVE_STATUSES);
import { stmt } from './statement-cache';

export interface IntentRecord extends OrderIntent {
  readonly status: IntentStatus;
  readonly status_detail: string | null;
  readonly created_at: number;
  readonly updated_at: number;
}

interface Row {
  id: string;
  kind: string;
  position_id: string | null;
  symbol: string;
  strategy: string;
  quantity: number;
  urgency: string;
  legs_json: string;
  context_json: string;
  config_hash: string;
  created_at: number;
  status: string;
  status_detail: string | null;
  updated_at: number;
  after_intent: string | null;
}

const fromRow = (r: Row): IntentRecord => {
  const ctx = JSON.parse(r.context_json) as { width: number; entry_iv: number | null; entry_vix: number | null; max_loss?: number; entry_deltas?: (number | null)[]; roll?: RollSplit; rolled_from?: string };
  return {
    id: r.id,
    kind: r.kind as IntentRecord['kind'],
    position_id: r.position_id ?? '',
    symbol: r.symbol,
    strategy: r.strategy as IntentRecord['strategy'],
    legs: JSON.parse(r.legs_json) as ComboLeg[],
    quantity: r.quantity,
    urgency: r.urgency as IntentRecord['urgency'],
    width: ctx.width,
    context: { entry_iv: ctx.entry_iv, entry_vix: ctx.entry_vix, ...(ctx.max_loss === undefined ? {} : { max_loss: ctx.max_loss }), ...(ctx.entry_deltas === undefined ? {} : { entry_deltas: ctx.entry_deltas }), ...(ctx.roll === undefined ? {} : { roll: ctx.roll }), ...(ctx.rolled_from === undefined ? {} : { rolled_from: ctx.rolled_from }) },
    config_hash: r.config_hash,
    status: r.status as IntentStatus,
    status_detail: r.status_detail,
    created_at: r.created_at,
    updated_at: r.updated_at,
    after_intent: r.after_intent,
  };
};

/** Order intents: written before anything is sent, so a crash never loses what was about to happen. */
export class IntentsRepo {
  constructor(private readonly db: Db) {}

  /** Stores a new intent as `pending`; an existing id is left as it is (returns false). */
  create(i: OrderIntent, nowMs: number): boolean {
    const r = stmt(this.db, 
        `INSERT INTO order_intents (id, kind, position_id, symbol, strategy, quantity, urgency, legs_json, context_json, config_hash, created_at, status, updated_at, after_intent)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (id) DO NOTHING`,
      )
      .run(i.id, i.kind, i.position_id, i.symbol, i.strategy, i.quantity, i.urgency, JSON.stringify(i.legs), JSON.stringify({ width: i.width, ...i.context }), i.config_hash, nowMs, nowMs, i.after_intent ?? null);
    return r.changes === 1;
  }

  get(id: string): IntentRecord | null {
    const r = stmt<[string], Row>(this.db, 'SELECT * FROM order_intents WHERE id = ?').get(id);
    return r ? fromRow(r) : null;
  }

  /** Moves an intent along its lifecycle (model/intent-lifecycle.ts); any other move is a bug that must halt. */
  setStatus(id: string, status: IntentStatus, detail: string | null, nowMs: number): void {
    const cur = stmt<[string], { status: IntentStatus }>(this.db, 'SELECT status FROM order_intents WHERE id = ?').get(id);
    if (!cur) throw new InvariantViolation('INTENT_MISSING', `intent ${id} is not in the journal`);
    if (!canTransition(cur.status, status)) throw new InvariantViolation('INTENT_TRANSITION', `intent ${id} cannot go from ${cur.status} to ${status}`);
    stmt(this.db, 'UPDATE order_intents SET status = ?, status_detail = ?, updated_at = ? WHERE id = ?').run(status, detail, nowMs, id);
  }

  /** Intents still owned by someone (ACTIVE_STATUSES): what reconciliation resolves and re-queueing resumes. */
  active(): IntentRecord[] {
    return stmt<[], Row>(this.db, `SELECT * FROM order_intents WHERE status IN (${ACTIVE_SQL}) ORDER BY created_at, id`).all().map(fromRow);
  }

  /** Intents waiting for `intentId` to fill (after_intent), oldest first. */
  dependents(intentId: string): IntentRecord[] {
    return stmt<[string], Row>(this.db, 'SELECT * FROM order_intents WHERE after_intent = ? ORDER BY created_at, id').all(intentId).map(fromRow);
  }

  /**
   * Why an intent may not be sent yet: the intent it waits for is still active. Null when it may
   * go (it waits for nothing, or what it waited for has ended: the executor then sends or drops it).
   */
  heldBy(rec: Pick<IntentRecord, 'after_intent'>): IntentRecord | null {
    if (!rec.after_intent) return null;
    const before = this.get(rec.after_intent);
    return before && isActiveStatus(before.status) ? before : null;
  }

  /** Intents that close or reduce a position, oldest first. */
  forPosition(positionId: string): IntentRecord[] {
    return stmt<[string], Row>(this.db, "SELECT * FROM order_intents WHERE position_id = ? AND kind <> 'open' ORDER BY created_at, id").all(positionId).map(fromRow);
  }

  /** Opening intents on an underlying created at or after `ms`, oldest first. */
  opensFor(symbol: string, sinceMs: number): IntentRecord[] {
    return stmt<[string, number], Row>(this.db, "SELECT * FROM order_intents WHERE symbol = ? AND kind = 'open' AND created_at >= ? ORDER BY created_at, id").all(symbol, sinceMs).map(fromRow);
  }

  since(ms: number): IntentRecord[] {
    return stmt<[number], Row>(this.db, 'SELECT * FROM order_intents WHERE created_at >= ? ORDER BY created_at, id').all(ms).map(fromRow);
  }

  recordOrder(intentId: string, brokerOrderId: string, broker: string, limitPrice: number, status: string, nowMs: number): void {
    stmt(this.db, 
        `INSERT INTO orders (broker_order_id, intent_id, broker, limit_price, status, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (broker_order_id) DO UPDATE SET limit_price = excluded.limit_price, status = excluded.status, updated_at = excluded.updated_at`,
      )
      .run(brokerOrderId, intentId, broker, limitPrice, status, nowMs);
  }

  updateOrder(brokerOrderId: string, status: string, filled: number, avgPrice: number | null, nowMs: number): void {
    stmt(this.db, 'UPDATE orders SET status = ?, filled_quantity = ?, avg_fill_price = ?, updated_at = ? WHERE broker_order_id = ?').run(status, filled, avgPrice, nowMs, brokerOrderId);
  }

  ordersOf(intentId: string): Array<{ broker_order_id: string; limit_price: number; status: string; filled_quantity: number }> {
    return stmt<[string], { broker_order_id: string; limit_price: number; status: string; filled_quantity: number }>(this.db, 'SELECT broker_order_id, limit_price, status, filled_quantity FROM orders WHERE intent_id = ? ORDER BY updated_at')
      .all(intentId);
  }

  /** Sets of legs of this intent already applied to its position (see OrderManager.applyToPosition). */
  appliedQuantity(intentId: string): number {
    const r = stmt<[string], { q: number | null }>(this.db, "SELECT SUM(json_extract(detail_json, '$.quantity')) AS q FROM order_events WHERE intent_id = ? AND event = 'position_applied'").get(intentId);
    return r?.q ?? 0;
  }

  event(intentId: string, brokerOrderId: string | null, event: string, detail: unknown, nowMs: number): void {
    stmt(this.db, 'INSERT INTO order_events (intent_id, broker_order_id, at, event, detail_json) VALUES (?, ?, ?, ?, ?)').run(intentId, brokerOrderId, nowMs, event, JSON.stringify(detail));
  }
}
