import type { Queue } from 'bullmq';
import { RETENTION } from './queue-names';
import type { SchedulerSpec } from './scheduler-specs';

export interface SyncDiff {
  readonly added: string[];
  readonly updated: string[];
  readonly removed: string[];
  readonly unchanged: string[];
}

/**
 * Makes the queue's job schedulers exactly the specs: upsert what is new or changed, remove what is
 * no longer in the file. Unchanged schedulers are not touched, so running it twice changes nothing.
 */
export async function syncSchedulers(queue: Queue, specs: readonly SchedulerSpec[], configHash: string): Promise<SyncDiff> {
  const existing = new Map((await queue.getJobSchedulers(0, -1, true)).map((s) => [s.key, s]));
  const diff: SyncDiff = { added: [], updated: [], removed: [], unchanged: [] };
  for (const spec of specs) {
    const cur = existing.get(spec.id);
    existing.delete(spec.id);
    const data = cur?.template?.data as { config_hash?: string } | undefined;
    const same = cur !== undefined && cur.pattern === spec.pattern && cur.tz === spec.tz && cur.name === spec.task && data?.config_hash === configHash && cur.template?.opts?.priority === spec.priority;
    if (same) {
      diff.unchanged.push(spec.id);
      continue;
    }
    await queue.upsertJobScheduler(
      spec.id,
      { pattern: spec.pattern, tz: spec.tz },
      { name: spec.task, data: { task: spec.task, config_hash: configHash, params: {} }, opts: { priority: spec.priority, ...RETENTION } },
    );
    (cur ? diff.updated : diff.added).push(spec.id);
  }
  for (const orphan of existing.keys()) {
    await queue.removeJobScheduler(orphan);
    diff.removed.push(orphan);
  }
  return diff;
}
