/**
 * A session's replies held back by a delay (fault injection: a slow gateway). FIFO: a later reply
 * never overtakes an earlier one, even when the delay changes in between.
 */
export class DelayedOutbox {
  private readonly queue: Array<{ readonly due: number; readonly frame: Buffer }> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly write: (frame: Buffer) => void) {}

  get pending(): boolean {
    return this.queue.length > 0;
  }

  push(frame: Buffer, delayMs: number): void {
    const last = this.queue[this.queue.length - 1];
    this.queue.push({ due: Math.max(Date.now() + delayMs, last?.due ?? 0), frame });
    this.schedule();
  }

  /** Drops what is still held (the connection is gone). */
  clear(): void {
    this.queue.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    const head = this.queue[0];
    if (this.timer || !head) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const now = Date.now();
      while (this.queue[0] && this.queue[0].due <= now) this.write(this.queue.shift()!.frame);
      this.schedule();
    }, Math.max(0, head.due - Date.now()));
  }
}
