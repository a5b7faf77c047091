import type { Db } from './journal';
import { stmt } from './statement-cache';

export interface RollLink {
  readonly from_position_id: string;
  readonly to_position_id: string;
  /** `combo`: one order closed the old and opened the new; `linked`: a close, then an open sent after it filled. */
  readonly mode: 'combo' | 'linked';
  readonly close_intent_id: string;
  /** The same as close_intent_id for a combo. */
  readonly open_intent_id: string;
  readonly at: number;
}

/**
 * Old position → new position of a roll, written when the new position is opened (so a link
 * always names a position that exists). A close that filled in part and was rolled again later
 * links the same old position to a second new one.
 */
export class RollsRepo {
  constructor(private readonly db: Db) {}

  link(r: RollLink): void {
    stmt(this.db, 'INSERT INTO position_rolls (from_position_id, to_position_id, mode, close_intent_id, open_intent_id, at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(r.from_position_id, r.to_position_id, r.mode, r.close_intent_id, r.open_intent_id, r.at);
  }

  /** The positions this one was rolled into, oldest first. */
  rolledTo(positionId: string): RollLink[] {
    return stmt<[string], RollLink>(this.db, 'SELECT * FROM position_rolls WHERE from_position_id = ? ORDER BY at, to_position_id').all(positionId);
  }

  /** The position this one was rolled from, or null. */
  rolledFrom(positionId: string): RollLink | null {
    return stmt<[string], RollLink>(this.db, 'SELECT * FROM position_rolls WHERE to_position_id = ?').get(positionId) ?? null;
  }

  all(): RollLink[] {
    return stmt<[], RollLink>(this.db, 'SELECT * FROM position_rolls ORDER BY at, from_position_id').all();
  }

  /** Positions rolled (into one new position or more) in [fromMs, toMs). */
  countBetween(fromMs: number, toMs: number): number {
    return stmt<[number, number], { n: number }>(this.db, 'SELECT COUNT(DISTINCT from_position_id) AS n FROM position_rolls WHERE at >= ? AND at < ?').get(fromMs, toMs)?.n ?? 0;
  }
}
