import * as fs from 'node:fs';
import type { LivePermission } from '../adapters/ib/ib-account-guard';
import type { IbConnectionSettings } from '../adapters/ib/ib-config';
import { lintConfig } from '../config/load-config';
import type { StrategyPositionRecord } from '../model/position';
import { openJournal } from '../store/journal';
import { PositionsRepo } from '../store/positions-repo';
import type { DoctorCheck } from './doctor-check';
import { ibChecks } from './doctor-ib';
import { checkConfig, checkJournal, checkRedis } from './doctor-local';

export interface DoctorOptions {
  readonly configDir: string;
  readonly journal: string;
  readonly redisUrl: string;
  /** The IB connection of the worker, when the engine is to run against IB; null: the paper broker. */
  readonly ib: IbConnectionSettings | null;
  /** --live (with strategies.yaml broker.allow_live: both are needed to accept a live account). */
  readonly liveFlag: boolean;
}

export interface DoctorReport {
  readonly ok: boolean;
  readonly checks: readonly DoctorCheck[];
}

/** Open positions of a journal that passed its check (read only; none when there is no journal). */
function openPositions(file: string, journalOk: boolean): StrategyPositionRecord[] {
  if (!journalOk || !fs.existsSync(file)) return [];
  const db = openJournal(file);
  try {
    return new PositionsRepo(db).list('open');
  } finally {
    db.close();
  }
}

/**
 * Everything that must hold before `thetadesk run`, as one checklist: Redis, the journal, the
 * config, and with IB its connection, account, market data, clock and pacing. Each line is ok or
 * FAIL with what to do; checks never throw.
 */
export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [await checkRedis(o.redisUrl)];
  const journal = checkJournal(o.journal);
  checks.push(journal, checkConfig(o.configDir));
  if (o.ib) {
    const config = lintConfig(o.configDir).config;
    if (!config) checks.push({ name: 'ib', ok: false, detail: 'IB not checked: the config does not load', fix: 'fix the config first (thetadesk lint)' });
    else checks.push(...(await ibChecks({ settings: o.ib, config, live: { config: config.strategies.broker.allow_live, flag: o.liveFlag } satisfies LivePermission, openPositions: openPositions(o.journal, journal.ok) })));
  }
  return { ok: checks.every((c) => c.ok), checks };
}
