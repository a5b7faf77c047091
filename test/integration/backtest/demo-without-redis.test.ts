import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { closedPort, run } from '../../helpers/cli';
import { REPO_ROOT } from '../../helpers/config';

describe('when no Redis answers and no redis-server is on PATH', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-noredis-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('should run `thetadesk demo` on the in-process runner and say so', async () => {
    // PATH holds an empty folder only: node is run by its absolute path, redis-server cannot be found.
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    const env = { HOME: tmp, PATH: bin, REDIS_URL: `redis://127.0.0.1:${await closedPort()}` };
    const r = await run(['demo', '--days', '1', '--start', '2026-01-13', '--symbols', 'SPY', '--config', REPO_ROOT, '--dir', path.join(tmp, 'demo'), '--json'], { env, cwd: tmp, timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { runner: string; days: string[]; orders: number };
    expect(report.runner).toBe('in-process');
    expect(report.days).toEqual(['2026-01-13']);
    expect(report.orders).toBeGreaterThanOrEqual(1);
    const text = await run(['demo', '--days', '1', '--start', '2026-01-13', '--symbols', 'SPY', '--config', REPO_ROOT, '--dir', path.join(tmp, 'demo')], { env, cwd: tmp, timeoutMs: 120_000 });
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/runner in-process; no Redis: Redis is not reachable at redis:\/\/127\.0\.0\.1:\d+/);
  }, 240_000);
});
