import type { LegAction } from '../model/leg';

/**
 * The one place legs are aggregated into a combo (net prices and greeks) — for the order executor,
 * the paper broker, position and entry facts, and candidate metrics alike.
 *
 * Convention (IB's, as everywhere): prices are the signed net price per share of BUYING the combo as
 * its legs are written; a credit spread as opened prices negative (BUY at −1.20 = a 1.20 credit).
 * Greeks are those of holding the combo (bought legs add, sold legs subtract), per share.
 * A missing or crossed quote makes the figures that need it NaN: callers decide (facts turn NaN
 * into `data incomplete`, orders refuse or apply their one-sided policy), nothing is guessed here.
 */
export interface ComboLegShape {
  readonly action: LegAction;
  readonly ratio: number;
}

export interface LegMarks {
  readonly bid: number | null | undefined;
  readonly ask: number | null | undefined;
  readonly mid?: number | null | undefined;
  readonly delta?: number | null | undefined;
  readonly gamma?: number | null | undefined;
  readonly theta?: number | null | undefined;
  readonly vega?: number | null | undefined;
  readonly iv?: number | null | undefined;
}

export interface ComboAggregate {
  /** At each leg's mid. */
  readonly mid: number;
  /** What trades at once: the ask on bought legs, the bid on sold legs (worst for us). */
  readonly natural: number;
  /** The other side: the bid on bought legs, the ask on sold legs (best for us). */
  readonly far: number;
  readonly delta: number;
  readonly gamma: number;
  readonly theta: number;
  readonly vega: number;
  /** Largest |delta| among sold legs (0 when none is sold). */
  readonly short_delta_max: number;
  /** Mean IV of the sold legs, a fraction (NaN when none is sold or one lacks IV). */
  readonly short_iv_mean: number;
  /** Indexes of sold legs priced at 0 for want of a bid (see `soldWithoutBidAtZero`). */
  readonly zero_bid_sold: readonly number[];
}

export interface AggregateOptions {
  /**
   * A sold leg with no bid is worth 0 to its seller: price it at 0 instead of NaN. Closing orders
   * use it (a far OTM long wing with no bid must not keep an emergency close from going out).
   */
  readonly soldWithoutBidAtZero?: boolean;
}

const num = (v: number | null | undefined): number => (v === null || v === undefined ? Number.NaN : v);

/** A leg's mid: the quote's own, else the middle of a two-sided uncrossed quote, else NaN. */
export function legMid(m: LegMarks): number {
  const bid = num(m.bid);
  const ask = num(m.ask);
  if (bid > ask) return Number.NaN;
  const mid = num(m.mid);
  return Number.isFinite(mid) ? mid : (bid + ask) / 2;
}

export function aggregateCombo(legs: readonly ComboLegShape[], marks: readonly (LegMarks | undefined)[], opts: AggregateOptions = {}): ComboAggregate {
  let mid = 0;
  let natural = 0;
  let far = 0;
  let delta = 0;
  let gamma = 0;
  let theta = 0;
  let vega = 0;
  let shortDeltaMax = 0;
  let shortIvSum = 0;
  let shortCount = 0;
  const zeroBid: number[] = [];
  legs.forEach((leg, i) => {
    const m: LegMarks = marks[i] ?? { bid: null, ask: null };
    const s = leg.action === 'BUY' ? leg.ratio : -leg.ratio;
    let bid = num(m.bid);
    let ask = num(m.ask);
    let legMidPrice = legMid(m);
    if (leg.action === 'SELL' && opts.soldWithoutBidAtZero && !(bid > 0)) {
      bid = 0;
      legMidPrice = 0;
      if (!Number.isFinite(ask)) ask = 0;
      zeroBid.push(i);
    }
    if (bid > ask) bid = ask = Number.NaN;
    mid += s * legMidPrice;
    natural += s * (leg.action === 'BUY' ? ask : bid);
    far += s * (leg.action === 'BUY' ? bid : ask);
    delta += s * num(m.delta);
    gamma += s * num(m.gamma);
    theta += s * num(m.theta);
    vega += s * num(m.vega);
    if (leg.action === 'SELL') {
      shortDeltaMax = Math.max(shortDeltaMax, Math.abs(num(m.delta)));
      shortIvSum += num(m.iv);
      shortCount += 1;
    }
  });
  return { mid, natural, far, delta, gamma, theta, vega, short_delta_max: shortDeltaMax, short_iv_mean: shortCount > 0 ? shortIvSum / shortCount : Number.NaN, zero_bid_sold: zeroBid };
}
