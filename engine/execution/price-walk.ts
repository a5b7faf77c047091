import type { OrdersConfig, OrderUrgency, WalkPolicy } from '../config/types';
import type { IntentKind } from '../model/order-intent';

/**
 * Price walking for one combo limit order. Prices are IB's signed net price per share (negative =
 * credit received, positive = debit paid); we always BUY the combo, so a HIGHER price is always
 * worse for us. The walk starts at mid and moves toward natural; the cap is the worst price the
 * floor rules allow.
 */
export interface WalkStep {
  /** Milliseconds after the first send. */
  readonly after_ms: number;
  readonly price: number;
}

export type WalkPlan =
  | { readonly ok: true; readonly steps: readonly WalkStep[]; readonly cap: number; readonly cancel_after_ms: number }
  | { readonly ok: false; readonly reason: string };

export interface WalkInput {
  /** Signed combo mid and natural (the price that trades at once: pay the ask, sell the bid). */
  readonly mid: number;
  readonly natural: number;
  /** Worst price allowed (inclusive). */
  readonly cap: number;
  readonly tick: number;
  readonly policy: WalkPolicy;
}

const EPS = 1e-9;

/** Rounds to the tick grid; ties and float noise resolve toward the better (lower) price. */
export function roundToTick(price: number, tick: number): number {
  const n = Math.round(price / tick - EPS);
  return Number((n * tick).toFixed(6));
}

/** Largest grid price ≤ cap: the cap itself is never crossed by rounding. */
function floorToTick(price: number, tick: number): number {
  return Number((Math.floor(price / tick + EPS) * tick).toFixed(6));
}

export function planWalk(w: WalkInput): WalkPlan {
  const bad = unwalkable(w);
  if (bad) return { ok: false, reason: bad };
  const cap = floorToTick(w.cap, w.tick);
  const start = roundToTick(w.mid, w.tick);
  if (start > cap + EPS) return { ok: false, reason: `mid ${fmt(w.mid)} is already past the floor ${fmt(cap)}` };
  const steps: WalkStep[] = [{ after_ms: 0, price: start }];
  for (const [i, after] of stepTimes(w.policy).entries()) push(steps, after, stepPrice(w, cap, i + 1));
  return { ok: true, steps, cap, cancel_after_ms: w.policy.timeout_ms };
}

/**
 * When each step after the first send happens (ms after it), before the timeout. The live walk
 * re-prices every step from a fresh quote (`priceAtStep`), so the times are fixed but the prices
 * follow the market.
 */
export function stepTimes(policy: WalkPolicy): number[] {
  const out: number[] = [];
  for (let k = 1; k <= policy.steps; k++) out.push(k * policy.interval_ms);
  if (policy.marketable_at_end) out.push((policy.steps + 1) * policy.interval_ms);
  return out.filter((t) => t < policy.timeout_ms);
}

/**
 * The limit for step k (1-based) from the quote now: k × step_pct of the way from mid to natural
 * (natural itself at the marketable step), never past the current natural nor the cap. null when
 * the quote cannot be walked (crossed, non-finite): the order keeps its current price.
 */
export function priceAtStep(w: WalkInput, k: number): number | null {
  if (unwalkable(w)) return null;
  const cap = floorToTick(w.cap, w.tick);
  return stepPrice(w, cap, k);
}

function unwalkable(w: WalkInput): string | null {
  if (!(w.tick > 0) || ![w.mid, w.natural, w.cap].every(Number.isFinite)) return 'walk needs finite mid, natural and cap and a positive tick';
  if (w.natural < w.mid - EPS) return `natural ${w.natural} is better than mid ${w.mid}: crossed or stale quotes, not priced`;
  return null;
}

function stepPrice(w: WalkInput, cap: number, k: number): number {
  const marketable = w.policy.marketable_at_end && k > w.policy.steps;
  const frac = marketable ? 1 : Math.min(1, (k * w.policy.step_pct) / 100);
  return Math.min(cap, roundToTick(w.mid + (w.natural - w.mid) * frac, w.tick));
}

/** Only real price changes become steps: re-sending the same price is noise at the broker. */
function push(steps: WalkStep[], after: number, price: number): void {
  const last = steps[steps.length - 1];
  if (last && Math.abs(last.price - price) < EPS) return;
  steps.push({ after_ms: after, price });
}

const fmt = (x: number): string => x.toFixed(2);

/**
 * The worst acceptable signed price for an intent, from `orders.floor`:
 * opening credit ≥ min_credit_pct_of_width × width (so never a debit), and a closing debit ≤
 * max_close_debit_pct_of_width × width.
 */
export function capFor(kind: IntentKind, width: number, orders: OrdersConfig): number {
  if (kind === 'open') {
    const minCredit = Math.max(orders.tick_size, (orders.floor.min_credit_pct_of_width / 100) * width);
    // Round the minimum credit UP to the grid: rounding it down would accept less than the gate.
    return -Number((Math.ceil(minCredit / orders.tick_size - EPS) * orders.tick_size).toFixed(6));
  }
  const closeCap = (orders.floor.max_close_debit_pct_of_width / 100) * width;
  // A roll (one combo: close the old spread, open one of the same template and width) is never
  // worse than the two orders at their own floors: the worst close debit less the least credit.
  if (kind === 'roll') return Number((closeCap + capFor('open', width, orders)).toFixed(6));
  return closeCap;
}

/** `low` decisions walk like `normal`. */
export function policyFor(urgency: string, orders: OrdersConfig): WalkPolicy {
  const u: OrderUrgency = urgency === 'immediate' || urgency === 'high' ? urgency : 'normal';
  return orders.policies[u];
}
