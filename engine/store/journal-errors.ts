import { ConfigError } from '../shared/errors';

/** What an operator does about a journal that cannot be used: never "retry", always a step to take. */
export const RESTORE_HINT = 'restore it from a backup (`thetadesk journal backup` makes one, also while the engine runs) or move the file away to start a new journal at this path';

/**
 * A journal that cannot be trusted or used: refused by every command (exit 1), naming its path.
 * A ConfigError because retrying changes nothing; a person has to act.
 */
export class JournalError extends ConfigError {
  constructor(
    readonly file: string,
    code: string,
    what: string,
    options?: { cause?: unknown },
  ) {
    super(code, `journal ${file}: ${what}`, { file }, options);
  }
}

/** SQLite result codes that mean the journal could not take a write or cannot be read safely. */
const FAILURE_CODES = /^SQLITE_(FULL|IOERR|CORRUPT|NOTADB|READONLY|CANTOPEN|PROTOCOL|NOLFS)/;

export function sqliteCode(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

/** True for a disk-full, I/O, read-only or corruption error from SQLite (not a constraint or a bug in a query). */
export function isJournalFailure(e: unknown): boolean {
  const code = sqliteCode(e);
  return code !== null && FAILURE_CODES.test(code);
}
