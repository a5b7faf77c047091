export interface ReconnectPolicy {
  /** First wait after a loss. */
  readonly initialMs: number;
  /** The cap the doubling stops at. */
  readonly maxMs: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { initialMs: 1000, maxMs: 30_000 };

/** Waits before attempt n (0-based): doubling from initialMs, capped at maxMs. */
export function backoffMs(policy: ReconnectPolicy, attempt: number): number {
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
}

export interface ReconnectorOptions {
  readonly policy?: Partial<ReconnectPolicy>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly connect: () => Promise<void>;
  readonly onRestored: () => void;
  readonly log: (line: string) => void;
  /** A refusal retrying cannot fix (client id in use, a live account refused): the loop stops. */
  readonly onGiveUp?: (e: unknown) => void;
}

/** Errors that say "fix, do not retry" (ConfigError and the like carry retryable = false). */
const isFinal = (e: unknown): boolean => typeof e === 'object' && e !== null && 'retryable' in e && (e as { retryable: unknown }).retryable === false;

/**
 * Reconnects after a lost socket until it succeeds or is stopped: IB Gateway restarts nightly and
 * networks blink, and a trading engine that gives up on the first failure misses its stops.
 */
export class IbReconnector {
  private running = false;
  private stopped = false;
  private readonly policy: ReconnectPolicy;

  constructor(private readonly o: ReconnectorOptions) {
    this.policy = { ...DEFAULT_RECONNECT, ...o.policy };
  }

  get active(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
  }

  private async loop(): Promise<void> {
    try {
      for (let attempt = 0; !this.stopped; attempt++) {
        const wait = backoffMs(this.policy, attempt);
        this.o.log(`IB connection lost: reconnecting in ${wait} ms (attempt ${attempt + 1})`);
        await this.o.sleep(wait);
        if (this.stopped) return;
        try {
          await this.o.connect();
          this.o.log('IB connection restored: reconciling before any new order');
          this.o.onRestored();
          return;
        } catch (e) {
          this.o.log(`IB reconnect attempt ${attempt + 1} failed: ${e instanceof Error ? e.message : String(e)}`);
          if (isFinal(e)) {
            this.o.log('IB reconnect stopped: retrying cannot fix this; fix it and restart');
            this.o.onGiveUp?.(e);
            return;
          }
        }
      }
    } finally {
      this.running = false;
    }
  }
}
