import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import { MIGRATIONS } from './migrations';

export interface JournalCheck {
  readonly ok: boolean;
  /** What was found, one line. */
  readonly detail: string;
  /** What to do when not ok. */
  readonly fix: string | null;
}

const LATEST = MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);

/**
 * A read-only look at a journal file: SQLite's quick_check, and a schema version this thetadesk
 * knows. Opens nothing for writing and creates nothing: a missing file is fine (the first run
 * creates it). (#14 adds `thetadesk journal check`; this is the small check `doctor` needs.)
 */
export function quickCheckJournal(file: string): JournalCheck {
  if (!fs.existsSync(file)) return { ok: true, detail: `no journal at ${file} yet (the first run creates it)`, fix: null };
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
    const found = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (found.length > 0) return { ok: false, detail: `${file} fails SQLite's quick_check: ${found.slice(0, 3).join('; ')}${found.length > 3 ? ` (+${found.length - 3} more)` : ''}`, fix: 'stop the engine, keep a copy of the file, and restore the journal from a backup (sqlite3 FILE ".recover" salvages what it can)' };
    if (version > LATEST) return { ok: false, detail: `${file} has schema version ${version}, newer than this thetadesk knows (${LATEST})`, fix: 'upgrade thetadesk; never run an older one on a newer journal' };
    return { ok: true, detail: `${file}: quick_check ok, schema version ${version}${version < LATEST ? ` (migrates to ${LATEST} at the next start)` : ''}`, fix: null };
  } catch (e) {
    return { ok: false, detail: `${file} cannot be read as a journal: ${e instanceof Error ? e.message : String(e)}`, fix: 'point --journal / THETADESK_JOURNAL at the engine\'s SQLite journal, or restore it from a backup' };
  } finally {
    db?.close();
  }
}
