import * as fs from 'node:fs';
import * as path from 'node:path';
import { journalPath } from '../store/journal';
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
