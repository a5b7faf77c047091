import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import { JournalError, RESTORE_HINT } from './journal-errors';
import { MIGRATIONS } from './migrations';

/** `PRAGMA application_id` of a thetadesk journal ("thdt"), stamped when the engine creates one. */
export const JOURNAL_APPLICATION_ID = 0x74686474;

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** Tables every journal has had since its first schema version (older journals carry no application id). */
const CORE_TABLES = ['runs', 'order_intents', 'engine_state'];

/**
 * What the file looks like before SQLite touches it: a zero-byte file where a journal was expected,
 * a file that is not SQLite, or one shorter than its own header says (truncated). Reads only.
 */
export function inspectJournalFile(file: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new JournalError(file, 'E_JOURNAL_MISSING', `cannot be read (${(e as Error).message})`);
  }
  if (!st.isFile()) throw new JournalError(file, 'E_JOURNAL_NOT_FILE', 'is not a regular file: point --journal (or THETADESK_JOURNAL) at the journal file');
  if (st.size === 0) throw new JournalError(file, 'E_JOURNAL_EMPTY', `is empty (0 bytes) where a journal was expected: the engine creates a journal only where no file exists, so the history it held is gone from this file; ${RESTORE_HINT}`);
  const head = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r');
  let n: number;
  try {
    n = fs.readSync(fd, head, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (n < 100 || !head.subarray(0, 16).equals(MAGIC)) throw new JournalError(file, 'E_JOURNAL_NOT_SQLITE', `is not a SQLite database (its header is not "SQLite format 3"), so not a thetadesk journal; ${RESTORE_HINT}`);
  const raw = head.readUInt16BE(16);
  const pageSize = raw === 1 ? 65_536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw new JournalError(file, 'E_JOURNAL_CORRUPT', `has a damaged header (page size ${raw}); ${RESTORE_HINT}`);
  // The header's page count is valid only when its change counter matches "version-valid-for".
  const pages = head.readUInt32BE(28);
  const headerValid = head.readUInt32BE(24) === head.readUInt32BE(92) && pages > 0;
  if (st.size % pageSize !== 0 || (headerValid && st.size < pages * pageSize)) {
    throw new JournalError(file, 'E_JOURNAL_TRUNCATED', `is truncated or damaged (${st.size} bytes; its header says ${headerValid ? `${pages} pages of ` : 'pages of '}${pageSize} bytes); ${RESTORE_HINT}`);
  }
}

export interface CheckResult {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly pages: number;
  readonly schema_version: number;
}

/** `PRAGMA quick_check` (on every open) or the full `integrity_check` (`thetadesk journal check`). */
export function runCheck(db: Database.Database, full: boolean): CheckResult {
  const rows = db.pragma(full ? 'integrity_check' : 'quick_check') as Array<Record<string, string>>;
  const problems = rows.map((r) => Object.values(r)[0] ?? '').filter((x) => x !== 'ok');
  return { ok: problems.length === 0, problems, pages: db.pragma('page_count', { simple: true }) as number, schema_version: db.pragma('user_version', { simple: true }) as number };
}

/** A SQLite file that is ours: our application id, or (journals made before it was stamped) our core tables. */
export function identifyJournal(db: Database.Database, file: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId === JOURNAL_APPLICATION_ID) return;
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (appId === 0 && version >= 1 && CORE_TABLES.every((t) => tables.includes(t))) return;
  const what = tables.length === 0 ? 'no tables' : `tables ${tables.slice(0, 6).join(', ')}${tables.length > 6 ? ', …' : ''}`;
  throw new JournalError(file, 'E_JOURNAL_FOREIGN', `is a SQLite database but not a thetadesk journal (application id ${appId}, ${what}): point --journal (or THETADESK_JOURNAL) at the journal, or move this file away; the engine creates a journal only where no file exists`);
}

/**
 * Every check before a journal is used, on a read-only connection so a damaged file is never
 * written to: the file (size, header, length), SQLite's check, and that it is a thetadesk journal.
 */
export function verifyJournal(file: string, full = false): CheckResult {
  inspectJournalFile(file);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new JournalError(file, 'E_JOURNAL_UNREADABLE', `cannot be opened (${(e as Error).message}); ${RESTORE_HINT}`, { cause: e });
  }
  try {
    let result: CheckResult;
    try {
      result = runCheck(db, full);
    } catch (e) {
      throw new JournalError(file, 'E_JOURNAL_CORRUPT', `failed its integrity check (${(e as Error).message}); ${RESTORE_HINT}`, { cause: e });
    }
    if (!result.ok) {
      const first = result.problems.slice(0, 3).join('; ');
      throw new JournalError(file, 'E_JOURNAL_CORRUPT', `failed its integrity check (${full ? 'integrity_check' : 'quick_check'}: ${first}${result.problems.length > 3 ? `; and ${result.problems.length - 3} more` : ''}); ${RESTORE_HINT}${full ? '' : '; `thetadesk journal check` lists every problem'}`);
    }
    identifyJournal(db, file);
    return result;
  } finally {
    db.close();
  }
}

export interface JournalCheck {
  readonly ok: boolean;
  /** What was found, one line. */
  readonly detail: string;
  /** What to do when not ok. */
  readonly fix: string | null;
}

const LATEST = MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);

/**
 * `thetadesk doctor`'s journal line: every check `verifyJournal` makes, plus a schema version this
 * thetadesk knows, as one ok/FAIL line with the fix. A missing file is fine (the first run creates it).
 */
export function quickCheckJournal(file: string): JournalCheck {
  if (!fs.existsSync(file)) return { ok: true, detail: `no journal at ${file} yet (the first run creates it)`, fix: null };
  try {
    const r = verifyJournal(file);
    if (r.schema_version > LATEST) return { ok: false, detail: `${file} has schema version ${r.schema_version}, newer than this thetadesk knows (${LATEST})`, fix: 'upgrade thetadesk; never run an older one on a newer journal' };
    return { ok: true, detail: `${file}: quick_check ok, schema version ${r.schema_version}${r.schema_version < LATEST ? ` (migrates to ${LATEST} at the next start)` : ''}`, fix: null };
  } catch (e) {
    return { ok: false, detail: e instanceof Error ? e.message : String(e), fix: `restore the journal from a backup (thetadesk journal backup makes one), or point --journal / THETADESK_JOURNAL at the engine's journal` };
  }
}
