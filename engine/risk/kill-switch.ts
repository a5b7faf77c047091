import type { EngineStateStore } from './engine-state-store';

export interface HaltState {
  readonly halted: boolean;
  readonly reason: string | null;
  readonly since: number | null;
}

const KEY = 'halt';

/** The manual kill switch (`thetadesk halt` / `resume`): persisted, so a restart stays halted. */
export class KillSwitch {
  constructor(private readonly store: EngineStateStore) {}

  get(): HaltState {
    return this.store.get<HaltState>(KEY) ?? { halted: false, reason: null, since: null };
  }

  halt(reason: string, nowMs: number): void {
    this.store.set(KEY, { halted: true, reason, since: nowMs }, nowMs);
  }

  resume(nowMs: number): void {
    this.store.set(KEY, { halted: false, reason: null, since: null }, nowMs);
  }
}
