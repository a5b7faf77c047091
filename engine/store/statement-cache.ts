import type { Statement } from 'better-sqlite3';
import type { Db } from './journal';

const cache = new WeakMap<Db, Map<string, Statement>>();

/** Prepares a statement once per connection: repos are cheap to construct per job, preparing is not. */
export function stmt<P extends unknown[] | {} = unknown[], R = unknown>(db: Db, sql: string): Statement<P, R> {
  let m = cache.get(db);
  if (!m) {
    m = new Map();
    cache.set(db, m);
  }
  let s = m.get(sql);
  if (!s) {
    s = db.prepare(sql);
    m.set(sql, s);
  }
  return s as unknown as Statement<P, R>;
}
