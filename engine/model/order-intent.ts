import { createHash } from 'node:crypto';
import type { StrategyName, Urgency } from './strategy-names';
import type { ComboLeg } from './leg';

export const INTENT_KINDS = ['open', 'close', 'reduce', 'roll'] as const;
export type IntentKind = (typeof INTENT_KINDS)[number];

/** What the engine wants done: one combo order, identified deterministically. */
export interface OrderIntent {
  /** Deterministic id, carried to the broker as orderRef. */
  readonly id: string;
  readonly kind: IntentKind;
  /** The strategy position it closes/reduces; for `open` the id the new position will get. */
  readonly position_id: string;
  readonly symbol: string;
  readonly strategy: StrategyName;
  readonly legs: readonly ComboLeg[];
  readonly quantity: number;
  readonly urgency: Urgency;
  /** Spread width in points (floors are a share of it). */
  readonly width: number;
  /** Entry context for the position an `open` creates. */
  readonly context: {
    readonly entry_iv: number | null;
    readonly entry_vix: number | null;
    /** Opens: the expected max loss in dollars (risk is checked again with it just before sending). */
    readonly max_loss?: number;
    /** Opens: the legs' signed deltas when the entry was decided, aligned with `legs` (the position keeps them). */
    readonly entry_deltas?: readonly (number | null)[];
  };
  readonly config_hash: string;
}

export interface IntentIdParts {
  readonly task: string;
  /** YYYY-MM-DD exchange date. */
  readonly trading_date: string;
  readonly symbol: string;
  readonly strategy: string;
  /** The rule that fired, or the candidate's identity (expiry and strikes). */
  readonly subject: string;
}

/**
 * The same decision on the same day always yields the same id: a re-run of the job, a retry or a
 * restart finds the intent (and the broker order carrying it) instead of creating a second one.
 * Readable prefix for people, hash suffix for uniqueness; fits IB's orderRef.
 */
export function intentId(p: IntentIdParts): string {
  const h = createHash('sha256').update([p.task, p.trading_date, p.symbol, p.strategy, p.subject].join('|')).digest('hex').slice(0, 16);
  return `${p.trading_date}-${p.symbol}-${p.strategy}-${h}`;
}
