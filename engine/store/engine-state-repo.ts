import type { Db } from './journal';
import { stmt } from './statement-cache';

/** Small durable key/value state of the engine (circuit breaker, halt switch), JSON values. */
export class EngineStateRepo {
  private readonly readStmt;
  private readonly writeStmt;

  constructor(db: Db) {
    this.readStmt = stmt<[string], { value_json: string }>(db, 'SELECT value_json FROM engine_state WHERE key = ?');
    this.writeStmt = stmt<[string, string, number]>(db, 
      'INSERT INTO engine_state (key, value_json, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at',
    );
  }

  get<T>(key: string): T | null {
    const r = this.readStmt.get(key);
    return r ? (JSON.parse(r.value_json) as T) : null;
  }

  set(key: string, value: unknown, nowMs: number): void {
    this.writeStmt.run(key, JSON.stringify(value), nowMs);
  }
}
