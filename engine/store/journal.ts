import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvariantViolation } from '../shared/errors';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export const DEFAULT_JOURNAL_PATH = path.join('data', 'thetadesk.db');

/** The journal file: THETADESK_JOURNAL, else ./data/thetadesk.db. */
export function journalPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env.THETADESK_JOURNAL ?? DEFAULT_JOURNAL_PATH;
}

/** Applies the migrations newer than the file's user_version, each atomically. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  if (current > latest) {
    throw new InvariantViolation('E_JOURNAL_NEWER', `journal schema version ${current} is newer than this thetadesk knows (${latest}): upgrade thetadesk, never downgrade a journal`);
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Opens (creating if needed) the journal: WAL so readers (thetadesk status, positions) never block
 * the worker, synchronous=FULL because an intent must be on disk before its order is sent.
 */
export function openJournal(file: string = journalPath()): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
