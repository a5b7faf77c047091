import type { Db } from './journal';
import { stmt } from './statement-cache';

export interface RiskRefusal {
  readonly at: number;
  readonly intent_id: string;
  readonly kind: string;
  readonly symbol: string;
  /** `intent`: refused when made; `send`: refused at the re-check just before sending. */
  readonly stage: 'intent' | 'send';
  readonly reasons: readonly string[];
}

/** Every refusal by the risk manager, with its reasons. */
export class RiskRefusalsRepo {
  constructor(private readonly db: Db) {}

  record(r: RiskRefusal): void {
    stmt(this.db, 'INSERT INTO risk_refusals (at, intent_id, kind, symbol, stage, reasons_json) VALUES (?, ?, ?, ?, ?, ?)').run(r.at, r.intent_id, r.kind, r.symbol, r.stage, JSON.stringify(r.reasons));
  }

  since(ms: number): RiskRefusal[] {
    return stmt<[number], { at: number; intent_id: string; kind: string; symbol: string; stage: 'intent' | 'send'; reasons_json: string }>(this.db, 'SELECT * FROM risk_refusals WHERE at >= ? ORDER BY at, id')
      .all(ms)
      .map((r) => ({ at: r.at, intent_id: r.intent_id, kind: r.kind, symbol: r.symbol, stage: r.stage, reasons: JSON.parse(r.reasons_json) as string[] }));
  }
}
