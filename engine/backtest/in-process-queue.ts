/** One job waiting in an in-process queue. */
interface Waiting<T> {
  readonly id: string;
  readonly name: string;
  readonly data: T;
  readonly priority: number;
  readonly seq: number;
  /** Runs left including this one (a task's max_attempts). */
  readonly attempts: number;
}

export interface InProcessJob<T> {
  readonly id: string;
  readonly name: string;
  readonly data: T;
  /** 1 on the first run. */
  readonly attempt: number;
}

export interface InProcessQueueOptions<T> {
  /** Runs one job; a throw fails it (retried while attempts remain, unless `retryable` says no). */
  readonly process: (job: InProcessJob<T>) => Promise<unknown>;
  readonly retryable: (e: unknown) => boolean;
  readonly onFailed: (job: InProcessJob<T>, e: unknown, final: boolean) => void;
}

/**
 * BullMQ's semantics for one queue with one worker of concurrency 1, in this process: lower
 * priority first, first in first out within a priority, a job id seen before adds nothing (the
 * runtime's ids are deterministic: an intent id, a fill's exec id), a failed job retried at once
 * while attempts remain. The worker picks the next job on a macrotask, as a BullMQ worker only
 * sees a job after a round trip: a task that submits an order finishes its synchronous stretch first.
 */
export class InProcessQueue<T> {
  private readonly waiting: Array<Waiting<T>> = [];
  private readonly seen = new Set<string>();
  private readonly outcomes = new Map<string, { readonly ok: boolean; readonly value: unknown }>();
  private seq = 0;
  private running: InProcessJob<T> | null = null;
  private scheduled = false;
  private closed = false;

  constructor(private readonly o: InProcessQueueOptions<T>) {}

  /** Adds a job; false when its id was added before. */
  add(name: string, data: T, opts: { readonly jobId: string; readonly priority: number; readonly attempts?: number }): boolean {
    if (this.seen.has(opts.jobId)) return false;
    this.seen.add(opts.jobId);
    this.push({ id: opts.jobId, name, data, priority: opts.priority, seq: this.seq++, attempts: Math.max(1, opts.attempts ?? 1) });
    return true;
  }

  /** Jobs waiting, and 1 while the worker runs one. */
  counts(): { readonly waiting: number; readonly active: number } {
    return { waiting: this.waiting.length, active: this.running ? 1 : 0 };
  }

  /** Nothing waits, nothing runs and no pick is pending. */
  get idle(): boolean {
    return this.waiting.length === 0 && !this.running && !this.scheduled;
  }

  /** What the job returned (`ok`) or threw, once it finished for good. */
  outcome(jobId: string): { readonly ok: boolean; readonly value: unknown } | undefined {
    return this.outcomes.get(jobId);
  }

  /** No job is picked any more (the one running finishes). */
  close(): void {
    this.closed = true;
  }

  private push(w: Waiting<T>): void {
    let i = this.waiting.findIndex((x) => x.priority > w.priority || (x.priority === w.priority && x.seq > w.seq));
    if (i < 0) i = this.waiting.length;
    this.waiting.splice(i, 0, w);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.running || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.next();
    });
  }

  private async next(): Promise<void> {
    const w = this.waiting.shift();
    if (!w || this.closed) return;
    const job: InProcessJob<T> = { id: w.id, name: w.name, data: w.data, attempt: this.attemptOf(w) };
    this.running = job;
    try {
      const value = await this.o.process(job);
      this.outcomes.set(w.id, { ok: true, value });
    } catch (e) {
      const retry = w.attempts > 1 && this.o.retryable(e);
      this.o.onFailed(job, e, !retry);
      if (retry) this.waiting.push({ ...w, attempts: w.attempts - 1, seq: this.seq++ });
      else this.outcomes.set(w.id, { ok: false, value: e });
      if (retry) this.waiting.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    } finally {
      this.running = null;
    }
    if (this.waiting.length > 0) this.schedule();
  }

  private readonly tries = new Map<string, number>();

  private attemptOf(w: Waiting<T>): number {
    const n = (this.tries.get(w.id) ?? 0) + 1;
    this.tries.set(w.id, n);
    return n;
  }
}
