import type { Db } from './journal';
import { stmt } from './statement-cache';

export interface AlertRecord {
  readonly at: number;
  readonly kind: string;
  readonly severity: string;
  readonly message: string;
}

/** Alerts as raised (already scrubbed of secrets), whichever channels they reached. */
export class AlertsRepo {
  constructor(private readonly db: Db) {}

  record(a: AlertRecord): void {
    stmt(this.db, 'INSERT INTO alerts (at, kind, severity, message) VALUES (?, ?, ?, ?)').run(a.at, a.kind, a.severity, a.message);
  }

  latest(limit: number): AlertRecord[] {
    return stmt<[number], AlertRecord>(this.db, 'SELECT at, kind, severity, message FROM alerts ORDER BY id DESC LIMIT ?').all(limit);
  }
}
