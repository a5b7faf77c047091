import type { Db } from '../store/journal';

/**
 * The journal's decisions, intents, orders, fills, positions and task runs as rows without what
 * only wall-clock time or the transport decides (row ids, Redis job ids of fill tasks), sorted:
 * two runs of the same days that decided the same things give equal digests. The parity test and
 * the bench compare the BullMQ path and the in-process runner with it.
 */
export interface JournalDigest {
  readonly decisions: readonly string[];
  readonly intents: readonly string[];
  readonly orders: readonly string[];
  readonly fills: readonly string[];
  readonly positions: readonly string[];
  readonly runs: readonly string[];
}

const rows = (db: Db, sql: string): string[] => (db.prepare(sql).all() as Array<Record<string, unknown>>).map((r) => JSON.stringify(r)).sort();

export function journalDigest(db: Db): JournalDigest {
  return {
    decisions: rows(db, 'SELECT at, config_hash, kind, subject, action, rule, reason, trace_json FROM decisions'),
    intents: rows(db, 'SELECT * FROM order_intents'),
    orders: rows(db, 'SELECT * FROM orders'),
    fills: rows(db, 'SELECT * FROM executions'),
    positions: rows(db, 'SELECT * FROM strategy_positions'),
    // health_check says which queue it probed (Redis or none): its line is the transport's, not a decision.
    runs: rows(db, "SELECT job_id, task, config_hash, scheduled_for, started_at, ended_at, status, CASE WHEN task = 'health_check' THEN NULL ELSE detail END AS detail FROM runs"),
  };
}

/** The first difference between two digests, or null when they are equal. */
export function digestDifference(a: JournalDigest, b: JournalDigest): string | null {
  for (const k of Object.keys(a) as Array<keyof JournalDigest>) {
    const x = a[k];
    const y = b[k];
    if (x.length !== y.length) return `${k}: ${x.length} rows vs ${y.length}`;
    const i = x.findIndex((r, j) => r !== y[j]);
    if (i >= 0) return `${k}: ${x[i]} vs ${y[i]}`;
  }
  return null;
}
