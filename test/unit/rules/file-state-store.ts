import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import type { PositionState, PositionStateStore } from '../../../engine/model/position';

/** A test double that persists to a JSON file, so a "restart" is just a new instance. */
export class FileStateStore implements PositionStateStore {
  constructor(private readonly file: string) {}

  private load(): Record<string, PositionState> {
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, PositionState>) : {};
  }

  private save(id: string, s: PositionState): PositionState {
    writeFileSync(this.file, JSON.stringify({ ...this.load(), [id]: s }));
    return s;
  }

  get(id: string): PositionState {
    return this.load()[id] ?? { peak_profit_pct: null, partial_taken: false };
  }

  observeProfit(id: string, p: number): PositionState {
    const cur = this.get(id);
    if (!Number.isFinite(p)) return cur;
    return this.save(id, { ...cur, peak_profit_pct: cur.peak_profit_pct === null ? p : Math.max(cur.peak_profit_pct, p) });
  }

  markPartialTaken(id: string): void {
    this.save(id, { ...this.get(id), partial_taken: true });
  }
}
