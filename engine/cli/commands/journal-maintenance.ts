import type { Command } from 'commander';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { journalPath } from '../../store/journal';
import { verifyJournal } from '../../store/journal-check';
import { JournalError } from '../../store/journal-errors';
import { CliExit, EXIT } from '../exit-codes';

interface MaintenanceOptions {
  readonly journal?: string;
  readonly to?: string;
  readonly json?: boolean;
}

const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

function existing(explicit?: string): string {
  const file = journalPath(explicit);
  if (!fs.existsSync(file)) throw new CliExit(EXIT.INPUT, `no journal at ${file}: pass --journal PATH or set THETADESK_JOURNAL`);
  return file;
}

/** `thetadesk journal check` and `thetadesk journal backup`: a journal's full check, and a consistent copy of it while the engine runs. */
export function registerMaintenance(journal: Command): void {
  journal
    .command('check')
    .description("Full check of the journal: the file's header and length, SQLite's integrity_check, and that it is a thetadesk journal. Reads only. Exit 1 naming the path when it fails.")
    .option('--journal <path>', 'journal file (default THETADESK_JOURNAL or ./data/thetadesk.db)')
    .option('--json', 'print as JSON')
    .action((opts: MaintenanceOptions) => {
      const file = existing(opts.journal);
      const r = verifyJournal(file, true);
      const size = fs.statSync(file).size;
      if (opts.json) process.stdout.write(`${JSON.stringify({ file, ok: true, pages: r.pages, bytes: size, schema_version: r.schema_version })}\n`);
      else process.stdout.write(`journal ${file}: ok (integrity_check passed; ${r.pages} pages, ${size} bytes, schema version ${r.schema_version})\n`);
    });
  journal
    .command('backup')
    .description("Copy the journal with SQLite's online backup API (consistent even while run/worker write to it), then check the copy. Never overwrites a file.")
    .option('--journal <path>', 'journal file (default THETADESK_JOURNAL or ./data/thetadesk.db)')
    .option('--to <path>', 'the new backup file (default: next to the journal, <name>.<UTC time>.bak)')
    .option('--json', 'print as JSON')
    .action(async (opts: MaintenanceOptions) => {
      const file = existing(opts.journal);
      const to = opts.to ?? path.join(path.dirname(file), `${path.basename(file)}.${stamp(Date.now())}.bak`);
      if (fs.existsSync(to)) throw new CliExit(EXIT.INPUT, `${to} exists: a backup never overwrites a file; pass another --to`);
      verifyJournal(file);
      const src = new Database(file, { readonly: true, fileMustExist: true });
      try {
        await src.backup(to);
      } catch (e) {
        fs.rmSync(to, { force: true });
        throw new JournalError(file, 'E_JOURNAL_BACKUP', `backup to ${to} failed (${(e as Error).message})`, { cause: e });
      } finally {
        src.close();
      }
      const r = verifyJournal(to, true);
      const size = fs.statSync(to).size;
      if (opts.json) process.stdout.write(`${JSON.stringify({ file, backup: to, pages: r.pages, bytes: size })}\n`);
      else process.stdout.write(`journal ${file} backed up to ${to} (${r.pages} pages, ${size} bytes; the copy passed integrity_check)\n`);
    });
}
