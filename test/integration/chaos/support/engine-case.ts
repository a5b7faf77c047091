import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../../../engine/config/load-config';
import { chaosConfigDir, PrivateRedis, RunningEngine, tempDir, type ThetadeskEnv } from './chaos-kit';
import { seedPositions, type SeededPosition } from './seed-positions';

/** 09:29:40 ET on a trading day: the engine starts just before the open, so its first monitor is the day's first. */
export const START = Date.parse('2026-01-05T14:29:40Z');
export const OPEN = Date.parse('2026-01-05T14:30:00Z');
/** The chaos config's watchdog limit: 3 × the monitor's 1 minute. */
export const LIMIT_MS = 3 * 60_000;

export interface EngineCase {
  readonly dir: string;
  readonly cfg: string;
  readonly journal: string;
  readonly paper: string;
  readonly prefix: string;
  readonly redis: PrivateRedis;
  readonly env: ThetadeskEnv & { readonly offsetMs: number };
  /** --config, --journal, --paper-state and --prefix of this case. */
  readonly flags: readonly string[];
  readonly positions: readonly SeededPosition[];
  readonly engine: RunningEngine;
  cleanup(): Promise<void>;
}

/**
 * One chaos case: its own directory, config, journal, paper account with two open positions, a
 * private redis-server, and `thetadesk run` (or `worker`) started as a child process at 09:29:40 ET
 * (or `runAt`).
 */
export async function startEngineCase(tag: string, o: { persistent?: boolean; runAt?: number; command?: 'run' | 'worker' } = {}): Promise<EngineCase> {
  const dir = tempDir(tag);
  const cfg = chaosConfigDir();
  const config = loadConfig(cfg);
  const journal = path.join(dir, 'journal.db');
  const paper = path.join(dir, 'paper.db');
  const prefix = `chaos-${tag}-${process.pid}`;
  const positions = await seedPositions({ config, journal, paperState: paper, atMs: START - 60_000 });
  const redis = await PrivateRedis.start(o.persistent ?? false);
  const env = { redisUrl: redis.url, offsetMs: (o.runAt ?? START) - Date.now() };
  const flags = ['--config', cfg, '--journal', journal, '--paper-state', paper, '--prefix', prefix];
  const engine = new RunningEngine([o.command ?? 'run', ...flags, '--grace', '5s'], env);
  return {
    dir,
    cfg,
    journal,
    paper,
    prefix,
    redis,
    env,
    flags,
    positions,
    engine,
    cleanup: async () => {
      await engine.stop('SIGKILL');
      await redis.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(cfg, { recursive: true, force: true });
    },
  };
}

export function monitorRuns(journal: string): Array<{ job_id: string; scheduled_for: number; status: string }> {
  const db = new Database(journal, { readonly: true });
  try {
    return db.prepare("SELECT job_id, scheduled_for, status FROM runs WHERE task = 'unified_monitor' ORDER BY scheduled_for, started_at").all() as Array<{ job_id: string; scheduled_for: number; status: string }>;
  } finally {
    db.close();
  }
}

export function decisionTimes(journal: string, positionId: string): number[] {
  const db = new Database(journal, { readonly: true });
  try {
    return (db.prepare("SELECT at FROM decisions WHERE kind = 'exit' AND subject = ? ORDER BY at").all(positionId) as Array<{ at: number }>).map((r) => r.at);
  } finally {
    db.close();
  }
}

/** The longest time (ms) any position went without an exit decision, from the open to `endMs`. */
export function longestUnwatched(journal: string, positions: readonly SeededPosition[], endMs: number): number {
  let worst = 0;
  for (const p of positions) {
    const points = [OPEN, ...decisionTimes(journal, p.position_id), endMs];
    for (let i = 1; i < points.length; i++) worst = Math.max(worst, (points[i] as number) - (points[i - 1] as number));
  }
  return worst;
}

/** Fire times with more than one run in the journal (must be none: nothing runs twice). */
export function doubleRuns(journal: string): number[] {
  const per = new Map<number, number>();
  for (const x of monitorRuns(journal)) per.set(x.scheduled_for, (per.get(x.scheduled_for) ?? 0) + 1);
  return [...per.entries()].filter(([, n]) => n > 1).map(([t]) => t);
}
