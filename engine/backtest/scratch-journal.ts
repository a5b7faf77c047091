import type { Db } from '../store/journal';

/**
 * A backtest's journal is its output, not a record of money: no fsync per commit (a crash loses
 * the run, which is run again; the fsyncs were most of a simulated day's wall time), and
 * `db.prepare` hands back one statement per SQL text for the code that prepares outside the
 * repositories' cache (store/statement-cache.ts). Safe: nothing in the engine switches a
 * statement's mode (pluck, raw, expand) or iterates one while another caller runs it.
 */
export function makeScratch(db: Db): Db {
  db.pragma('synchronous = OFF');
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, ReturnType<Db['prepare']>>();
  db.prepare = ((sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = prepare(sql)));
    return s;
  }) as Db['prepare'];
  return db;
}
