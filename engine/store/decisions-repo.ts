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

interface Row {
  at: number;
  config_hash: string;
  kind: string;
  subject: string;
  action: string;
  rule: string | null;
  reason: string;
  trace_json: string;
}

const fromRow = (r: Row): DecisionRecord => ({ at: r.at, config_hash: r.config_hash, kind: r.kind as DecisionRecord['kind'], subject: r.subject, action: r.action, rule: r.rule, reason: r.reason, trace: JSON.parse(r.trace_json) as unknown });

/** Every rules evaluation, with its trace: how a decision was reached can always be replayed. */
export class DecisionsRepo {
  constructor(private readonly db: Db) {}

  record(d: DecisionRecord): void {
    stmt(this.db, 'INSERT INTO decisions (at, config_hash, kind, subject, action, rule, reason, trace_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(d.at, d.config_hash, d.kind, d.subject, d.action, d.rule, d.reason, JSON.stringify(d.trace));
  }

  since(ms: number): DecisionRecord[] {
    return this.between(ms, Number.MAX_SAFE_INTEGER);
  }

  /** Decisions at or after `fromMs` and before `toMs`, oldest first. */
  between(fromMs: number, toMs: number): DecisionRecord[] {
    return stmt<[number, number], Row>(this.db, 'SELECT * FROM decisions WHERE at >= ? AND at < ? ORDER BY at, id').all(fromMs, toMs).map(fromRow);
  }

  /** The latest decisions about one subject (a position id), newest first. */
  latestFor(subject: string, limit: number): DecisionRecord[] {
    return stmt<[string, number], Row>(this.db, 'SELECT * FROM decisions WHERE subject = ? ORDER BY at DESC, id DESC LIMIT ?').all(subject, limit).map(fromRow);
  }

  /** Every decision about one subject, oldest first, without traces' parsing cost beyond what is asked. */
  forSubject(subject: string): DecisionRecord[] {
    return stmt<[string], Row>(this.db, 'SELECT * FROM decisions WHERE subject = ? ORDER BY at, id').all(subject).map(fromRow);
  }
}
