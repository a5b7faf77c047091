import type { Db } from './journal';
import { stmt } from './statement-cache';

export interface OperatorAction {
  readonly id?: number;
  readonly at: number;
  /** halt, resume, enqueue */
  readonly action: string;
  /** `cli`, or `dashboard <remote address>` */
  readonly origin: string;
  readonly detail: unknown;
}

/** What operators did and from where: every halt, resume and ad-hoc job has an author. */
export class OperatorActionsRepo {
  constructor(private readonly db: Db) {}

  record(a: OperatorAction): void {
    stmt(this.db, 'INSERT INTO operator_actions (at, action, origin, detail_json) VALUES (?, ?, ?, ?)').run(a.at, a.action, a.origin, JSON.stringify(a.detail));
  }

  latest(limit: number): OperatorAction[] {
    return stmt<[number], { id: number; at: number; action: string; origin: string; detail_json: string }>(this.db, 'SELECT * FROM operator_actions ORDER BY id DESC LIMIT ?')
      .all(limit)
      .map((r) => ({ id: r.id, at: r.at, action: r.action, origin: r.origin, detail: JSON.parse(r.detail_json) as unknown }));
  }
}
