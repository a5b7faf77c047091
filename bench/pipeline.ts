/**
 * `pipeline`: unified_monitor jobs end to end (BullMQ job → guard → facts for every open position →
 * the 12 rules → decisions journaled) against no-op BullMQ jobs, same Redis, same concurrency (1),
 * in the same run. Target: ratio ≥ 0.5.
 */
import { Queue, Worker } from 'bullmq';
import { PaperBroker } from '../engine/adapters/sim/paper-broker';
import { SimMarket } from '../engine/adapters/sim/sim-market';
import { loadConfig } from '../engine/config/load-config';
import { connectRedis } from '../engine/queue/redis-connection';
import { TASKS_QUEUE } from '../engine/queue/queue-names';
import { removeQueues } from '../engine/queue/remove-queues';
import { EngineRuntime } from '../engine/runtime/engine-runtime';
import { ManualClock } from '../engine/shared/clock';
import { openJournal } from '../engine/store/journal';
import { PositionsRepo } from '../engine/store/positions-repo';
import { analyzeMarket } from '../engine/workflows/analyze-market';

const JOBS = 1000;
/** Jobs run before timing, on both sides, so the JIT has compiled the hot paths. */
const WARMUP = 200;

async function drain(queue: Queue, name: string, data: (i: number) => object, jobs = JOBS): Promise<number> {
  await queue.addBulk(Array.from({ length: jobs }, (_, i) => ({ name, data: data(i), opts: { priority: 28, removeOnComplete: true } })));
  const t0 = performance.now();
  for (;;) {
    const c = await queue.getJobCounts('waiting', 'prioritized', 'active');
    if (Object.values(c).every((n) => n === 0)) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return jobs / ((performance.now() - t0) / 1000);
}

export async function run(): Promise<Record<string, unknown>> {
  const config = loadConfig('.');
  const redis = await connectRedis();
  const stamp = `${process.pid}-${Date.now()}`;
  const clock = new ManualClock('2026-01-05T15:00:00Z');
  const market = new SimMarket({ seed: 1, clock, symbols: Object.keys(config.strategies.underlyings) });
  const paper = new PaperBroker({ market, clock, seed: 1, stateFile: ':memory:' });
  const db = openJournal(':memory:');
  // One open position per underlying, opened at today's picks: every monitor job reads three positions.
  const analysis = await analyzeMarket({ marketData: market, config, symbols: Object.keys(config.strategies.underlyings), clock });
  for (const s of analysis.symbols) {
    if (!s.pick) continue;
    new PositionsRepo(db).open({ id: `bench-${s.symbol}`, opened_by_intent: `bench-${s.symbol}`, symbol: s.symbol, strategy: s.pick.strategy, legs: s.pick.legs.map((l) => ({ right: l.right, strike: l.strike, expiry: l.expiry, action: l.action, ratio: 1, con_id: null })), quantity: 1, entry_credit: s.pick.metrics.credit, entry_iv: 0.2, entry_vix: analysis.vix, entry_time: clock.now() - 86_400_000 });
  }
  const positions = new PositionsRepo(db).list('open').length;

  const rawPrefix = `td-bench-raw-${stamp}`;
  const rawQueue = new Queue(TASKS_QUEUE, { connection: redis, prefix: rawPrefix });
  const rawConn = redis.duplicate();
  const raw = new Worker(TASKS_QUEUE, async () => 'ok', { connection: rawConn, prefix: rawPrefix, concurrency: 1 });
  await raw.waitUntilReady();
  await drain(rawQueue, 'noop', () => ({}), WARMUP);
  const rawRate = await drain(rawQueue, 'noop', () => ({}));
  await raw.close();
  rawConn.disconnect();

  const prefix = `td-bench-pipe-${stamp}`;
  const runtime = new EngineRuntime({ config, clock, market, broker: paper, db, redis, prefix, log: () => undefined, sleep: async () => undefined });
  await runtime.start({ tasks: true, orders: false });
  const monitorJob = (): object => ({ task: 'unified_monitor', config_hash: config.hash, scheduled_for: clock.now(), params: {} });
  await drain(runtime.tasks, 'unified_monitor', monitorJob, WARMUP);
  const rate = await drain(runtime.tasks, 'unified_monitor', monitorJob);
  const decisions = (db.prepare("SELECT COUNT(*) AS n FROM decisions WHERE kind = 'exit'").get() as { n: number }).n;
  await runtime.stop(5_000);
  for (const p of [rawPrefix, prefix]) await removeQueues(redis, p);
  await rawQueue.close();
  paper.close();
  db.close();
  redis.disconnect();
  const ratio = rate / rawRate;
  return {
    jobs: JOBS,
    warmup_jobs: WARMUP,
    positions_per_job: positions,
    decisions_journaled: decisions,
    jobs_per_s: Number(rate.toFixed(1)),
    raw_jobs_per_s: Number(rawRate.toFixed(1)),
    ratio: Number(ratio.toFixed(3)),
    met: ratio >= 0.5 && decisions === (JOBS + WARMUP) * positions,
  };
}
