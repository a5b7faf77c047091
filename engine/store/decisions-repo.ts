import type { Db } from './journal';
import { stmt } from './statement-cache';

export interface DecisionRecord {
  readonly at: number;
  readonly config_hash: string;
  readonly kind: 'exit' | 'entry' | 'roll';
  /** Position id (exit, roll) or candidate identity (entry). */
  readonly subject: string;
  readonly action: string;
  readonly rule: string | null;
  readonly reason: string;
  /** The full rule trace: every rule, fired or not, with the facts it saw. */
  readonly trace: unknown;
}

/** Every rules evaluation, with its trace: how a decision was reached can always be replayed. */
export class DecisionsRepo {
  constructor(private readonly db: Db) {}

  record(d: DecisionRecord): void {
    stmt(this.db, 'INSERT INTO decisions (at, config_hash, kind, subject, action, rule, reason, trace_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(d.at, d.config_hash, d.kind, d.subject, d.action, d.rule, d.reason, JSON.stringify(d.trace));
  }

  since(ms: number): DecisionRecord[] {
    return stmt<[number], { at: number; config_hash: string; kind: string; subject: string; action: string; rule: string | null; reason: string; trace_json: string }>(this.db, 'SELECT * FROM decisions WHERE at >= ? ORDER BY at, id')
      .all(ms)
      .map((r) => ({ at: r.at, config_hash: r.config_hash, kind: r.kind as DecisionRecord['kind'], subject: r.subject, action: r.action, rule: r.rule, reason: r.reason, trace: JSON.parse(r.trace_json) as unknown }));
  }
}
