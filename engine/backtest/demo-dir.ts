import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../shared/errors';
import { sqliteFiles } from '../store/journal';

/** Where `thetadesk demo` keeps what it played, apart from the real journal (./data/thetadesk.db). */
export const DEFAULT_DEMO_DIR = path.join('data', 'demo');

/** The file that says a folder belongs to the demo, so a run may replace what is in it. */
const MARKER = '.thetadesk-demo';
/** What a demo run leaves (SQLite's -wal and -shm files included); the next run replaces exactly these. */
const DEMO_FILES = ['journal.db', 'paper.db'].flatMap(sqliteFiles);

export interface DemoDir {
  readonly dir: string;
  readonly journal: string;
  readonly paperState: string;
}

export function demoPaths(dir: string): DemoDir {
  return { dir, journal: path.join(dir, 'journal.db'), paperState: path.join(dir, 'paper.db') };
}

/**
 * Makes DIR ready for a fresh demo: created with its marker, or emptied of the previous demo's
 * files. A folder that holds anything and has no marker is refused: it may be a real journal's
 * (`--dir data` would otherwise delete the paper account in data/paper.db).
 */
export function prepareDemoDir(dir: string): DemoDir {
  const out = demoPaths(dir);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new ConfigError('E_DEMO_DIR', `demo folder ${dir}: ${code === 'ENOTDIR' ? 'not a directory' : (code ?? String(e))}; pick another --dir`);
    entries = [];
  }
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new ConfigError('E_DEMO_DIR', `demo folder ${dir} holds files the demo did not make (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); pick an empty or new --dir`);
  }
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const f of DEMO_FILES) fs.rmSync(path.join(dir, f), { force: true });
    fs.writeFileSync(path.join(dir, MARKER), 'Made by `thetadesk demo`: its journal and paper account, replaced by the next demo run.\n');
  } catch (e) {
    throw new ConfigError('E_DEMO_DIR', `demo folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}; pick a writable --dir`);
  }
  return out;
}
