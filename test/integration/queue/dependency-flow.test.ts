import { FlowProducer, Queue, QueueEvents, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SchedulesConfig } from '../../../engine/config/types';
import { addDependencyFlow, dailyJobId } from '../../../engine/queue/dependency-flow';
import { connectRedis } from '../../../engine/queue/redis-connection';
import { shippedConfig } from '../../helpers/config';

/** The shipped schedule with the 15-minute delay shortened so the test waits 300 ms. */
function schedule(): SchedulesConfig {
  const s = shippedConfig().schedules;
  return { ...s, tasks: s.tasks.map((t) => (t.after ? { ...t, after: { ...t.after, delay_ms: 300 } } : t)) };
}

describe('the analysis → execution flow on the real Redis', () => {
  let redis: Redis;
  const prefixes: string[] = [];

  beforeAll(async () => {
    redis = await connectRedis();
  });

  afterAll(async () => {
    for (const prefix of prefixes) {
      const q = new Queue('tasks', { connection: redis, prefix });
      await q.obliterate({ force: true });
      await q.close();
    }
    redis.disconnect();
  });

  async function run(analysisFails: boolean): Promise<{ ran: Array<[string, number]>; parentState: string; added: number }> {
    const prefix = `td-test-flow-${process.pid}-${Date.now()}-${analysisFails ? 'f' : 'ok'}`;
    prefixes.push(prefix);
    const s = schedule();
    const analysis = s.tasks.find((t) => t.name === 'strategy_analysis');
    if (!analysis) throw new Error('no analysis task');
    const flows = new FlowProducer({ connection: redis, prefix });
    const job = { task: 'strategy_analysis', config_hash: shippedConfig().hash, scheduled_for: Date.now(), params: {} };
    await addDependencyFlow(flows, s, { ...analysis, max_attempts: 1 }, '2026-11-24', job);
    await addDependencyFlow(flows, s, { ...analysis, max_attempts: 1 }, '2026-11-24', job); // twice: nothing new
    const queue = new Queue('tasks', { connection: redis, prefix });
    const counts = await queue.getJobCounts('waiting', 'waiting-children', 'prioritized');
    const added = Object.values(counts).reduce((a, b) => a + b, 0);
    const ran: Array<[string, number]> = [];
    const events = new QueueEvents('tasks', { connection: redis.duplicate(), prefix });
    await events.waitUntilReady();
    const worker = new Worker(
      'tasks',
      async (j: Job) => {
        ran.push([j.name, Date.now()]);
        if (j.name === 'strategy_analysis' && analysisFails) throw new Error('no market data');
        return 'ok';
      },
      { connection: redis.duplicate(), prefix },
    );
    const parentId = dailyJobId('execute_strategies', '2026-11-24');
    const deadline = Date.now() + 8000;
    let state = 'unknown';
    while (Date.now() < deadline) {
      state = await queue.getJobState(parentId);
      if (state === 'completed' || state === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await worker.close();
    await events.close();
    await flows.close();
    await queue.close();
    return { ran, parentState: state, added };
  }

  it('should run execution after the analysis, not before its delay, and add the flow only once', async () => {
    const r = await run(false);
    expect(r.added).toBe(2);
    expect(r.ran.map(([n]) => n)).toEqual(['strategy_analysis', 'execute_strategies']);
    const gap = (r.ran[1]?.[1] ?? 0) - (r.ran[0]?.[1] ?? 0);
    expect(gap).toBeGreaterThanOrEqual(250);
    expect(r.parentState).toBe('completed');
  });

  it('should never run execution when the analysis fails', async () => {
    const r = await run(true);
    expect(r.ran.map(([n]) => n)).toEqual(['strategy_analysis']);
    expect(r.parentState).toBe('failed');
  });
});
