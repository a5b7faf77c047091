import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { lintConfig } from '../config/load-config';
import { formatProblem } from '../config/problem';
import { displayUrl } from '../queue/redis-connection';
import { quickCheckJournal } from '../store/journal-check';
import { fail, messageOf, pass, type DoctorCheck } from './doctor-check';

const START_REDIS = 'start Redis (`redis-server --daemonize yes --port 6379 --save "" --appendonly no`) or point REDIS_URL at it';

/** Redis answers and takes a write (a replica or a full disk answers PING but refuses SET). */
export async function checkRedis(url: string, timeoutMs = 2000): Promise<DoctorCheck> {
  const client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined);
  const where = displayUrl(url);
  try {
    await client.connect();
  } catch (e) {
    client.disconnect();
    return fail('redis', `Redis is not reachable at ${where}: ${messageOf(e)}`, START_REDIS);
  }
  try {
    const version = /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? '?';
    const key = `thetadesk:doctor:${randomUUID()}`;
    await client.set(key, '1', 'PX', 10_000);
    const back = await client.get(key);
    await client.del(key);
    if (back !== '1') return fail('redis', `Redis at ${where} did not return what was written`, 'check that REDIS_URL points at a primary, not a proxy or a replica');
    return pass('redis', `${where} reachable and writable (Redis ${version})`);
  } catch (e) {
    return fail('redis', `Redis at ${where} refuses writes: ${messageOf(e)}`, 'point REDIS_URL at a writable primary; on MISCONF free disk space or fix its persistence settings');
  } finally {
    client.disconnect();
  }
}

export function checkJournal(file: string): DoctorCheck {
  const r = quickCheckJournal(file);
  return r.ok ? pass('journal', r.detail) : fail('journal', r.detail, r.fix ?? 'restore the journal from a backup');
}

export function checkConfig(dir: string): DoctorCheck {
  const r = lintConfig(dir);
  const errors = r.problems.filter((p) => p.severity === 'error');
  if (!r.config || errors.length > 0) {
    const first = errors[0] ?? r.problems[0];
    return fail('config', `${errors.length} problem${errors.length === 1 ? '' : 's'} in ${r.dir}${first ? `, first: ${formatProblem(first)}` : ''}`, `run thetadesk lint --config ${dir} and fix every line it prints`);
  }
  const c = r.config;
  return pass('config', `${r.files.length} files, ${c.exit_rules.length} rules, ${c.entry_gates.length} gates, ${c.schedules.tasks.length} tasks; config ${c.hash.slice(0, 12)}`);
}
