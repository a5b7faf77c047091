import { KillSwitch, type HaltState } from '../risk/kill-switch';
import { EngineStateRepo } from '../store/engine-state-repo';
import type { Db } from '../store/journal';
import { OperatorActionsRepo } from '../store/operator-actions-repo';

/** The persisted kill switch as it stands. */
export function haltState(db: Db): HaltState {
  return new KillSwitch(new EngineStateRepo(db)).get();
}

/** Halts new entries and journals who did it (`origin`: cli, or the dashboard with the caller's address). */
export function halt(db: Db, reason: string, origin: string, nowMs: number): HaltState {
  const s = new KillSwitch(new EngineStateRepo(db));
  db.transaction(() => {
    s.halt(reason, nowMs);
    new OperatorActionsRepo(db).record({ at: nowMs, action: 'halt', origin, detail: { reason } });
  })();
  return s.get();
}

/** Lifts a halt and journals who did it. */
export function resume(db: Db, origin: string, nowMs: number): HaltState {
  const s = new KillSwitch(new EngineStateRepo(db));
  db.transaction(() => {
    s.resume(nowMs);
    new OperatorActionsRepo(db).record({ at: nowMs, action: 'resume', origin, detail: {} });
  })();
  return s.get();
}
