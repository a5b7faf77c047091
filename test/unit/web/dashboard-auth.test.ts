import type { Operations } from '../../../engine/ops/operations';
import { isLoopback, tokenOf } from '../../../engine/web/auth';
import { buildDashboard } from '../../../engine/web/server';

type App = Awaited<ReturnType<typeof buildDashboard>>;

/** Listens on loopback whatever `host` the dashboard was told (its policy is what is tested), and requests over real HTTP. */
async function serve(host: string): Promise<{ app: App; req: (method: string, url: string, headers?: Record<string, string>, body?: unknown) => Promise<number> }> {
  const app = await buildDashboard({ ops, host, token: TOKEN, backtestsDir: '.' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const req = async (method: string, url: string, headers: Record<string, string> = {}, body?: unknown): Promise<number> => {
    const ctl = new AbortController();
    const r = await fetch(base + url, { method, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), signal: ctl.signal });
    ctl.abort();
    return r.status;
  };
  return { app, req };
}

const TOKEN = 'unit-token-123';
const halts: string[] = [];
// Only what the routes under test touch: the auth hook answers before any journal read.
const ops = {
  config: { schedules: { tasks: [] }, strategies: { underlyings: {} } },
  queues: null,
  queuesProblem: 'no Redis in this test',
  backtests: () => [],
  backtestFile: () => null,
  halt: (reason: string, origin: string) => {
    halts.push(`${reason} ${origin}`);
    return { halted: true, reason, since: 1 };
  },
} as unknown as Operations;

describe('the dashboard token', () => {
  it('should read pages on loopback without it, and refuse actions without it in a header (query string and cookie ignored)', async () => {
    const { app, req } = await serve('127.0.0.1');
    try {
      expect(await req('GET', '/backtests')).toBe(200);
      expect(await req('POST', '/api/halt')).toBe(401);
      expect(await req('POST', `/api/halt?token=${TOKEN}`)).toBe(401);
      expect(await req('POST', '/api/halt', { cookie: `token=${TOKEN}` })).toBe(401);
      expect(await req('POST', '/api/halt', { authorization: 'Bearer wrong-token-123' })).toBe(401);
      expect(halts).toEqual([]);
      expect(await req('POST', '/api/halt', { authorization: `Bearer ${TOKEN}` }, { reason: 'unit' })).toBe(200);
      expect(halts).toEqual(['unit dashboard 127.0.0.1']);
      expect(await req('POST', '/api/halt', { 'x-thetadesk-token': TOKEN, origin: 'http://evil.example' }, {})).toBe(403);
    } finally {
      await app.close();
    }
  });

  it('should require it for every page when bound beyond loopback', async () => {
    const { app, req } = await serve('0.0.0.0');
    try {
      for (const url of ['/', '/positions', '/backtests', '/queues', '/events']) expect(await req('GET', url)).toBe(401);
      expect(await req('GET', '/backtests', { authorization: `Bearer ${TOKEN}` })).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('should tell loopback hosts apart and take the token only from its headers', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '192.168.1.5', '::', 'example.com', '127.0.0.1.example.com'].some(isLoopback)).toBe(false);
    expect(tokenOf({ authorization: 'Bearer abc' })).toBe('abc');
    expect(tokenOf({ 'x-thetadesk-token': 'abc' })).toBe('abc');
    expect(tokenOf({ cookie: 'token=abc' })).toBeNull();
  });
});
