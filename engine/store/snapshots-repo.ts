import type { Db } from './journal';
import { stmt } from './statement-cache';

export type SnapshotKind = 'option' | 'index';

export interface SnapshotRecord<T = unknown> {
  readonly at: number;
  readonly trading_date: string;
  readonly kind: SnapshotKind;
  readonly symbol: string;
  readonly data: T;
}

/** Compact market snapshots taken during the day (collect_* tasks), read back by data-quality checks. */
export class SnapshotsRepo {
  constructor(private readonly db: Db) {}

  add<T>(s: SnapshotRecord<T>): void {
    stmt(this.db, 'INSERT INTO market_snapshots (at, trading_date, kind, symbol, data_json) VALUES (?, ?, ?, ?, ?)').run(s.at, s.trading_date, s.kind, s.symbol, JSON.stringify(s.data));
  }

  ofDay<T>(tradingDate: string, kind: SnapshotKind): Array<SnapshotRecord<T>> {
    return stmt<[string, string], { at: number; trading_date: string; kind: SnapshotKind; symbol: string; data_json: string }>(this.db, 'SELECT at, trading_date, kind, symbol, data_json FROM market_snapshots WHERE trading_date = ? AND kind = ? ORDER BY symbol, at, id')
      .all(tradingDate, kind)
      .map((r) => ({ at: r.at, trading_date: r.trading_date, kind: r.kind, symbol: r.symbol, data: JSON.parse(r.data_json) as T }));
  }

  /** IV history points (one per symbol and date; a reload replaces). */
  saveIvHistory(symbol: string, points: ReadonlyArray<{ date: string; iv: number }>, nowMs: number): number {
    const ins = stmt(this.db, 'INSERT INTO iv_history (symbol, date, iv, loaded_at) VALUES (?, ?, ?, ?) ON CONFLICT (symbol, date) DO UPDATE SET iv = excluded.iv, loaded_at = excluded.loaded_at');
    this.db.transaction(() => {
      for (const p of points) ins.run(symbol, p.date, p.iv, nowMs);
    })();
    return points.length;
  }

  ivHistory(symbol: string): Array<{ date: string; iv: number }> {
    return stmt<[string], { date: string; iv: number }>(this.db, 'SELECT date, iv FROM iv_history WHERE symbol = ? ORDER BY date').all(symbol);
  }
}
