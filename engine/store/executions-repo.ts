import type { Execution } from '../model/broker-records';
import type { Db } from './journal';
import { stmt } from './statement-cache';

/** Executions keyed by the broker's exec id: a replayed execution is recognised and ignored. */
export class ExecutionsRepo {
  constructor(private readonly db: Db) {}

  /** True when the execution is new; false for a replay (nothing changes). */
  record(e: Execution, intentId: string): boolean {
    const r = stmt(this.db, 'INSERT INTO executions (exec_id, intent_id, broker_order_id, symbol, quantity, price, commission, time, leg_prices_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (exec_id) DO NOTHING')
      .run(e.exec_id, intentId, e.broker_order_id, e.symbol, e.quantity, e.price, e.commission, e.time, e.leg_prices.length > 0 ? JSON.stringify(e.leg_prices) : null);
    return r.changes === 1;
  }

  setCommission(execId: string, commission: number): void {
    stmt(this.db, 'UPDATE executions SET commission = ? WHERE exec_id = ?').run(commission, execId);
  }

  /**
   * Quantity-weighted per-leg fill prices of an intent's executions, when every one of them reported
   * a price for each of its `legs` legs; else null (IB reports a combo's fill as one net price).
   */
  legPricesFor(intentId: string, legs: number): number[] | null {
    const rows = stmt<[string], { quantity: number; leg_prices_json: string | null }>(this.db, 'SELECT quantity, leg_prices_json FROM executions WHERE intent_id = ?').all(intentId);
    const parsed = rows.map((r) => ({ q: r.quantity, p: r.leg_prices_json === null ? [] : (JSON.parse(r.leg_prices_json) as number[]) }));
    const qty = parsed.reduce((s, r) => s + r.q, 0);
    if (qty <= 0 || parsed.some((r) => r.p.length !== legs || !r.p.every(Number.isFinite))) return null;
    return Array.from({ length: legs }, (_, i) => parsed.reduce((s, r) => s + (r.p[i] ?? 0) * r.q, 0) / qty);
  }

  forIntent(intentId: string): Array<{ exec_id: string; quantity: number; price: number; commission: number; time: number }> {
    return stmt<[string], { exec_id: string; quantity: number; price: number; commission: number; time: number }>(this.db, 'SELECT exec_id, quantity, price, commission, time FROM executions WHERE intent_id = ? ORDER BY time, exec_id')
      .all(intentId);
  }
}
