import { RunsRepo } from '../../../engine/store/runs-repo';
import { healthCheck } from '../../../engine/workflows/health-check';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';
import { fakeQueue, override } from '../../helpers/workflow-stubs';
import type { WorkflowContext } from '../../../engine/workflows/workflow-context';
import { NotConnectedError } from '../../../engine/shared/errors';

interface Report {
  redis: string;
  counts: unknown;
  stuck: unknown[];
  broker: { connected: boolean };
  runs: Array<{ task: string; last_status: string; last_ok_at: number | null }>;
  problems: string[];
}

function run(e: TestEngine, jobId: string, task: string, at: number, status: 'ok' | 'failed', detail: string | null = null): void {
  const runs = new RunsRepo(e.db);
  runs.start({ job_id: jobId, task, config_hash: 'h', scheduled_for: at, started_at: at });
  runs.end(jobId, status, detail, at + 1000);
}

describe('health_check', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  describe('when everything answers', () => {
    it('should report healthy with queue depths and each task’s last good run, and raise nothing', async () => {
      e = testEngine({ queue: fakeQueue({ counts: { orders: { waiting: 2, active: 1 } } }) });
      await e.broker.connect();
      run(e, 'a1', 'strategy_analysis', 1000, 'failed', 'no data');
      run(e, 'a2', 'strategy_analysis', 2000, 'ok');
      run(e, 'b1', 'sync_positions', 1500, 'ok');
      const r = await healthCheck(e.ctx, jobFor('health_check', e.clock));
      expect(r.summary).toBe('healthy: queue: Redis ok; broker connected; market data sim answers; 2 tasks with runs, none failed last');
      const d = r.data as Report;
      expect(d.counts).toEqual({ orders: { waiting: 2, active: 1 } });
      expect(d.runs.map((x) => [x.task, x.last_status, x.last_ok_at])).toEqual([['strategy_analysis', 'ok', 2000], ['sync_positions', 'ok', 1500]]);
      expect(e.alerts).toEqual([]);
    });

    it('should say the queue was not checked when there is none', async () => {
      e = testEngine();
      await e.broker.connect();
      const r = await healthCheck(e.ctx, jobFor('health_check', e.clock));
      expect(r.summary).toBe('healthy: queue: not checked (no queue); broker connected; market data sim answers; 0 tasks with runs, none failed last');
      expect((r.data as Report).redis).toBe('not checked (no queue)');
    });
  });

  describe('when components fail', () => {
    it('should report Redis down without probing further, and complete with one health alert', async () => {
      e = testEngine({ queue: fakeQueue({ ping: new Error('connect ECONNREFUSED 127.0.0.1:6379') }) });
      await e.broker.connect();
      const r = await healthCheck(e.ctx, jobFor('health_check', e.clock));
      expect(r.summary).toBe('unhealthy: Redis unreachable: connect ECONNREFUSED 127.0.0.1:6379; check REDIS_URL and that redis-server runs');
      expect((r.data as Report).counts).toBeNull();
      expect(e.alerts).toHaveLength(1);
      expect(JSON.parse(e.alerts[0] ?? '{}')).toMatchObject({ alert: 'health', severity: 'error' });
    });

    it('should not call Redis down when only a probe after the ping fails, and list stuck jobs', async () => {
      e = testEngine({ queue: fakeQueue({ counts: new Error('WRONGTYPE'), stuck: [{ queue: 'tasks', id: '17', task: 'unified_monitor', running_s: 301.4 }] }) });
      await e.broker.connect();
      const r = await healthCheck(e.ctx, jobFor('health_check', e.clock));
      const d = r.data as Report;
      expect(d.redis).toBe('ok');
      expect(d.problems).toEqual(['queue counts failed: WRONGTYPE', '1 stuck job(s): unified_monitor 17 on tasks running 301 s']);
    });

    it('should flag a task whose last run failed and a disconnected broker; a dry run alerts nothing', async () => {
      e = testEngine();
      run(e, 'a1', 'strategy_analysis', 1000, 'ok');
      run(e, 'a2', 'strategy_analysis', 2000, 'failed', 'no data');
      const r = await healthCheck(e.ctx, jobFor('health_check', e.clock, { dry_run: true }));
      expect(r.summary).toBe('unhealthy: broker paper not connected (paper broker (simulated market)); strategy_analysis last failed: no data');
      expect((r.data as Report).runs).toEqual([expect.objectContaining({ task: 'strategy_analysis', last_status: 'failed', last_ok_at: 1000 })]);
      expect(e.alerts).toEqual([]);
    });
  });

  describe('when a port answers its flag but not a question (never healthy because an object exists)', () => {
    const withCtx = (e: TestEngine, patch: Partial<WorkflowContext>): WorkflowContext => ({ ...e.ctx, ...patch });

    it('should be unhealthy when the market data port fails, naming it', async () => {
      e = testEngine();
      await e.broker.connect();
      const market = override(e.market, { spot: async () => Promise.reject(new NotConnectedError('IB_CONNECT', 'cannot connect to TWS / IB Gateway at 127.0.0.1:4002: connect ECONNREFUSED')) });
      const r = await healthCheck(withCtx(e, { market }), jobFor('health_check', e.clock));
      expect(r.summary).toBe('unhealthy: market data sim failing (cannot connect to TWS / IB Gateway at 127.0.0.1:4002: connect ECONNREFUSED)');
      expect(e.alerts).toHaveLength(1);
    });

    it('should be unhealthy when the broker says connected but its account does not answer', async () => {
      e = testEngine();
      await e.broker.connect();
      const broker = override(e.broker, { accountSummary: async () => Promise.reject(new Error('request timed out')) });
      const r = await healthCheck(withCtx(e, { broker }), jobFor('health_check', e.clock));
      expect(r.summary).toMatch(/^unhealthy: broker paper not connected \(.*, but it does not answer: request timed out\)$/);
    });

    it.each([
      ['the watchdog is overdue', { watchdog: () => ({ state: 'overdue', detail: 'unified_monitor has not completed since 14:30 (12.0 min)' }), journal: () => ({ ok: true, detail: 'ok' }) }, 'unhealthy: watchdog: unified_monitor has not completed since 14:30 (12.0 min)'],
      ['the journal failed a write', { watchdog: () => ({ state: 'ok', detail: 'fine' }), journal: () => ({ ok: false, detail: 'journal /tmp/j.db failed a write (SQLITE_FULL: database or disk is full)' }) }, 'unhealthy: journal /tmp/j.db failed a write (SQLITE_FULL: database or disk is full)'],
    ])('should be unhealthy when %s', async (_label, guards, summary) => {
      e = testEngine();
      await e.broker.connect();
      const r = await healthCheck(withCtx(e, { guards }), jobFor('health_check', e.clock));
      expect(r.summary).toBe(summary);
    });

    it('should name the watchdog state when healthy', async () => {
      e = testEngine();
      await e.broker.connect();
      const r = await healthCheck(withCtx(e, { guards: { watchdog: () => ({ state: 'market_closed', detail: 'x' }), journal: () => ({ ok: true, detail: 'ok' }) } }), jobFor('health_check', e.clock));
      expect(r.summary).toBe('healthy: queue: not checked (no queue); broker connected; market data sim answers; watchdog market_closed; 0 tasks with runs, none failed last');
    });
  });
});
