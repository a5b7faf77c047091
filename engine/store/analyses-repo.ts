import type { Db } from './journal';
import { stmt } from './statement-cache';

/** Analyses and their ranked candidates; execution reads today's latest. */
export class AnalysesRepo {
  constructor(private readonly db: Db) {}

  save<T extends { config_hash: string; as_of: number; symbols: ReadonlyArray<{ symbol: string; candidates: ReadonlyArray<{ strategy: string; expiry: string; score: number }> }> }>(id: string, tradingDate: string, result: T): void {
    this.db.transaction(() => {
      stmt(this.db, 'INSERT OR REPLACE INTO analyses (id, config_hash, as_of, trading_date, result_json) VALUES (?, ?, ?, ?, ?)').run(id, result.config_hash, result.as_of, tradingDate, JSON.stringify(result));
      stmt(this.db, 'DELETE FROM candidates WHERE analysis_id = ?').run(id);
      const ins = stmt(this.db, 'INSERT INTO candidates (analysis_id, symbol, rank, strategy, expiry, score, candidate_json) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const s of result.symbols) s.candidates.forEach((c, i) => ins.run(id, s.symbol, i + 1, c.strategy, c.expiry, c.score, JSON.stringify(c)));
    })();
  }

  latest<T>(tradingDate: string): { id: string; config_hash: string; result: T } | null {
    const r = stmt<[string], { id: string; config_hash: string; result_json: string }>(this.db, 'SELECT id, config_hash, result_json FROM analyses WHERE trading_date = ? ORDER BY as_of DESC LIMIT 1').get(tradingDate);
    return r ? { id: r.id, config_hash: r.config_hash, result: JSON.parse(r.result_json) as T } : null;
  }
}
