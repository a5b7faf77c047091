import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrokerOrder, BrokerOrderStatus, BrokerPosition, Execution } from '../../../model/broker-records';
import type { ComboLeg } from '../../../model/leg';

/**
 * The paper broker's own books, in their own SQLite file apart from the journal: they outlive the
 * engine's process the way a real broker's do, which is what the crash tests and a user restarting
 * on a paper account rely on.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS account (id INTEGER PRIMARY KEY CHECK (id = 1), cash REAL NOT NULL, realized_pnl REAL NOT NULL, next_order_id INTEGER NOT NULL, next_exec_id INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, order_ref TEXT NOT NULL, symbol TEXT NOT NULL, legs_json TEXT NOT NULL, quantity INTEGER NOT NULL,
    limit_price REAL NOT NULL, status TEXT NOT NULL, filled_quantity INTEGER NOT NULL, avg_fill_price REAL, placed_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS executions (exec_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, order_ref TEXT NOT NULL, symbol TEXT NOT NULL, quantity INTEGER NOT NULL,
    price REAL NOT NULL, leg_prices_json TEXT NOT NULL, time INTEGER NOT NULL, commission REAL NOT NULL);
  CREATE TABLE IF NOT EXISTS positions (key TEXT PRIMARY KEY, symbol TEXT NOT NULL, expiry TEXT NOT NULL, right TEXT NOT NULL, strike REAL NOT NULL,
    con_id INTEGER, quantity INTEGER NOT NULL, avg_cost REAL NOT NULL);
`;

export interface AccountRow {
  cash: number;
  realized_pnl: number;
  next_order_id: number;
  next_exec_id: number;
}

interface OrderRow {
  id: string;
  order_ref: string;
  symbol: string;
  legs_json: string;
  quantity: number;
  limit_price: number;
  status: string;
  filled_quantity: number;
  avg_fill_price: number | null;
  placed_at: number;
  updated_at: number;
}

export const positionKey = (p: { symbol: string; expiry: string; right: string; strike: number }): string => `${p.symbol}|${p.expiry}|${p.right}|${p.strike}`;

export interface PaperOrder extends BrokerOrder {
  readonly placed_at: number;
}

const toOrder = (r: OrderRow): PaperOrder => ({
  broker_order_id: r.id,
  order_ref: r.order_ref,
  symbol: r.symbol,
  legs: JSON.parse(r.legs_json) as ComboLeg[],
  quantity: r.quantity,
  limit_price: r.limit_price,
  status: r.status as BrokerOrderStatus,
  filled_quantity: r.filled_quantity,
  avg_fill_price: r.avg_fill_price,
  updated_at: r.updated_at,
  placed_at: r.placed_at,
});

export class PaperState {
  readonly db: Database.Database;

  constructor(file: string, startingCash: number) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    // One statement per SQL text: every method prepares its SQL on each call, and the demo and
    // backtests ask for positions and orders at every task run. Nothing here changes a statement's
    // mode (pluck, raw) or iterates one.
    const prepare = this.db.prepare.bind(this.db);
    const statements = new Map<string, ReturnType<Database.Database['prepare']>>();
    this.db.prepare = ((sql: string) => {
      let st = statements.get(sql);
      if (!st) statements.set(sql, (st = prepare(sql)));
      return st;
    }) as Database.Database['prepare'];
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    this.db.prepare('INSERT OR IGNORE INTO account (id, cash, realized_pnl, next_order_id, next_exec_id) VALUES (1, ?, 0, 1, 1)').run(startingCash);
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  account(): AccountRow {
    return this.db.prepare<[], AccountRow>('SELECT cash, realized_pnl, next_order_id, next_exec_id FROM account WHERE id = 1').get() as AccountRow;
  }

  setAccount(a: AccountRow): void {
    this.db.prepare('UPDATE account SET cash = ?, realized_pnl = ?, next_order_id = ?, next_exec_id = ? WHERE id = 1').run(a.cash, a.realized_pnl, a.next_order_id, a.next_exec_id);
  }

  insertOrder(o: PaperOrder): void {
    this.db
      .prepare('INSERT INTO orders (id, order_ref, symbol, legs_json, quantity, limit_price, status, filled_quantity, avg_fill_price, placed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(o.broker_order_id, o.order_ref, o.symbol, JSON.stringify(o.legs), o.quantity, o.limit_price, o.status, o.filled_quantity, o.avg_fill_price, o.placed_at, o.updated_at);
  }

  updateOrder(o: PaperOrder): void {
    this.db.prepare('UPDATE orders SET limit_price = ?, status = ?, filled_quantity = ?, avg_fill_price = ?, updated_at = ? WHERE id = ?').run(o.limit_price, o.status, o.filled_quantity, o.avg_fill_price, o.updated_at, o.broker_order_id);
  }

  order(id: string): PaperOrder | null {
    const r = this.db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE id = ?').get(id);
    return r ? toOrder(r) : null;
  }

  workingOrders(): PaperOrder[] {
    return this.db.prepare<[], OrderRow>("SELECT * FROM orders WHERE status IN ('submitted', 'partially_filled') ORDER BY placed_at, CAST(id AS INTEGER)").all().map(toOrder);
  }

  allOrders(): PaperOrder[] {
    return this.db.prepare<[], OrderRow>('SELECT * FROM orders ORDER BY placed_at, CAST(id AS INTEGER)').all().map(toOrder);
  }

  insertExecution(e: Execution): void {
    this.db
      .prepare('INSERT INTO executions (exec_id, order_id, order_ref, symbol, quantity, price, leg_prices_json, time, commission) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.exec_id, e.broker_order_id, e.order_ref, e.symbol, e.quantity, e.price, JSON.stringify(e.leg_prices), e.time, e.commission);
  }

  executionsSince(ms: number): Execution[] {
    return this.db
      .prepare<[number], { exec_id: string; order_id: string; order_ref: string; symbol: string; quantity: number; price: number; leg_prices_json: string; time: number; commission: number }>(
        'SELECT * FROM executions WHERE time >= ? ORDER BY time, exec_id',
      )
      .all(ms)
      .map((r) => ({ exec_id: r.exec_id, broker_order_id: r.order_id, order_ref: r.order_ref, symbol: r.symbol, quantity: r.quantity, price: r.price, leg_prices: JSON.parse(r.leg_prices_json) as number[], time: r.time, commission: r.commission }));
  }

  positions(): BrokerPosition[] {
    return this.db
      .prepare<[], { symbol: string; expiry: string; right: string; strike: number; con_id: number | null; quantity: number; avg_cost: number }>('SELECT symbol, expiry, right, strike, con_id, quantity, avg_cost FROM positions WHERE quantity != 0 ORDER BY key')
      .all()
      .map((r) => ({ ...r, right: r.right as 'P' | 'C' }));
  }

  setPosition(p: BrokerPosition): void {
    if (p.quantity === 0) {
      this.db.prepare('DELETE FROM positions WHERE key = ?').run(positionKey(p));
      return;
    }
    this.db
      .prepare('INSERT INTO positions (key, symbol, expiry, right, strike, con_id, quantity, avg_cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET quantity = excluded.quantity, avg_cost = excluded.avg_cost')
      .run(positionKey(p), p.symbol, p.expiry, p.right, p.strike, p.con_id, p.quantity, p.avg_cost);
  }

  close(): void {
    this.db.close();
  }
}
