import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, PrivateRedis, saveLog, tempDir, thetadesk, type ChildRun } from './support/chaos-kit';

/**
 * Start-up checks every port the command uses, and the infrastructure flags are checked as input:
 * against a private redis-server, with no IB Gateway listening on the port given (as when the fake
 * gateway, or TWS, is not running).
 */
describe('chaos: start-up with a port missing or an infrastructure flag wrong', () => {
  let redis: PrivateRedis;
  let dir: string;
  let ibPort: number;
  let noRedis: string;
  const results: Record<string, ChildRun> = {};
  const flags = (tag: string): string[] => ['--journal', path.join(dir, `${tag}.db`), '--paper-state', path.join(dir, `${tag}-paper.db`), '--prefix', `chaos-start-${tag}`];

  beforeAll(async () => {
    redis = await PrivateRedis.start(false);
    dir = tempDir('startup');
    ibPort = await freePort();
    noRedis = `redis://127.0.0.1:${await freePort()}`;
    const cases: Record<string, [string[], string]> = {
      'run --market ib': [['run', '--market', 'ib', '--ib-port', String(ibPort), ...flags('mib')], redis.url],
      'run --broker ib': [['run', '--broker', 'ib', '--ib-port', String(ibPort), ...flags('bib')], redis.url],
      'worker --market ib': [['worker', '--market', 'ib', '--ib-port', String(ibPort), ...flags('wib')], redis.url],
      'run without Redis': [['run', ...flags('nored')], noRedis],
      "run --prefix ''": [['run', '--journal', path.join(dir, 'p1.db'), '--prefix', ''], redis.url],
      'run --prefix a:b': [['run', '--journal', path.join(dir, 'p2.db'), '--prefix', 'a:b'], redis.url],
      "status --prefix ''": [['status', '--prefix', ''], redis.url],
      'schedule sync --prefix 65 chars': [['schedule', 'sync', '--prefix', 'x'.repeat(65)], redis.url],
      'run with REDIS_URL=localhost:6379': [['run', ...flags('url1')], 'localhost:6379'],
      'status with REDIS_URL=redis://127.0.0.1:99999': [['status', '--prefix', 'chaos-start-url'], 'redis://127.0.0.1:99999'],
    };
    // All at once, with a command that needs no port: what starting node costs under the same load.
    cases['schedule list (baseline)'] = [['schedule', 'list'], redis.url];
    const names = Object.keys(cases);
    const out = await Promise.all(names.map((n) => thetadesk(cases[n]?.[0] ?? [], { redisUrl: cases[n]?.[1] ?? '' }, 120_000)));
    names.forEach((n, k) => (results[n] = out[k] as ChildRun));
    saveLog('startup-checks', null, results);
  }, 300_000);

  afterAll(async () => {
    await redis?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['run --market ib', /^thetadesk: market data ib does not answer at start \(cannot connect to TWS \/ IB Gateway at 127\.0\.0\.1:\d+: .*ECONNREFUSED.*\); start it or choose another --market\n$/],
    ['worker --market ib', /^thetadesk: market data ib does not answer at start \(cannot connect to TWS \/ IB Gateway at 127\.0\.0\.1:\d+: .*ECONNREFUSED.*\); start it or choose another --market\n$/],
    ['run --broker ib', /^thetadesk: cannot connect to TWS \/ IB Gateway at 127\.0\.0\.1:\d+: .*ECONNREFUSED.*\n$/],
    ['run without Redis', /^thetadesk: Redis is not reachable at redis:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\): start it with `redis-server/],
  ])('should make `%s` exit 3 at once with one line naming the port', (name, line) => {
    const r = results[name] as ChildRun;
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 3, stdout: '' });
    expect(r.stderr).toMatch(line);
    // At once: no retry loop, no connect timeout waited out (beyond what starting node costs here).
    expect(r.ms - (results['schedule list (baseline)'] as ChildRun).ms).toBeLessThan(10_000);
  });

  it.each(["run --prefix ''", 'run --prefix a:b', "status --prefix ''", 'schedule sync --prefix 65 chars'])('should refuse `%s` as input (exit 1), before touching Redis', (name) => {
    const r = results[name] as ChildRun;
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^thetadesk: --prefix must match \^\[A-Za-z0-9_\.-\]\{1,64\}\$ \(1 to 64 letters, digits, _ \. -\), got ".*"\n$/);
  });

  it.each([
    ['run with REDIS_URL=localhost:6379', /^thetadesk: REDIS_URL "localhost:6379" is malformed: scheme "localhost" is not redis or rediss; expected redis:\/\/\[user:password@\]host\[:port\]\[\/db\] or rediss:\/\/…\n$/],
    ['status with REDIS_URL=redis://127.0.0.1:99999', /^thetadesk: REDIS_URL "redis:\/\/127\.0\.0\.1:99999" is malformed: (not a URL|port 99999 is out of range);/],
  ])('should report `%s` as malformed (exit 1), not as unreachable', (name, line) => {
    const r = results[name] as ChildRun;
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(line);
  });
});
