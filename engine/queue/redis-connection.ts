import IORedis, { type Redis, type RedisOptions } from 'ioredis';
import { parseDuration } from '../config/duration';
import { ConfigError, NotConnectedError } from '../shared/errors';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const START_HINT = 'start it with `redis-server --daemonize yes --port 6379 --save "" --appendonly no` or set REDIS_URL';

/**
 * Deadline of one Redis command (THETADESK_REDIS_TIMEOUT overrides it): a Redis that accepts but
 * never answers is an outage, not a hang. Not shorter: a busy process can leave its event loop for
 * a second or two, and the deadline must not fire on an answer that is waiting to be read.
 */
export const DEFAULT_COMMAND_TIMEOUT_MS = 5_000;
/** The engine's queue connections: a job's enqueue failing on a merely slow answer would be worse than waiting longer. */
export const ENGINE_COMMAND_TIMEOUT_MS = 10_000;
/**
 * Worker connections block (BZPOPMIN up to 10 s, XREAD BLOCK 10 s) and BullMQ races those against its
 * own watchdog; their deadline only has to be longer than the longest block.
 */
export const BLOCKING_COMMAND_TIMEOUT_MS = 15_000;
/** Reconnect backoff of long-lived connections: 100 ms doubling, capped. */
export const RECONNECT_CAP_MS = 2_000;

export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.max(0, attempt - 1), RECONNECT_CAP_MS);
}

/** Shown without the password: URLs may carry one. */
export function displayUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//[redacted]@');
}

/**
 * REDIS_URL, checked: a malformed one is an input error (exit 1), never reported as an unreachable
 * Redis (exit 3) after ioredis has guessed at it.
 */
export function redisUrl(env: NodeJS.ProcessEnv = process.env): string {
  const text = env.REDIS_URL;
  if (text === undefined || text === '') return DEFAULT_REDIS_URL;
  const problem = redisUrlProblem(text);
  if (problem) throw new ConfigError('E_REDIS_URL', `REDIS_URL "${displayUrl(text)}" is malformed: ${problem}; expected redis://[user:password@]host[:port][/db] or rediss://…`);
  return text;
}

export function redisUrlProblem(text: string): string | null {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') return `scheme "${u.protocol.replace(/:$/, '')}" is not redis or rediss`;
  if (u.hostname === '') return 'no host';
  if (u.port !== '' && !(Number(u.port) >= 1 && Number(u.port) <= 65535)) return `port ${u.port} is out of range`;
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) return `database "${db}" is not a number`;
  if (u.search !== '' || u.hash !== '') return 'query strings and fragments are not supported';
  return null;
}

/** THETADESK_REDIS_TIMEOUT (a duration like 3s), else the default. */
export function commandTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.THETADESK_REDIS_TIMEOUT;
  if (text === undefined || text === '') return DEFAULT_COMMAND_TIMEOUT_MS;
  const ms = parseDuration(text);
  if (ms === null || ms < 100 || ms > 120_000) throw new ConfigError('E_REDIS_TIMEOUT', `THETADESK_REDIS_TIMEOUT "${text}" must be a duration from 100ms to 2m, like 3s`);
  return ms;
}

export interface ConnectOptions {
  /**
   * `cli`: one attempt, fail fast (a command exits 3). `engine`: the first connect fails fast too (a
   * `run` without Redis exits 3 at once), but once it has worked every loss is retried with capped
   * backoff, on this connection and on every duplicate of it.
   */
  readonly role?: 'cli' | 'engine';
  readonly connectTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
}

/** What a duplicate for a BullMQ worker or QueueEvents overrides (BullMQ's guidance for blocking consumers). */
export const BLOCKING_OVERRIDES: Partial<RedisOptions> = { maxRetriesPerRequest: null, enableOfflineQueue: true, commandTimeout: BLOCKING_COMMAND_TIMEOUT_MS };

/** The URL the last connectRedis() of this process used (for naming it in a timeout that surfaces later). */
let lastUrl: string = DEFAULT_REDIS_URL;
export const lastRedisUrl = (): string => lastUrl;

/**
 * A connection for BullMQ, opened and pinged before returning, so an absent Redis is one clear
 * NotConnectedError (CLI exit 3). Every command has a deadline (`commandTimeout`); producers fail at
 * once while the link is down (`enableOfflineQueue: false`) instead of queueing work in memory;
 * `maxRetriesPerRequest: null` as BullMQ requires of connections its workers duplicate.
 */
export async function connectRedis(url?: string, timeoutOrOptions: number | ConnectOptions = {}): Promise<Redis> {
  const target = url ?? redisUrl();
  const o: ConnectOptions = typeof timeoutOrOptions === 'number' ? { connectTimeoutMs: timeoutOrOptions } : timeoutOrOptions;
  const deadline = o.commandTimeoutMs ?? (o.role === 'engine' && !process.env.THETADESK_REDIS_TIMEOUT ? ENGINE_COMMAND_TIMEOUT_MS : commandTimeoutMs());
  let everReady = false;
  const client = new IORedis(target, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    enableOfflineQueue: false,
    connectTimeout: o.connectTimeoutMs ?? deadline,
    commandTimeout: deadline,
    // Duplicates share this function, so they reconnect too once the first connection has worked.
    retryStrategy: o.role === 'engine' ? (times: number) => (everReady ? reconnectDelay(times) : null) : () => null,
  });
  // Surfaced by connect() below (the first one says why: ECONNREFUSED beats "Connection is closed") and by the engine's outage monitor.
  let firstError: string | null = null;
  client.on('error', (e: Error) => (firstError ??= e.message));
  // A stopped redis-server still accepts connections (the kernel does): then it is not answering, not absent.
  let socketUp = false;
  client.once('connect', () => (socketUp = true));
  lastUrl = target;
  let timer: NodeJS.Timeout | undefined;
  const firstAnswer = o.connectTimeoutMs ?? deadline;
  try {
    // ioredis's own timeouts do not cover its ready check against a frozen server: one deadline for all of it.
    await Promise.race([
      (async () => {
        await client.connect();
        await client.ping();
      })(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Command timed out (no answer within ${firstAnswer} ms)`)), firstAnswer))),
    ]);
  } catch (e) {
    closeRedis(client);
    const msg = firstError ?? (e instanceof Error ? e.message : String(e));
    if (socketUp || /timed out/i.test(msg)) throw new NotConnectedError('REDIS_TIMEOUT', `Redis at ${displayUrl(target)} accepted the connection but did not answer within ${firstAnswer} ms: is redis-server stopped or overloaded? (${msg})`);
    throw new NotConnectedError('REDIS_UNREACHABLE', `Redis is not reachable at ${displayUrl(target)} (${msg}): ${START_HINT}`);
  } finally {
    if (timer) clearTimeout(timer);
  }
  everReady = true;
  return client;
}

/**
 * Closes a connection at once. ioredis's disconnect() half-closes the socket and waits for the
 * server's answer, which a frozen server never sends: the process would linger after its exit.
 */
export function closeRedis(client: Redis): void {
  client.disconnect();
  (client as unknown as { stream?: { destroy(): void } }).stream?.destroy();
}

const CONNECTION_ERRORS = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|Connection is closed|Command timed out|Stream isn't writeable|max retries per request|Socket closed unexpectedly|LOADING|Ready check failed|Connection timeout|Socket timeout/i;

/** True for errors that say Redis is unreachable or not answering (not a bug, not a bad request). */
export function isRedisConnectionError(e: unknown): boolean {
  if (e instanceof NotConnectedError) return e.code.startsWith('REDIS_');
  const err = e as { message?: unknown; code?: unknown; name?: unknown } | null;
  if (!err || typeof err !== 'object') return false;
  if (err.name === 'MaxRetriesPerRequestError' || err.name === 'ConnectionClosedError') return true;
  return CONNECTION_ERRORS.test(String(err.message ?? '')) || CONNECTION_ERRORS.test(String(err.code ?? ''));
}

/** A Redis error that surfaced mid-command, as the NotConnectedError a CLI exits 3 on (one line, naming the URL). */
export function asRedisUnavailable(e: unknown): NotConnectedError | null {
  if (e instanceof NotConnectedError) return e.code.startsWith('REDIS_') ? e : null;
  if (!isRedisConnectionError(e)) return null;
  const msg = e instanceof Error ? e.message : String(e);
  if (/timed out/i.test(msg)) return new NotConnectedError('REDIS_TIMEOUT', `Redis at ${displayUrl(lastUrl)} did not answer a command within its deadline (${msg}): is redis-server stopped or overloaded?`);
  return new NotConnectedError('REDIS_UNREACHABLE', `Redis at ${displayUrl(lastUrl)} went away (${msg}): ${START_HINT}`);
}
