import * as path from 'node:path';

/**
 * `--record FILE` is that file; a bare `--record` is a new file beside the journal,
 * recordings/market-YYYYMMDDTHHMMSSZ.db (one per start: a recording is one run's).
 */
export function recordingPath(flag: string | true, journalFile: string, nowMs: number): string {
  if (flag !== true) return flag;
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return path.join(path.dirname(journalFile), 'recordings', `market-${stamp}.db`);
}
