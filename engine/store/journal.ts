import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JOURNAL_APPLICATION_ID, verifyJournal } from './journal-check';
import { JournalError, RESTORE_HINT } from './journal-errors';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export const DEFAULT_JOURNAL_PATH = path.join('data', 'thetadesk.db');

/** The journal file: THETADESK_JOURNAL, else ./data/thetadesk.db. */
export function journalPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env.THETADESK_JOURNAL ?? DEFAULT_JOURNAL_PATH;
}

/** The file a journal connection writes to (':memory:' for in-memory ones). */
export const journalFileOf = (db: Db): string => db.name;

/** An SQLite file with the -wal and -shm files WAL mode keeps beside it: what removing or replacing it means. */
export const sqliteFiles = (file: string): string[] => [file, `${file}-wal`, `${file}-shm`];

/** Applies the migrations newer than the file's user_version, each atomically. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  if (current > latest) {
    throw new JournalError(db.name, 'E_JOURNAL_NEWER', `its schema version ${current} is newer than this thetadesk knows (${latest}): upgrade thetadesk, never downgrade a journal`);
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

function configure(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/**
 * Opens the journal, failing closed. A path where no file exists gets a new journal (the only way
 * one is ever created); an existing file must first pass every check of `verifyJournal` (a
 * zero-byte, foreign, truncated or damaged file is refused with exit 1, naming the path, and is
 * never written to). WAL so readers (thetadesk status, positions) never block the worker;
 * synchronous=FULL because an intent must be on disk before its order is sent.
 */
export function openJournal(file: string = journalPath()): Db {
  if (file === ':memory:') {
    const mem = new Database(file);
    configure(mem);
    mem.pragma(`application_id = ${JOURNAL_APPLICATION_ID}`);
    migrate(mem);
    return mem;
  }
  const exists = fs.existsSync(file);
  if (exists) verifyJournal(file);
  else {
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // EEXIST/ENOTDIR: a part of the path is a file; the raw mkdir message names only that part.
      const why = code === 'EEXIST' || code === 'ENOTDIR' ? `a part of its folder path is a file (${code}); point --journal elsewhere` : (e as Error).message;
      throw new JournalError(file, 'E_JOURNAL_DIR', `its folder cannot be created: ${why}`);
    }
  }
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: exists });
  } catch (e) {
    throw new JournalError(file, 'E_JOURNAL_UNREADABLE', `cannot be opened (${(e as Error).message}); ${RESTORE_HINT}`, { cause: e });
  }
  try {
    configure(db);
    if (!exists) db.pragma(`application_id = ${JOURNAL_APPLICATION_ID}`);
    migrate(db);
    // Journals made before the application id existed are ours (verified by their tables): stamp them.
    if ((db.pragma('application_id', { simple: true }) as number) === 0) db.pragma(`application_id = ${JOURNAL_APPLICATION_ID}`);
  } catch (e) {
    db.close();
    if (e instanceof JournalError) throw e;
    throw new JournalError(file, 'E_JOURNAL_OPEN', `could not be prepared for use (${(e as Error).message})`, { cause: e });
  }
  return db;
}
