import type { TaskName } from '../config/types';
import type { KillSwitch } from '../risk/kill-switch';
import type { AlertRaiser } from '../alerts/alert';
import type { Clock } from '../shared/clock';
import { errorMessage } from '../shared/errors';
import { isJournalFailure, sqliteCode } from '../store/journal-errors';
import type { Db } from '../store/journal';
import { fillReserve, releaseReserve, RESERVE_BYTES, restoreReserveIfRoom } from '../store/journal-reserve';

/** What still runs while the journal cannot take writes: the tasks that watch and close open positions. */
export const ESSENTIAL_TASKS: ReadonlySet<TaskName> = new Set<TaskName>(['unified_monitor', 'sync_positions', 'health_check']);

export interface JournalFailure {
  readonly at: number;
  readonly code: string;
  readonly message: string;
  readonly halt: 'persisted' | 'in_memory';
  readonly released_bytes: number;
}

export interface JournalGuardOptions {
  readonly db: Db;
  readonly killSwitch: KillSwitch;
  readonly alerts: AlertRaiser;
  readonly clock: Clock;
  readonly log: (line: string) => void;
  /** After the reserve made room: look at the positions again now rather than at the next interval. */
  readonly afterRelease?: () => void;
  readonly reserveBytes?: number;
}

const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;

/**
 * The journal fails closed at run time. The first write that fails for lack of space or an I/O
 * error (or reads corruption) anywhere in the engine:
 * - releases the journal's reserve, so closing orders, fills and decisions still find room;
 * - halts new entries through the kill switch, persisted when the journal takes that write, in
 *   this process's memory otherwise;
 * - raises one `critical` alert naming the journal's path and what to do;
 * - leaves out every task that does not watch or close positions until the journal has room again.
 * `tick` (on a timer) notices the room coming back: the reserve is restored, a halt held in memory
 * is written, and it says so; the halt itself stays until an operator runs `thetadesk resume`.
 */
export class JournalGuard {
  private failure: JournalFailure | null = null;
  private repeats = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly o: JournalGuardOptions) {}

  get file(): string {
    return this.o.db.name;
  }

  get failed(): JournalFailure | null {
    return this.failure;
  }

  /** Fills the reserve when the engine starts; a journal without room for it is already a failure. */
  prepare(): void {
    try {
      fillReserve(this.o.db, this.o.reserveBytes ?? RESERVE_BYTES);
    } catch (e) {
      if (!this.inspect(e)) throw e;
    }
  }

  /** For every error the engine meets: true when it was the journal failing (then it is handled here). */
  inspect(e: unknown): boolean {
    if (!isJournalFailure(e)) return false;
    if (this.failure) {
      this.repeats++;
      return true;
    }
    const now = this.o.clock.now();
    const code = sqliteCode(e) ?? 'SQLITE_ERROR';
    // Errors that crossed BullMQ's failed event can carry their class name in the message.
    const message = errorMessage(e).replace(/^SqliteError: /, '');
    let released = 0;
    try {
      released = releaseReserve(this.o.db);
    } catch {
      // an I/O error may refuse this too: the halt below still happens, in memory if need be
    }
    const reason = `journal ${this.file} failed a write (${code}: ${message})`;
    const halt = this.o.killSwitch.haltBestEffort(`${reason}; free space or fix the disk, then thetadesk resume`, now);
    this.failure = { at: now, code, message, halt, released_bytes: released };
    const line = `journal ${this.file}: write failed (${code}: ${message}): new entries halted (${halt === 'persisted' ? 'persisted in the journal' : 'in this process only: the journal refused that write too'}); ${released > 0 ? `released the ${mb(released)} reserve so exits can still be journaled` : 'no reserve left to release'}; only ${[...ESSENTIAL_TASKS].join(', ')} and orders run; free disk space (or restore the journal), then \`thetadesk resume\``;
    this.o.log(line);
    void this.o.alerts.raise({ severity: 'critical', kind: 'journal_failure', message: line });
    if (released > 0) this.o.afterRelease?.();
    return true;
  }

  /** The task filter while failed (engine/queue/task-processor.ts `admit`). */
  admit(task: TaskName): string | null {
    if (!this.failure || ESSENTIAL_TASKS.has(task)) return null;
    return `the journal ${this.file} failed a write (${this.failure.code}) at ${new Date(this.failure.at).toISOString()}; until it has room only ${[...ESSENTIAL_TASKS].join(', ')} and orders run`;
  }

  /** Checks whether the journal has room again (on a timer while failed). */
  tick(): boolean {
    const f = this.failure;
    if (!f) return true;
    if (!restoreReserveIfRoom(this.o.db, this.o.reserveBytes ?? RESERVE_BYTES)) return false;
    const persisted = this.o.killSwitch.persistPending(this.o.clock.now());
    if (!persisted) return false;
    this.failure = null;
    const line = `journal ${this.file}: takes writes again (failed ${new Date(f.at).toISOString()}, ${this.repeats} more failed writes since); reserve restored; entries stay halted until \`thetadesk resume\``;
    this.repeats = 0;
    this.o.log(line);
    void this.o.alerts.raise({ severity: 'warning', kind: 'journal_failure', message: line });
    return true;
  }

  status(): { readonly ok: boolean; readonly detail: string } {
    const f = this.failure;
    if (!f) return { ok: true, detail: `journal ${this.file} ok` };
    return { ok: false, detail: `journal ${this.file} failed a write (${f.code}: ${f.message}) at ${new Date(f.at).toISOString()}; entries halted (${f.halt === 'persisted' ? 'persisted' : 'in memory'})` };
  }

  start(intervalMs = 15_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch {
        // still failing: the next tick tries again
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
