import { nextMinute, saveLog, sleep, sleepUntil, thetadesk, type ChildRun } from './chaos-kit';
import { monitorRuns, startEngineCase, type EngineCase } from './engine-case';

export interface OutageResult {
  readonly c: EngineCase;
  readonly exit: { code: number | null; signal: NodeJS.Signals | null };
  /** The monitor fire time the outage spans (virtual ms). */
  readonly fire: number;
  /** An ad-hoc job enqueued (and waited for) after Redis was back. */
  readonly after: ChildRun;
  readonly status: ChildRun;
  readonly endedAt: number;
}

/** Waits for the monitor due after `fire` to have run (or 20 s), then an operator enqueues a job and asks for the status, and the engine gets SIGTERM. */
async function finish(c: EngineCase, fire: number, name: string, extra: Record<string, ChildRun>): Promise<OutageResult> {
  const { engine, env, flags } = c;
  await sleepUntil(fire + 60_000 + 2_000, env.offsetMs);
  const deadline = Date.now() + 20_000;
  while (!monitorRuns(c.journal).some((r) => r.scheduled_for === fire + 60_000 && r.status !== 'running') && Date.now() < deadline) await sleep(250);
  const after = await thetadesk(['enqueue', 'sync_positions', '--wait', ...flags], env, 60_000);
  const status = await thetadesk(['status', '--config', c.cfg, '--journal', c.journal, '--prefix', c.prefix], env, 30_000);
  const endedAt = Date.now() + env.offsetMs;
  const exit = await engine.stop('SIGTERM');
  saveLog(name, engine, { ...extra, 'enqueue sync_positions --wait (after Redis is back)': after, status });
  return { c, exit, fire, after, status, endedAt };
}

/**
 * The fire time the outage will span: the next whole minute at least 8 s away, once the engine has
 * run a scheduled monitor (so the outage, not a slow start, is what is measured).
 */
async function nextFire(c: EngineCase): Promise<number> {
  await c.engine.waitFor(/ running \(tasks \+ orders/, 120_000);
  await c.engine.waitFor(/ unified_monitor: \d+ open positions/, 120_000);
  return nextMinute(Date.now() + c.env.offsetMs + 8_000);
}

/**
 * `thetadesk run` as a child process (paper broker, simulated market, its clock at a market hour)
 * with two open positions, on a private redis-server that is SIGKILLed 5 s before a monitor is
 * due and started again on the same port 10 s later.
 */
export async function killAndRestart(persistent: boolean): Promise<OutageResult> {
  const c = await startEngineCase(persistent ? 'kill-aof' : 'kill-mem', { persistent });
  const fire = await nextFire(c);
  await sleepUntil(fire - 5_000, c.env.offsetMs);
  await c.redis.kill();
  await sleep(10_000);
  await c.redis.launch();
  await c.engine.waitFor(/ redis: back at /, 30_000);
  return finish(c, fire, `redis-kill-${persistent ? 'aof' : 'mem'}`, {});
}

export interface FreezeResult extends OutageResult {
  /** What an operator's commands did while Redis was frozen. */
  readonly during: Readonly<Record<string, ChildRun>>;
  /** A command that needs no Redis, started with them: what starting node costs under the same load. */
  readonly baseline: ChildRun;
  /** How long Redis was stopped: 20 s, or until the operator's commands had all ended on a very loaded machine. */
  readonly frozenMs: number;
}

/**
 * A Redis that accepts connections but never answers: the private redis-server is SIGSTOPped 5 s
 * before a monitor is due and SIGCONTed 20 s later, while `thetadesk run` works against it and an
 * operator types commands.
 */
export async function freezeAndThaw(): Promise<FreezeResult> {
  const c = await startEngineCase('freeze');
  const fire = await nextFire(c);
  await sleepUntil(fire - 5_000, c.env.offsetMs);
  c.redis.signal('SIGSTOP');
  const frozenAt = Date.now();
  const cmds: Array<[string, string[]]> = [
    ['status', ['status', '--config', c.cfg, '--journal', c.journal, '--prefix', c.prefix]],
    ['enqueue', ['enqueue', 'sync_positions', ...c.flags]],
    ['schedule sync', ['schedule', 'sync', '--config', c.cfg, '--prefix', c.prefix]],
  ];
  const [base, ...results] = await Promise.all([thetadesk(['schedule', 'list', '--config', c.cfg], c.env, 60_000), ...cmds.map(([, args]) => thetadesk(args, c.env, 60_000))]);
  const during: Record<string, ChildRun> = {};
  cmds.forEach(([name], i) => (during[name] = results[i] as ChildRun));
  await sleep(Math.max(0, 20_000 - (Date.now() - frozenAt)));
  c.redis.signal('SIGCONT');
  const frozenMs = Date.now() - frozenAt;
  await c.engine.waitFor(/ redis: back at /, 30_000);
  const r = await finish(c, fire, 'redis-freeze', { 'schedule list (baseline, no Redis)': base as ChildRun, ...Object.fromEntries(Object.entries(during).map(([k, v]) => [`${k} (while frozen)`, v])) });
  return { ...r, during, baseline: base as ChildRun, frozenMs };
}
