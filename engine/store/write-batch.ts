import type { Db } from './journal';

/**
 * Journal writes that may share one commit. The journal syncs every commit to disk (an intent must
 * be on disk before its order is sent), so a monitor cycle writing one decision and one peak per
 * position paid a disk sync each: 2 ms a position. Its decisions and peaks go here and are
 * committed together, before any intent is submitted and at the end of the cycle.
 */
export class WriteBatch {
  private readonly ops: Array<() => void> = [];

  constructor(private readonly db: Db) {}

  add(op: () => void): void {
    this.ops.push(op);
  }

  get size(): number {
    return this.ops.length;
  }

  /** Commits what was added, in order, in one transaction (all or nothing). */
  flush(): void {
    if (this.ops.length === 0) return;
    const ops = this.ops.splice(0);
    this.db.transaction(() => {
      for (const op of ops) op();
    })();
  }
}
