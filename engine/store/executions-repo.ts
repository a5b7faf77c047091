import type { Execution } from '../model/broker-records';
import type { Db } from './journal';
import { stmt } from './statement-cache';

/** Executions keyed by the broker's exec id: a replayed execution is recognised and ignored. */
export class ExecutionsRepo {
  constructor(private readonly db: Db) {}

  /** True when the execution is new; false for a replay (nothing changes). */
  record(e: Execution, intentId: string): boolean {
    const r = stmt(this.db, 'INSERT INTO executions (exec_id, intent_id, broker_order_id, symbol, quantity, price, commission, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (exec_id) DO NOTHING')
      .run(e.exec_id, intentId, e.broker_order_id, e.symbol, e.quantity, e.price, e.commission, e.time);
    return r.changes === 1;
  }

  setCommission(execId: string, commission: number): void {
    stmt(this.db, 'UPDATE executions SET commission = ? WHERE exec_id = ?').run(commission, execId);
  }

  forIntent(intentId: string): Array<{ exec_id: string; quantity: number; price: number; commission: number; time: number }> {
    return stmt<[string], { exec_id: string; quantity: number; price: number; commission: number; time: number }>(this.db, 'SELECT exec_id, quantity, price, commission, time FROM executions WHERE intent_id = ? ORDER BY time, exec_id')
      .all(intentId);
  }
}
