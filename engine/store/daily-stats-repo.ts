import type { Db } from './journal';
import { stmt } from './statement-cache';

/** One row of statistics per trading day; recomputing a day replaces it. */
export class DailyStatsRepo {
  constructor(private readonly db: Db) {}

  save(tradingDate: string, stats: unknown, nowMs: number): void {
    stmt(this.db, 'INSERT INTO daily_stats (trading_date, stats_json, computed_at) VALUES (?, ?, ?) ON CONFLICT (trading_date) DO UPDATE SET stats_json = excluded.stats_json, computed_at = excluded.computed_at')
      .run(tradingDate, JSON.stringify(stats), nowMs);
  }

  get<T>(tradingDate: string): T | null {
    const r = stmt<[string], { stats_json: string }>(this.db, 'SELECT stats_json FROM daily_stats WHERE trading_date = ?').get(tradingDate);
    return r ? (JSON.parse(r.stats_json) as T) : null;
  }

  /** Every day's statistics, oldest first. */
  all<T>(): Array<{ trading_date: string; stats: T }> {
    return stmt<[], { trading_date: string; stats_json: string }>(this.db, 'SELECT trading_date, stats_json FROM daily_stats ORDER BY trading_date')
      .all()
      .map((r) => ({ trading_date: r.trading_date, stats: JSON.parse(r.stats_json) as T }));
  }

  /** Commissions of executions between two instants (epoch ms, end exclusive). */
  fees(fromMs: number, toMs: number): number {
    return stmt<[number, number], { f: number | null }>(this.db, 'SELECT SUM(commission) AS f FROM executions WHERE time >= ? AND time < ?').get(fromMs, toMs)?.f ?? 0;
  }
}
