import type { CircuitBreakerConfig } from '../config/types';
import type { EngineStateStore } from './engine-state-store';

export type BreakerState = 'closed' | 'open' | 'half_open';

interface Persisted {
  readonly state: 'closed' | 'open';
  /** Failure instants inside the window (closed state). */
  readonly failures: readonly number[];
  readonly opened_at: number | null;
  /** Successes counted since the cool-down ended (half-open). */
  readonly half_open_successes: number;
}

const KEY = 'circuit_breaker';
const INITIAL: Persisted = { state: 'closed', failures: [], opened_at: null, half_open_successes: 0 };

/**
 * Opens after `failures` failures within `window`, is half-open once `cooldown` has passed since it
 * opened, and closes after `half_open_successes` successes; a failure while half-open opens it
 * again. Every transition is written to the store, so a restart resumes the same state.
 */
export class CircuitBreaker {
  constructor(
    private readonly cfg: CircuitBreakerConfig,
    private readonly store: EngineStateStore,
  ) {}

  private load(): Persisted {
    return this.store.get<Persisted>(KEY) ?? INITIAL;
  }

  state(nowMs: number): BreakerState {
    const p = this.load();
    if (p.state === 'open') return p.opened_at !== null && nowMs - p.opened_at >= this.cfg.cooldown_ms ? 'half_open' : 'open';
    return 'closed';
  }

  /** New orders may be sent (closing and reducing orders pass regardless; see the risk manager). */
  allowsOpening(nowMs: number): boolean {
    return this.state(nowMs) !== 'open';
  }

  recordFailure(nowMs: number): BreakerState {
    const p = this.load();
    const s = this.state(nowMs);
    if (s === 'half_open') {
      this.store.set(KEY, { ...INITIAL, state: 'open', opened_at: nowMs }, nowMs);
      return 'open';
    }
    if (s === 'open') return 'open';
    const failures = [...p.failures.filter((t) => nowMs - t < this.cfg.window_ms), nowMs];
    if (failures.length >= this.cfg.failures) {
      this.store.set(KEY, { ...INITIAL, state: 'open', opened_at: nowMs }, nowMs);
      return 'open';
    }
    this.store.set(KEY, { ...p, failures }, nowMs);
    return 'closed';
  }

  recordSuccess(nowMs: number): BreakerState {
    const p = this.load();
    const s = this.state(nowMs);
    if (s !== 'half_open') return s;
    const successes = p.half_open_successes + 1;
    if (successes >= this.cfg.half_open_successes) {
      this.store.set(KEY, INITIAL, nowMs);
      return 'closed';
    }
    this.store.set(KEY, { ...p, half_open_successes: successes }, nowMs);
    return 'half_open';
  }
}
