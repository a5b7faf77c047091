import * as fs from 'node:fs';
import * as path from 'node:path';

export interface BacktestReport {
  /** Path below the backtests folder, with forward slashes: what the page links to. */
  readonly rel: string;
  readonly modified: number;
  readonly bytes: number;
}

const MAX_DEPTH = 4;
const MAX_REPORTS = 500;

/** The report.html files `thetadesk backtest --out` wrote under DIR (a few levels deep), newest first. */
export function listBacktests(dir: string): BacktestReport[] {
  const root = path.resolve(dir);
  const out: BacktestReport[] = [];
  const walk = (d: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= MAX_REPORTS) return;
      const full = path.join(d, e.name);
      if (e.isDirectory() && depth < MAX_DEPTH) walk(full, depth + 1);
      else if (e.isFile() && e.name === 'report.html') {
        const st = fs.statSync(full);
        out.push({ rel: path.relative(root, full).split(path.sep).join('/'), modified: st.mtimeMs, bytes: st.size });
      }
    }
  };
  walk(root, 0);
  return out.sort((a, b) => b.modified - a.modified);
}

/**
 * The file REL names inside the backtests folder, or null: nothing outside DIR (no `..`, no
 * absolute path, no symlink out of it), nothing hidden, only files.
 */
export function backtestFile(dir: string, rel: string): string | null {
  if (rel.includes('\0') || rel.split(/[\\/]/).some((p) => p === '..' || p.startsWith('.'))) return null;
  let root: string;
  let real: string;
  try {
    root = fs.realpathSync(path.resolve(dir));
    real = fs.realpathSync(path.resolve(root, rel));
  } catch {
    return null;
  }
  if (real !== root && !real.startsWith(root + path.sep)) return null;
  try {
    return fs.statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}
