/**
 * `monitor`: what a trader waits for each cycle — one unified_monitor job over 1,000 open positions
 * end to end (BullMQ job → guard → market reads → facts → the 12 rules → 1,000 decisions journaled
 * with their traces, in a journal file), against bare json-rules-engine evaluations of the same
 * 1,000 fact sets (fresh Engine each, built-in operators, no validation, no trace, no journal) in
 * the same run. Target: ratio ≤ 2.5. Replaces `pipeline`, whose baseline (a no-op job) is cheaper
 * than json-rules-engine alone and so measured the wrong thing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from 'json-rules-engine';
import { PaperBroker } from '../engine/adapters/sim/paper-broker';
import { SimMarket } from '../engine/adapters/sim/sim-market';
import { loadConfig } from '../engine/config/load-config';
import { aggregateCombo } from '../engine/market/combo';
import type { PositionLeg } from '../engine/model/leg';
import { connectRedis } from '../engine/queue/redis-connection';
import { removeQueues } from '../engine/queue/remove-queues';
import { compileExitRules } from '../engine/rules/compile-rules';
import { ReadOnlyPositionState } from '../engine/rules/position-state';
import { EngineRuntime } from '../engine/runtime/engine-runtime';
import { ManualClock } from '../engine/shared/clock';
import { openJournal } from '../engine/store/journal';
import { SqlitePositionStateStore } from '../engine/store/position-state-sqlite';
import { PositionsRepo } from '../engine/store/positions-repo';
import { gatherPositionView } from '../engine/workflows/position-facts-gather';
import type { PositionFacts } from '../engine/rules/position-facts';

const POSITIONS = 1000;
const WARMUP_JOBS = 2;
const TIMED_JOBS = 7;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/** 1,000 credit spreads on listed strikes of the three underlyings, entered at varied credits. */
export async function openPositionsForBench(market: SimMarket, db: ReturnType<typeof openJournal>, symbols: readonly string[], now: number): Promise<void> {
  const repo = new PositionsRepo(db);
  let n = 0;
  for (let round = 0; n < POSITIONS; round++) {
    for (const symbol of symbols) {
      const chain = await market.chain(symbol, { dte_min: 20, dte_max: 70 });
      const e = chain.expiries[round % chain.expiries.length];
      if (!e) continue;
      const near = e.strikes.filter((k) => Math.abs(k - chain.spot) < chain.spot * 0.08);
      const k = near[(round * 7) % Math.max(1, near.length - 1)];
      if (k === undefined || !e.strikes.includes(k + 5)) continue;
      const put = k < chain.spot;
      const legs: PositionLeg[] = put
        ? [
            { right: 'P', strike: k + 5, expiry: e.expiry, action: 'SELL', ratio: 1, con_id: null },
            { right: 'P', strike: k, expiry: e.expiry, action: 'BUY', ratio: 1, con_id: null },
          ]
        : [
            { right: 'C', strike: k, expiry: e.expiry, action: 'SELL', ratio: 1, con_id: null },
            { right: 'C', strike: k + 5, expiry: e.expiry, action: 'BUY', ratio: 1, con_id: null },
          ];
      const q = await market.quotes(legs.map((l) => ({ symbol, expiry: l.expiry, right: l.right, strike: l.strike })));
      const credit = -aggregateCombo(legs, q).mid;
      if (!(credit > 0.05)) continue;
      // Entered at 0.8–1.6× today's credit: some positions are in profit, some at a loss.
      const entry = Number((credit * (0.8 + ((n * 37) % 80) / 100)).toFixed(2));
      repo.open({ id: `bench-${n}`, opened_by_intent: `bench-${n}`, symbol, strategy: put ? 'bull_put' : 'bear_call', legs, quantity: 1, entry_credit: entry, entry_iv: 0.18, entry_vix: 18, entry_time: now - 3 * 86_400_000 });
      if (++n >= POSITIONS) break;
    }
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const config = loadConfig('.');
  const symbols = Object.keys(config.strategies.underlyings);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-bench-monitor-'));
  const redis = await connectRedis();
  const prefix = `td-bench-monitor-${process.pid}-${Date.now()}`;
  const clock = new ManualClock('2026-01-05T15:00:00Z');
  const market = new SimMarket({ seed: 1, clock, symbols });
  const paper = new PaperBroker({ market, clock, seed: 1, stateFile: ':memory:' });
  const db = openJournal(path.join(dir, 'journal.db'));
  await openPositionsForBench(market, db, symbols, clock.now());
  const positions = new PositionsRepo(db).list('open');

  // The same fact sets the job computes, gathered once without touching the persisted peaks.
  const state = new ReadOnlyPositionState(new SqlitePositionStateStore(db));
  const factSets: PositionFacts[] = [];
  for (const p of positions) factSets.push((await gatherPositionView(p, market, config, clock.now(), state)).facts);
  const defs = compileExitRules(config.exit_rules, config.hash).rules.map((r) => r.definition);
  const bareOnce = async (): Promise<number> => {
    const t0 = performance.now();
    for (const f of factSets) await new Engine(defs, { allowUndefinedFacts: false }).run({ ...f });
    return performance.now() - t0;
  };

  const runtime = new EngineRuntime({ config, clock, market, broker: paper, db, redis, prefix, log: () => undefined, sleep: async () => undefined });
  await runtime.start({ tasks: true, orders: false });
  const jobOnce = async (i: number): Promise<number> => {
    // Each job a minute later, as the schedule runs them: the market moves, marks change.
    clock.advance(60_000);
    const t0 = performance.now();
    const job = await runtime.tasks.add('unified_monitor', { task: 'unified_monitor', config_hash: config.hash, scheduled_for: clock.now(), params: {} }, { jobId: `bench-monitor-${i}`, priority: 1 });
    // The exits it decides are queued on `orders`, which no worker runs here: only the job is timed.
    for (;;) {
      const state = await job.getState();
      if (state === 'completed') break;
      if (state === 'failed') throw new Error(`monitor job failed: ${(await runtime.tasks.getJob(job.id ?? ''))?.failedReason ?? '?'}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    return performance.now() - t0;
  };
  const jobs: number[] = [];
  const bares: number[] = [];
  for (let i = 0; i < WARMUP_JOBS + TIMED_JOBS; i++) {
    const j = await jobOnce(i);
    const b = await bareOnce();
    if (i >= WARMUP_JOBS) {
      jobs.push(j);
      bares.push(b);
    }
  }
  const decisions = (db.prepare("SELECT COUNT(*) AS n FROM decisions WHERE kind = 'exit'").get() as { n: number }).n;
  await runtime.stop(5_000);
  await removeQueues(redis, prefix);
  redis.disconnect();
  paper.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const jobMs = median(jobs);
  const bareMs = median(bares);
  const ratio = jobMs / bareMs;
  return {
    positions: positions.length,
    job_ms: Number(jobMs.toFixed(1)),
    ms_per_position: Number((jobMs / positions.length).toFixed(4)),
    bare_rules_ms_per_position: Number((bareMs / positions.length).toFixed(4)),
    ratio: Number(ratio.toFixed(3)),
    decisions_journaled: decisions,
    met: ratio <= 2.5 && positions.length === POSITIONS && decisions === (WARMUP_JOBS + TIMED_JOBS) * POSITIONS,
  };
}
