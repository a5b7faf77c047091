import type { CompiledConfig } from '../config/types';
import type { Db } from './journal';

/** The YAML every config hash was built from: any journaled decision can be traced to its rules text. */
export class ConfigSnapshotsRepo {
  constructor(private readonly db: Db) {}

  /** Stores the config's sources under its hash once; later calls with the same hash do nothing. */
  save(config: CompiledConfig, nowMs: number): void {
    this.db.prepare('INSERT INTO config_snapshots (hash, created_at, sources_json) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING').run(config.hash, nowMs, JSON.stringify(config.sources));
  }

  sources(hash: string): Array<{ file: string; text: string }> | null {
    const r = this.db.prepare<[string], { sources_json: string }>('SELECT sources_json FROM config_snapshots WHERE hash = ?').get(hash);
    return r ? (JSON.parse(r.sources_json) as Array<{ file: string; text: string }>) : null;
  }
}
