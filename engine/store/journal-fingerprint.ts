import type { Db } from './journal';
import { stmt } from './statement-cache';

/**
 * A cheap fingerprint of the journal that changes whenever anyone writes to it: SQLite's
 * data_version (bumped by other connections' commits) and the newest ids of the growing tables
 * (this connection's own writes). Polled by the dashboard's live updates.
 */
export function journalFingerprint(db: Db): string {
  const dv = db.pragma('data_version', { simple: true }) as number;
  const r = stmt<[], { d: number; e: number; a: number; r: number; s: number }>(
    db,
    "SELECT (SELECT COALESCE(MAX(id), 0) FROM decisions) AS d, (SELECT COALESCE(MAX(id), 0) FROM order_events) AS e, (SELECT COALESCE(MAX(id), 0) FROM operator_actions) AS a, (SELECT COALESCE(MAX(rowid), 0) FROM runs) AS r, (SELECT COALESCE(MAX(updated_at), 0) FROM engine_state) AS s",
  ).get() ?? { d: 0, e: 0, a: 0, r: 0, s: 0 };
  return `${dv}:${r.d}:${r.e}:${r.a}:${r.r}:${r.s}`;
}
