import type { EngineStateStore } from './engine-state-store';

export interface HaltState {
  readonly halted: boolean;
  readonly reason: string | null;
  readonly since: number | null;
  /** When it was last lifted (`thetadesk resume`), epoch ms. */
  readonly resumed_at?: number | null;
  /** True when the halt lives only in this process (the journal refused to record it). */
  readonly in_memory?: boolean;
}

const KEY = 'halt';

/**
 * The kill switch (`thetadesk halt` / `resume`): persisted, so a restart stays halted. When the
 * journal cannot take the write (disk full, I/O error), `haltInMemory` halts this process anyway;
 * `persistPending` writes that halt once the journal takes writes again, unless an operator
 * resumed after it was made.
 */
export class KillSwitch {
  private memory: HaltState | null = null;

  constructor(private readonly store: EngineStateStore) {}

  get(): HaltState {
    if (this.memory) return this.memory;
    return this.store.get<HaltState>(KEY) ?? { halted: false, reason: null, since: null };
  }

  halt(reason: string, nowMs: number): void {
    this.store.set(KEY, { halted: true, reason, since: nowMs }, nowMs);
  }

  resume(nowMs: number): void {
    this.memory = null;
    this.store.set(KEY, { halted: false, reason: null, since: null, resumed_at: nowMs }, nowMs);
  }

  /** Halts: persisted when the store takes it, else in this process only. Says which. */
  haltBestEffort(reason: string, nowMs: number): 'persisted' | 'in_memory' {
    try {
      this.halt(reason, nowMs);
      return 'persisted';
    } catch {
      this.memory = { halted: true, reason, since: nowMs, in_memory: true };
      return 'in_memory';
    }
  }

  /** Writes an in-memory halt to the store (or drops it when an operator resumed since). True when nothing is pending any more. */
  persistPending(nowMs: number): boolean {
    const m = this.memory;
    if (!m) return true;
    try {
      const stored = this.store.get<HaltState>(KEY);
      if (!(stored?.resumed_at !== undefined && stored.resumed_at !== null && m.since !== null && stored.resumed_at > m.since)) this.halt(m.reason ?? 'halted', nowMs);
      this.memory = null;
      return true;
    } catch {
      return false;
    }
  }
}
