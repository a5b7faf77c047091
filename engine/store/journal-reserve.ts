import type { Db } from './journal';

/**
 * The journal's reserve: ballast rows kept in the file and deleted when a write fails for lack of
 * space. Their pages go to SQLite's free list inside the file, so the closing orders, fills and
 * decisions that follow still find room while new entries are halted: a full disk then costs
 * entries, not exits. (With a real disk the WAL also reuses its own space after a checkpoint.)
 */
export const RESERVE_BYTES = 2 * 1024 * 1024;
const CHUNK = 64 * 1024;

export function reserveBytes(db: Db): number {
  return (db.prepare('SELECT COALESCE(SUM(length(filler)), 0) AS n FROM journal_reserve').get() as { n: number }).n;
}

/** Tops the reserve up to `bytes` in one transaction (all or nothing). */
export function fillReserve(db: Db, bytes: number = RESERVE_BYTES): number {
  const have = reserveBytes(db);
  const rows = Math.ceil(Math.max(0, bytes - have) / CHUNK);
  if (rows === 0) return have;
  const insert = db.prepare('INSERT INTO journal_reserve (filler) VALUES (zeroblob(?))');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(CHUNK);
  })();
  return reserveBytes(db);
}

/** Moves the WAL into the database and lets it start over at its beginning, reusing the space it already holds on disk. */
export function restartWal(db: Db): void {
  try {
    db.pragma('wal_checkpoint(RESTART)');
  } catch {
    // best effort: a busy reader only delays the restart
  }
}

/**
 * Frees the reserve's space for the writes that must still happen; returns the bytes freed. The
 * WAL is restarted first: on a full disk it is the WAL that cannot grow, and the delete itself
 * needs room in it.
 */
export function releaseReserve(db: Db): number {
  restartWal(db);
  const bytes = reserveBytes(db);
  db.prepare('DELETE FROM journal_reserve').run();
  restartWal(db);
  return bytes;
}

/**
 * True when the journal has room again: the reserve refilled AND as much again written and removed
 * in the same transaction, so the space freed by the release alone does not count as recovery.
 */
export function restoreReserveIfRoom(db: Db, bytes: number = RESERVE_BYTES): boolean {
  const probe = db.prepare('INSERT INTO journal_reserve (filler) VALUES (zeroblob(?))');
  try {
    db.transaction(() => {
      fillReserve(db, bytes);
      const first = (db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM journal_reserve').get() as { m: number }).m;
      for (let i = 0; i < Math.ceil(bytes / CHUNK); i++) probe.run(CHUNK);
      db.prepare('DELETE FROM journal_reserve WHERE id > ?').run(first);
    })();
    return true;
  } catch {
    return false;
  }
}
