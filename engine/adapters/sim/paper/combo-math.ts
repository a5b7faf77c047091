import type { ComboLeg } from '../../../model/leg';
import { aggregateCombo } from '../../../market/combo';
import type { OptionQuote } from '../../../market/market-data';

const sign = (l: { action: 'BUY' | 'SELL' }): number => (l.action === 'BUY' ? 1 : -1);

export function intrinsic(right: 'P' | 'C', strike: number, spot: number): number {
  return right === 'C' ? Math.max(0, spot - strike) : Math.max(0, strike - spot);
}

/**
 * Signed prices of BUYING the combo at mid and natural (what trades at once); null when a leg
 * bought has no ask. A leg sold with no bid trades at 0, as a market maker takes a worthless wing.
 */
export function comboPrices(legs: readonly ComboLeg[], quotes: readonly (OptionQuote | undefined)[]): { mid: number; natural: number } | null {
  const a = aggregateCombo(legs, quotes, { soldWithoutBidAtZero: true });
  return Number.isFinite(a.mid) && Number.isFinite(a.natural) ? { mid: a.mid, natural: a.natural } : null;
}

/** Expiry payoff per share of the legs (one combo) at an underlying price. */
export function payoffAt(legs: readonly ComboLeg[], spot: number): number {
  return legs.reduce((s, l) => s + sign(l) * l.ratio * intrinsic(l.right, l.strike, spot), 0);
}

/**
 * Lowest and highest expiry payoff per share over all spots. Payoffs are piecewise linear in spot,
 * so the kinks (strikes) and the two ends decide; past the highest strike a falling payoff has no
 * floor (naked calls) and a rising one no ceiling (long calls).
 */
function payoffRange(legs: readonly ComboLeg[]): { min: number; max: number } {
  const strikes = legs.map((l) => l.strike);
  const top = Math.max(...strikes, 1);
  const far = top * 10;
  const slope = payoffAt(legs, far) - payoffAt(legs, top * 2);
  const values = [0, ...strikes, far].map((x) => payoffAt(legs, x));
  return {
    min: slope < -1e-9 ? Number.NEGATIVE_INFINITY : Math.min(...values),
    max: slope > 1e-9 ? Number.POSITIVE_INFINITY : Math.max(...values),
  };
}

/** Worst expiry outcome per share of holding the legs after paying `price` (signed): the max loss of a defined-risk spread. */
export function maxLossPerShare(legs: readonly ComboLeg[], price: number): number {
  return Math.max(0, price - payoffRange(legs).min);
}

/**
 * Best expiry outcome per share of holding the legs: what the combo can ever be worth (a vertical's
 * width). Infinite where the payoff keeps rising past the highest strike (a long call), or where
 * the legs expire on different days (a roll's later legs still hold time value at the first expiry).
 */
export function maxPayoffPerShare(legs: readonly ComboLeg[]): number {
  if (new Set(legs.map((l) => l.expiry)).size > 1) return Number.POSITIVE_INFINITY;
  return payoffRange(legs).max;
}

/**
 * Per-leg fill prices (unsigned, per share) consistent with the combo price AND with each leg's
 * quote: every leg sits the same fraction of the way from its mid to its natural side (the ask of a
 * bought leg, the bid of a sold one) as the combo price sits from the combo's mid to its natural.
 * A fill between mid and natural therefore prints every leg inside its bid/ask (IB reports legs that
 * way; a residual piled on one leg printed a short call at 2.18 against a 4.45/4.55 quote).
 */
export function legFillPrices(legs: readonly ComboLeg[], quotes: readonly (OptionQuote | undefined)[], comboPrice: number): number[] {
  const first = legs[0];
  if (!first) return [];
  const prices = comboPrices(legs, quotes);
  const mids = legs.map((_, i) => quotes[i]?.mid ?? 0);
  const span = prices ? prices.natural - prices.mid : 0;
  const t = prices && Math.abs(span) > 1e-12 ? (comboPrice - prices.mid) / span : 0;
  const raw = legs.map((l, i) => {
    const q = quotes[i];
    const natural = q ? (l.action === 'BUY' ? q.ask : q.bid) : null;
    return natural === null || natural === undefined ? (mids[i] ?? 0) : (mids[i] ?? 0) + t * (natural - (mids[i] ?? 0));
  });
  const legs4 = raw.map((x) => Number(x.toFixed(4)));
  // Rounding to 1/100 of a cent leaves a residual of at most a few of them: the first leg absorbs it.
  const implied = legs.reduce((s, l, i) => s + sign(l) * l.ratio * (legs4[i] ?? 0), 0);
  legs4[0] = Number(((legs4[0] ?? 0) + (comboPrice - implied) / (sign(first) * first.ratio)).toFixed(4));
  return legs4.map((x) => Math.max(0, x));
}
