import { checkPrefix } from '../../../engine/queue/queue-names';
import { asRedisUnavailable, commandTimeoutMs, isRedisConnectionError, reconnectDelay, redisUrl, redisUrlProblem } from '../../../engine/queue/redis-connection';
import { NotConnectedError } from '../../../engine/shared/errors';

describe('REDIS_URL', () => {
  it.each([
    ['redis://127.0.0.1:6379', null],
    ['redis://:secret@redis.internal:6380/2', null],
    ['rediss://user:pw@host', null],
    ['localhost:6379', 'scheme "localhost" is not redis or rediss'],
    ['http://127.0.0.1:6379', 'scheme "http" is not redis or rediss'],
    ['redis://', 'no host'],
    ['redis://127.0.0.1:99999', 'not a URL'],
    ['redis://127.0.0.1:6379/abc', 'database "abc" is not a number'],
    ['redis://127.0.0.1:6379?db=2', 'query strings and fragments are not supported'],
    ['127.0.0.1', 'not a URL'],
  ])('%s → %s', (url, problem) => {
    expect(redisUrlProblem(url)).toBe(problem);
  });

  it('should be an input error naming the value (password hidden), never "unreachable"', () => {
    expect(() => redisUrl({ REDIS_URL: 'redis//:hunter22@host' })).toThrow(expect.objectContaining({ kind: 'config', code: 'E_REDIS_URL' }));
    expect(() => redisUrl({ REDIS_URL: 'http://:hunter22@host:1' })).toThrow('REDIS_URL "http://[redacted]@host:1" is malformed: scheme "http" is not redis or rediss; expected redis://[user:password@]host[:port][/db] or rediss://…');
    expect(redisUrl({})).toBe('redis://127.0.0.1:6379');
  });
});

describe('--prefix', () => {
  it.each(['thetadesk', 'td-test.1_2', 'x'.repeat(64)])('should accept %s', (p) => expect(checkPrefix(p)).toBe(p));
  it.each(['', 'a:b', 'has space', 'x'.repeat(65), 'ünïcode', '{hash}'])('should refuse %j (exit 1)', (p) => {
    expect(() => checkPrefix(p)).toThrow(expect.objectContaining({ kind: 'config', code: 'E_PREFIX' }));
  });
});

describe('deadlines and backoff', () => {
  it('should back off from 100 ms doubling to a 2 s cap', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(reconnectDelay)).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });

  it.each([
    [{}, 5000],
    [{ THETADESK_REDIS_TIMEOUT: '1500ms' }, 1500],
  ])('should take the command deadline from %j', (env, ms) => expect(commandTimeoutMs(env)).toBe(ms));

  it.each(['0s', '5 seconds', '10m'])('should refuse THETADESK_REDIS_TIMEOUT=%s', (v) => {
    expect(() => commandTimeoutMs({ THETADESK_REDIS_TIMEOUT: v })).toThrow(expect.objectContaining({ code: 'E_REDIS_TIMEOUT' }));
  });
});

describe('which errors mean Redis is away', () => {
  it.each([
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }), true],
    [new Error('Connection is closed.'), true],
    [new Error('Command timed out'), true],
    [new Error("Stream isn't writeable and enableOfflineQueue options is false"), true],
    [new Error('LOADING Redis is loading the dataset in memory'), true],
    [new Error('Missing key for job 7. moveToFinished'), false],
    [new Error('WRONGTYPE Operation against a key holding the wrong kind of value'), false],
    [new NotConnectedError('IB_CONNECT', 'cannot connect to TWS'), false],
  ])('%s → %s', (e, away) => expect(isRedisConnectionError(e)).toBe(away));

  it('should turn a command timeout into exit 3 naming the URL, and leave other errors alone', () => {
    expect(asRedisUnavailable(new Error('Command timed out'))).toMatchObject({ kind: 'not_connected', code: 'REDIS_TIMEOUT' });
    expect(asRedisUnavailable(new Error('Command timed out'))?.message).toMatch(/^Redis at redis:\/\/\S+ did not answer a command within its deadline \(Command timed out\): is redis-server stopped or overloaded\?$/);
    expect(asRedisUnavailable(new Error('bad input'))).toBeNull();
  });
});
