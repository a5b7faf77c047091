import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JOURNAL_APPLICATION_ID, verifyJournal } from '../../../engine/store/journal-check';
import { openJournal } from '../../../engine/store/journal';
import { EngineStateRepo } from '../../../engine/store/engine-state-repo';
import { isJournalFailure } from '../../../engine/store/journal-errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-jcheck-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => path.join(dir, `j${++n}.db`);

function journalWithData(): string {
  const f = fresh();
  const db = openJournal(f);
  const state = new EngineStateRepo(db);
  for (let i = 0; i < 200; i++) state.set(`k${i}`, { i, pad: 'x'.repeat(200) }, i);
  db.close();
  return f;
}

describe('opening a journal (fails closed)', () => {
  it('should create one only where no file exists, stamped with the thetadesk application id', () => {
    const f = fresh();
    const db = openJournal(f);
    expect(db.pragma('application_id', { simple: true })).toBe(JOURNAL_APPLICATION_ID);
    db.close();
    expect(verifyJournal(f, true)).toMatchObject({ ok: true });
  });

  it.each([
    ['an empty file', (f: string) => fs.writeFileSync(f, ''), 'E_JOURNAL_EMPTY', 'is empty (0 bytes) where a journal was expected'],
    ['a text file', (f: string) => fs.writeFileSync(f, 'hello, this is not a database\n'.repeat(10)), 'E_JOURNAL_NOT_SQLITE', 'is not a SQLite database'],
    ['a directory', (f: string) => fs.mkdirSync(f), 'E_JOURNAL_NOT_FILE', 'is not a regular file'],
    ['an empty SQLite database', (f: string) => new Database(f).exec('CREATE TABLE t (x)'), 'E_JOURNAL_FOREIGN', 'is a SQLite database but not a thetadesk journal (application id 0, tables t)'],
  ])('should refuse %s, naming the path and what to do, and not touch it', (_label, make, code, what) => {
    const f = fresh();
    make(f);
    const before = fs.statSync(f).isFile() ? fs.readFileSync(f) : null;
    let err: unknown;
    try {
      openJournal(f);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ kind: 'config', code });
    expect((err as Error).message.startsWith(`journal ${f}: ${what}`)).toBe(true);
    if (before) expect(fs.readFileSync(f).equals(before)).toBe(true);
    expect(fs.existsSync(`${f}-wal`)).toBe(false);
  });

  it('should refuse a truncated journal', () => {
    const f = journalWithData();
    fs.truncateSync(f, Math.floor(fs.statSync(f).size / 4096 / 2) * 4096);
    expect(() => openJournal(f)).toThrow(new RegExp(`^journal ${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: is truncated or damaged \\(\\d+ bytes; its header says \\d+ pages of 4096 bytes\\)`));
  });

  it('should refuse a journal with garbage in a b-tree page, and journal check (integrity_check) should too', () => {
    const f = journalWithData();
    const db = new Database(f, { readonly: true });
    const root = (db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'engine_state'").get() as { rootpage: number }).rootpage;
    db.close();
    const fd = fs.openSync(f, 'r+');
    fs.writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, (root - 1) * 4096);
    fs.closeSync(fd);
    expect(() => openJournal(f)).toThrow(/: failed its integrity check \(/);
    expect(() => verifyJournal(f, true)).toThrow(/: failed its integrity check \(/);
  });

  it('should accept a journal from before application ids (its tables say it is ours) and stamp it', () => {
    const f = fresh();
    openJournal(f).close();
    const raw = new Database(f);
    raw.pragma('application_id = 0');
    raw.close();
    const db = openJournal(f);
    expect(db.pragma('application_id', { simple: true })).toBe(JOURNAL_APPLICATION_ID);
    db.close();
  });
});

describe('which SQLite errors are journal failures', () => {
  it.each([
    ['SQLITE_FULL', true],
    ['SQLITE_IOERR_WRITE', true],
    ['SQLITE_CORRUPT', true],
    ['SQLITE_READONLY', true],
    ['SQLITE_CONSTRAINT_PRIMARYKEY', false],
    ['SQLITE_BUSY', false],
  ])('%s → %s', (code, failure) => expect(isJournalFailure(Object.assign(new Error('x'), { code }))).toBe(failure));
});
