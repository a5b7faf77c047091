import { processTask, type TaskJobLike } from '../../../engine/queue/task-processor';
import { RunsRepo } from '../../../engine/store/runs-repo';
import type { Workflow } from '../../../engine/workflows/workflow-context';
import { testEngine, type TestEngine } from '../../helpers/workflow-context';

const FIRE = Date.parse('2026-01-05T16:05:00Z');

function harness(admit?: (task: string) => string | null) {
  const e: TestEngine = testEngine({ at: '2026-01-05T16:05:03Z' });
  let calls = 0;
  let fail = false;
  const monitor: Workflow = async () => {
    calls++;
    if (fail) throw new Error('quote feed hiccup');
    return { summary: `run ${calls}` };
  };
  const run = (id: string, data: Partial<{ scheduled_for: number }> = {}) => {
    const job: TaskJobLike = { id, name: 'unified_monitor', data: { config_hash: e.ctx.config.hash, params: {}, ...data }, timestamp: FIRE, opts: { prevMillis: FIRE } };
    return processTask({ config: e.ctx.config, clock: e.clock, db: e.db, workflows: { unified_monitor: monitor }, context: e.ctx, flows: null, queueName: 'tasks', admit }, job);
  };
  return { e, run, calls: () => calls, failNext: (v: boolean) => (fail = v) };
}

describe('at most one run per job and per scheduled fire time', () => {
  it('should not run a job again whose run already ended in the journal (its completion was lost with Redis)', async () => {
    const h = harness();
    expect(await h.run(`repeat:unified_monitor#0:${FIRE}`)).toMatchObject({ status: 'ok', summary: 'run 1' });
    expect(await h.run(`repeat:unified_monitor#0:${FIRE}`)).toMatchObject({ status: 'ok', summary: expect.stringMatching(/^already ran as job repeat:unified_monitor#0:\d+ \(ok: run 1\); not run again$/) });
    expect(h.calls()).toBe(1);
    h.e.close();
  });

  it('should run a fire time once when both BullMQ (persistent Redis) and the catch-up deliver it', async () => {
    const h = harness();
    await h.run(`catchup-unified_monitor@${FIRE}`, { scheduled_for: FIRE });
    const second = await h.run(`repeat:unified_monitor#0:${FIRE}`);
    expect(second).toEqual({ status: 'skipped', summary: `the run due at 2026-01-05T16:05:00.000Z already happened as job catchup-unified_monitor@${FIRE} (ok); not run twice` });
    expect(h.calls()).toBe(1);
    expect(new RunsRepo(h.e.db).scheduledBetween('unified_monitor', FIRE, FIRE)).toHaveLength(1);
    h.e.close();
  });

  it('should let a failed run be retried, by the same job or by the catch-up', async () => {
    const h = harness();
    h.failNext(true);
    await expect(h.run(`repeat:unified_monitor#0:${FIRE}`)).rejects.toThrow('quote feed hiccup');
    h.failNext(false);
    expect(await h.run(`catchup-unified_monitor@${FIRE}`, { scheduled_for: FIRE })).toMatchObject({ status: 'ok' });
    expect(h.calls()).toBe(2);
    h.e.close();
  });

  it('should leave a task out without journaling it when the runtime does not admit it', async () => {
    const h = harness(() => 'the journal failed a write');
    expect(await h.run('adhoc-unified_monitor-1')).toEqual({ status: 'skipped', summary: 'the journal failed a write' });
    expect(h.calls()).toBe(0);
    expect(new RunsRepo(h.e.db).get('adhoc-unified_monitor-1')).toBeNull();
    expect(h.e.logs).toContain('unified_monitor: not run: the journal failed a write');
    h.e.close();
  });
});
