import IORedis, { type Redis } from 'ioredis';
import { NotConnectedError } from '../shared/errors';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const START_HINT = 'start it with `redis-server --daemonize yes --port 6379 --save "" --appendonly no` or set REDIS_URL';

export function redisUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDIS_URL ?? DEFAULT_REDIS_URL;
}

/** Shown without the password: URLs may carry one. */
export function displayUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//[redacted]@');
}

/**
 * A connection for BullMQ (maxRetriesPerRequest null, as its workers require), opened and pinged
 * before returning so an absent Redis is one clear NotConnectedError (CLI exit 3), not a retry loop.
 */
export async function connectRedis(url: string = redisUrl(), timeoutMs = 3000): Promise<Redis> {
  const client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: null, connectTimeout: timeoutMs, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined); // surfaced by connect() below, not as an unhandled event
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    client.disconnect();
    throw new NotConnectedError('REDIS_UNREACHABLE', `Redis is not reachable at ${displayUrl(url)} (${e instanceof Error ? e.message : String(e)}): ${START_HINT}`);
  }
  return client;
}
