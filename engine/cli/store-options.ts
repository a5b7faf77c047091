import * as fs from 'node:fs';
import * as path from 'node:path';
import { isThetadeskError } from '../shared/errors';
import { printable } from '../shared/quote-value';
import { journalPath, openJournal, type Db } from '../store/journal';
import { CliExit, EXIT } from './exit-codes';

export const DEFAULT_PAPER_STATE = path.join('data', 'paper.db');

/** The paper broker's own state file: --paper-state, THETADESK_PAPER_STATE, else ./data/paper.db. */
export function paperStatePath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env.THETADESK_PAPER_STATE ?? DEFAULT_PAPER_STATE;
}

/** An existing journal file (a read command never creates an empty one by accident). */
export function existingJournal(explicit?: string): string {
  const file = journalPath(explicit);
  if (!fs.existsSync(file)) throw new CliExit(EXIT.INPUT, `no journal at ${file}: pass --journal PATH or set THETADESK_JOURNAL (the engine creates it on its first run)`);
  return file;
}

const REASONS: Readonly<Record<string, string>> = {
  SQLITE_CANTOPEN: 'cannot be opened: check that it is a file (not a folder) in a folder that exists and is writable',
  SQLITE_NOTADB: 'is not an SQLite database: point at a thetadesk journal',
  SQLITE_CORRUPT: 'is corrupt: restore it from a backup',
  SQLITE_READONLY: 'is read-only: thetadesk writes to it; make the file and its folder writable',
  SQLITE_FULL: 'cannot grow: the disk is full',
  SQLITE_BUSY: 'is locked by another process: try again when it is done',
  SQLITE_PERM: 'permission denied',
  SQLITE_IOERR: 'read or write failed (disk error)',
  EEXIST: 'cannot be created: a part of its folder path is a file',
  ENOTDIR: 'cannot be created: a part of its folder path is a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'is on a read-only file system',
};

/**
 * An SQLite (or file system) failure on FILE as one line naming it and what to do (#13: "unable to
 * open database file" and "attempt to write a readonly database" named no path). Errors of the
 * engine's own that already name the file pass through unchanged.
 */
export function sqliteFileError(what: string, file: string, e: unknown): unknown {
  if (isThetadeskError(e) && e.message.includes(file)) return e;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string' || !(code.startsWith('SQLITE_') || code in REASONS)) return e;
  const base = code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1');
  const reason = REASONS[code] ?? REASONS[base] ?? printable(e instanceof Error ? e.message : String(e));
  return new CliExit(EXIT.INPUT, `${what} ${file} ${reason} (${code})`);
}

/** The journal at FILE, opened (and migrated); failures name the file. */
export function openJournalAt(file: string): Db {
  try {
    return openJournal(file);
  } catch (e) {
    throw sqliteFileError('journal', file, e);
  }
}

/**
 * Runs a command's work on the journal at FILE and closes it; SQLite failures while working (a
 * write to a read-only file fails only when it writes) name the file too.
 */
export async function withJournal<T>(file: string, fn: (db: Db) => T | Promise<T>): Promise<T> {
  const db = openJournalAt(file);
  try {
    return await fn(db);
  } catch (e) {
    throw sqliteFileError('journal', file, e);
  } finally {
    db.close();
  }
}
