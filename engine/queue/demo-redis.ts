import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Redis } from 'ioredis';
import { NotConnectedError } from '../shared/errors';
import { connectRedis, DEFAULT_REDIS_URL } from './redis-connection';

/** The demo is a batch on one machine: a long command deadline (a busy process must not time out its own answers). */
const DEMO = { commandTimeoutMs: 30_000 } as const;

export interface DemoRedis {
  readonly redis: Redis;
  /** Where it came from: REDIS_URL, the local default, or a private server this process started. */
  readonly source: string;
  stop(): Promise<void>;
}

function onPath(bin: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const f = path.join(dir, bin);
    try {
      fs.accessSync(f, fs.constants.X_OK);
      return f;
    } catch {
      // not here
    }
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The demo's Redis: REDIS_URL if set; else 127.0.0.1:6379 if it answers; else a private
 * `redis-server` from PATH on a free port in a temporary directory, stopped at the end.
 */
export async function demoRedis(env: NodeJS.ProcessEnv = process.env): Promise<DemoRedis> {
  if (env.REDIS_URL) return { redis: await connectRedis(env.REDIS_URL, DEMO), source: 'REDIS_URL', stop: async () => undefined };
  try {
    return { redis: await connectRedis(DEFAULT_REDIS_URL, { ...DEMO, connectTimeoutMs: 1000 }), source: DEFAULT_REDIS_URL, stop: async () => undefined };
  } catch {
    // fall through to a private server
  }
  const bin = onPath('redis-server', env);
  if (!bin) throw new NotConnectedError('REDIS_MISSING', 'no Redis answers at 127.0.0.1:6379 and there is no redis-server on PATH: install one (`apt-get install redis-server` or `brew install redis`) or set REDIS_URL');
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-redis-'));
  const child: ChildProcess = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  let redis: Redis | null = null;
  for (let i = 0; i < 50 && !redis; i++) {
    await new Promise((r) => setTimeout(r, 100));
    redis = await connectRedis(url, { ...DEMO, connectTimeoutMs: 500 }).catch(() => null);
  }
  const stop = async (): Promise<void> => {
    redis?.disconnect();
    child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  if (!redis) {
    await stop();
    throw new NotConnectedError('REDIS_START_FAILED', `started ${bin} on port ${port} but it did not answer within 5 s`);
  }
  return { redis, source: `private redis-server on port ${port}`, stop };
}
