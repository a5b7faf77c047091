import { isActiveStatus, type IntentStatus } from '../model/intent-lifecycle';
import type { LegAction, Right } from '../model/leg';
import { exchangeDate, exchangeInstant } from '../shared/exchange-time';
import { tradingDaysBetween } from '../shared/market-calendar';
import type { Db } from '../store/journal';
import { IntentsRepo } from '../store/intents-repo';
import { PositionsRepo } from '../store/positions-repo';

/** The entry facts that come from the journal: what the engine already did on this underlying. */
export interface EntryJournalFacts {
  readonly open_positions_for_symbol: number;
  readonly open_positions_same_legs: number;
  readonly entries_today_for_symbol: number;
  readonly trading_days_since_losing_exit: number | null;
}

interface LegIdentity {
  readonly expiry: string;
  readonly right: Right;
  readonly strike: number;
  readonly action: LegAction;
  readonly ratio: number;
}

/** Same expiry, right, strike, side and ratio on every leg, in any order. */
export function legsKey(legs: readonly LegIdentity[]): string {
  return legs
    .map((l) => `${l.action}:${l.right}:${l.strike}:${l.expiry}:${l.ratio}`)
    .sort()
    .join('|');
}

/** An opening order that took, or may still take, a position: filled, partly filled, or working. */
const counts = (s: IntentStatus): boolean => isActiveStatus(s) || s === 'filled' || s === 'partially_filled';

/**
 * Reads the journal for the entry-discipline gates (#17: the engine re-entered a symbol 18 minutes
 * after a stop-loss and held two identical spreads at once). Opening orders still on the orders
 * queue are not in the journal yet; within one execute_strategies run a symbol gets one pick, and
 * the same pick on the same day is the same intent id, so neither can double an entry.
 */
export function entryJournalFacts(db: Db, symbol: string, legs: readonly LegIdentity[], nowMs: number): EntryJournalFacts {
  const positions = new PositionsRepo(db);
  const intents = new IntentsRepo(db);
  const today = exchangeDate(nowMs);
  const key = legsKey(legs);
  const open = positions.list('open').filter((p) => p.symbol === symbol);
  const openedToday = intents.opensFor(symbol, exchangeInstant(today, '00:00'));
  // An opening order still working has no position yet (it is applied when the order ends).
  const working = intents.opensFor(symbol, 0).filter((i) => isActiveStatus(i.status));
  const lastLoss = positions.lastLosingExitAt(symbol);
  return {
    open_positions_for_symbol: open.length,
    open_positions_same_legs: [...open, ...working].filter((p) => legsKey(p.legs) === key).length,
    // A roll's open replaces a position rather than adding one (a combo roll is not an `open` at all).
    entries_today_for_symbol: openedToday.filter((i) => counts(i.status) && !i.context.rolled_from).length,
    trading_days_since_losing_exit: lastLoss === null ? null : tradingDaysBetween(exchangeDate(lastLoss), today),
  };
}
