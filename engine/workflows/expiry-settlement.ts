import type { BrokerPosition } from '../model/broker-records';
import type { PositionLeg, Right } from '../model/leg';
import type { StrategyPositionRecord } from '../model/position';
import { exchangeDate, exchangeInstant } from '../shared/exchange-time';

/**
 * What happens to a journal position whose options expired: brokers settle them (the paper broker
 * in cash at intrinsic, IB by expiring or exercising them) without any order of ours, so no fill
 * ever closes the position. Pure: the clock and the broker's books are arguments.
 */

/** Options stop trading at 16:00 ET on their expiry date (the paper broker settles from then on). */
export const expiryCloseMs = (expiry: string): number => exchangeInstant(expiry, '16:00');

/** True once any leg's expiry close is behind the clock: the combo can no longer be traded as a whole. */
export function anyLegExpired(legs: readonly PositionLeg[], nowMs: number): boolean {
  return legs.some((l) => nowMs >= expiryCloseMs(l.expiry));
}

/** The position's last expiry: settled once this one's close has passed. */
export function lastExpiry(legs: readonly PositionLeg[]): string {
  return legs.reduce((m, l) => (l.expiry > m ? l.expiry : m), legs[0]?.expiry ?? '');
}

export function intrinsic(right: Right, strike: number, spot: number): number {
  return Math.max(0, right === 'P' ? strike - spot : spot - strike);
}

/** Per share, what buying the position back at intrinsic costs (a credit spread's debit is positive). */
export function intrinsicCloseValue(legs: readonly PositionLeg[], spot: number): number {
  return legs.reduce((s, l) => s + (l.action === 'SELL' ? 1 : -1) * l.ratio * intrinsic(l.right, l.strike, spot), 0);
}

/** Realized P&L of `quantity` sets settled at `closeValue` per share: no closing fee, there was no order. */
export function settlementPnl(entryCredit: number, closeValue: number, quantity: number, openingFees: number): number {
  return (entryCredit - closeValue) * 100 * quantity - openingFees;
}

const legKey = (symbol: string, l: { expiry: string; right: string; strike: number }): string => `${symbol} ${l.expiry} ${l.strike}${l.right}`;

export type ExpiryVerdict =
  /** Every leg is flat at the broker: the broker settled it; the journal records the settlement. */
  | { readonly kind: 'settle'; readonly position: StrategyPositionRecord; readonly expiry: string }
  /** Legs still held on expiry day after the close: the broker has not processed expiry yet (IB does overnight). */
  | { readonly kind: 'awaiting_broker'; readonly position: StrategyPositionRecord; readonly expiry: string; readonly held: readonly string[] }
  /** Legs still held after the expiry date (an assignment, a partial settlement): a person must look. */
  | { readonly kind: 'held_past_expiry'; readonly position: StrategyPositionRecord; readonly expiry: string; readonly held: readonly string[] };

/** Every open position past its (last) expiry close, with what to do about it. */
export function expiryVerdicts(open: readonly StrategyPositionRecord[], broker: readonly BrokerPosition[], nowMs: number): ExpiryVerdict[] {
  const held = new Map<string, number>();
  for (const b of broker) if (b.quantity !== 0) held.set(legKey(b.symbol, b), b.quantity);
  const out: ExpiryVerdict[] = [];
  for (const p of open) {
    const expiry = lastExpiry(p.legs);
    if (p.legs.length === 0 || nowMs < expiryCloseMs(expiry)) continue;
    const still = p.legs.map((l) => legKey(p.symbol, l)).filter((k) => held.has(k)).map((k) => `${k} ${held.get(k)}`);
    if (still.length === 0) out.push({ kind: 'settle', position: p, expiry });
    else if (exchangeDate(nowMs) <= expiry) out.push({ kind: 'awaiting_broker', position: p, expiry, held: still });
    else out.push({ kind: 'held_past_expiry', position: p, expiry, held: still });
  }
  return out;
}
