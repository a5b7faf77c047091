import type { Clock } from '../../shared/clock';

export interface PacerOptions {
  /** IB disconnects clients sending more than 50 messages per second. */
  readonly messagesPerSecond: number;
  /** Simultaneous market-data lines of the account (IB's default allowance is 100). */
  readonly maxLines: number;
  readonly clock: Clock;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface LineLease {
  release(): void;
}

const WINDOW_MS = 1000;

/**
 * The one pacer every IB request goes through. Requests beyond the limits wait in FIFO order;
 * they never fail (a pacing violation from IB is what we are avoiding, not something to retry).
 */
export class IbPacer {
  private readonly sent: number[] = [];
  private chain: Promise<void> = Promise.resolve();
  private linesInUse = 0;
  private readonly lineWaiters: Array<() => void> = [];
  private readonly opts: PacerOptions;

  constructor(opts: Partial<PacerOptions> & Pick<PacerOptions, 'clock' | 'sleep'>) {
    this.opts = { messagesPerSecond: 50, maxLines: 100, ...opts };
    if (!(this.opts.messagesPerSecond >= 1) || !(this.opts.maxLines >= 1)) throw new RangeError('pacer limits must be at least 1');
  }

  get lines(): number {
    return this.linesInUse;
  }

  /** Resolves when one more message may be sent without exceeding the rate; callers send right after. */
  message(): Promise<void> {
    const turn = this.chain.then(() => this.waitForSlot());
    // The chain must survive a rejected sleep so later callers still get their turn.
    this.chain = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const now = this.opts.clock.now();
      while (this.sent.length > 0 && (this.sent[0] ?? 0) <= now - WINDOW_MS) this.sent.shift();
      if (this.sent.length < this.opts.messagesPerSecond) {
        this.sent.push(now);
        return;
      }
      await this.opts.sleep((this.sent[0] ?? now) + WINDOW_MS - now);
    }
  }

  /** Waits for a free market-data line, then for a message slot; release the lease when the data ended. */
  async acquireLine(): Promise<LineLease> {
    if (this.linesInUse >= this.opts.maxLines || this.lineWaiters.length > 0) {
      await new Promise<void>((resolve) => this.lineWaiters.push(resolve));
    } else {
      this.linesInUse += 1;
    }
    await this.message();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const next = this.lineWaiters.shift();
        // Hand the line straight to the next waiter so it cannot be overtaken.
        if (next) next();
        else this.linesInUse -= 1;
      },
    };
  }
}
