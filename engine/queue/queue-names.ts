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
