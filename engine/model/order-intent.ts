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
    /** A roll sent as one combo: which legs close the old position, which open the new one. */
    readonly roll?: RollSplit;
    /** An open that replaces a rolled position (sent after its close filled): the old position's id. */
    readonly rolled_from?: string;
  };
  readonly config_hash: string;
  /**
   * Sent only after this intent filled completely (a roll's open after its close); dropped, never
   * sent, when that one ends any other way. Absent or null: sent at once.
   */
  readonly after_intent?: string | null;
}

/**
 * A roll combo's legs are the old position's closing legs (the first `close_legs`) then the new
 * position's opening legs. Its one net price is split between the two at the mids planned when the
 * roll was decided, the difference from the plan shared equally, unless the broker reports leg prices.
 */
export interface RollSplit {
  readonly to_position_id: string;
  readonly close_legs: number;
  /** Signed per-share mids (IB convention) of the closing and opening parts when planned. */
  readonly close_mid: number;
  readonly open_mid: number;
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
