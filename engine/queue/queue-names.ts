import { ConfigError } from '../shared/errors';

/** BullMQ queue names and job retention: Redis keeps a bounded tail, the journal is the record. */
export const TASKS_QUEUE = 'tasks';
export const ORDERS_QUEUE = 'orders';
export const DEFAULT_PREFIX = 'thetadesk';

export const RETENTION = {
  removeOnComplete: { age: 7 * 86_400, count: 1_000 },
  removeOnFail: { age: 30 * 86_400, count: 5_000 },
} as const;

/** BullMQ refuses custom job ids containing ':' (its key separator). */
export const safeJobId = (id: string): string => id.replace(/:/g, '_');

/** A key prefix of its own: never empty (un-namespaced keys in a shared Redis), never a key separator. */
export const PREFIX_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export function checkPrefix(prefix: string): string {
  if (!PREFIX_PATTERN.test(prefix)) throw new ConfigError('E_PREFIX', `--prefix must match ^[A-Za-z0-9_.-]{1,64}$ (1 to 64 letters, digits, _ . -), got ${JSON.stringify(prefix)}`);
  return prefix;
}
