import { aggregateCombo } from '../market/combo';
import type { StrategyName } from '../model/strategy-names';
import type { Right } from '../model/leg';
import type { CandidateMetrics, LegAction } from './candidate';

/** The least a leg needs for metrics: the `score` command's input shape. */
export interface PricedLeg {
  readonly right: Right;
  readonly strike: number;
  readonly action: LegAction;
  readonly bid: number;
  readonly ask: number;
  readonly delta: number;
  readonly gamma?: number | null;
  readonly theta?: number | null;
  readonly vega?: number | null;
}

export type MetricsResult = { readonly ok: true; readonly metrics: CandidateMetrics } | { readonly ok: false; readonly reason: string };

// Money arithmetic in floats leaves 1.6499999999; six decimals is far below a tick.
const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function legName(l: PricedLeg): string {
  return `${l.action} ${l.right} ${l.strike}`;
}

/** Checks quotes leg by leg: the first problem found is the reason. */
export function checkLegQuotes(legs: readonly PricedLeg[]): string | null {
  for (const l of legs) {
    if (!Number.isFinite(l.bid) || !Number.isFinite(l.ask)) return `missing quote on ${legName(l)}`;
    if (l.bid <= 0) return `zero bid on ${legName(l)}`;
    if (l.ask < l.bid) return `crossed quote on ${legName(l)} (bid ${l.bid} > ask ${l.ask})`;
    if (!Number.isFinite(l.delta)) return `non-finite delta on ${legName(l)}`;
  }
  return null;
}

/** Checks that the legs form the named strategy; returns the problem or null. */
export function checkShape(strategy: StrategyName, legs: readonly PricedLeg[]): string | null {
  const vertical = (right: Right, ls: readonly PricedLeg[]): string | null => {
    const short = ls.find((l) => l.action === 'SELL');
    const long = ls.find((l) => l.action === 'BUY');
    if (ls.length !== 2 || !short || !long) return `needs one SELL and one BUY ${right === 'P' ? 'put' : 'call'}`;
    if (ls.some((l) => l.right !== right)) return `legs must all be ${right === 'P' ? 'puts' : 'calls'}`;
    if (right === 'P' && !(short.strike > long.strike)) {
      return `the short put (${short.strike}) must be above the long put (${long.strike}); the reverse is a debit spread`;
    }
    if (right === 'C' && !(short.strike < long.strike)) {
      return `the short call (${short.strike}) must be below the long call (${long.strike}); the reverse is a debit spread`;
    }
    return null;
  };
  if (strategy === 'bull_put') return prefix(strategy, legs.length === 2 ? vertical('P', legs) : 'needs exactly 2 legs');
  if (strategy === 'bear_call') return prefix(strategy, legs.length === 2 ? vertical('C', legs) : 'needs exactly 2 legs');
  if (legs.length !== 4) return prefix(strategy, 'needs exactly 4 legs');
  const puts = legs.filter((l) => l.right === 'P');
  const calls = legs.filter((l) => l.right === 'C');
  const problem = vertical('P', puts) ?? vertical('C', calls);
  if (problem) return prefix(strategy, problem);
  const sp = puts.find((l) => l.action === 'SELL')!;
  const sc = calls.find((l) => l.action === 'SELL')!;
  if (!(sp.strike < sc.strike)) return prefix(strategy, `the short put (${sp.strike}) must be below the short call (${sc.strike})`);
  return null;
}

function prefix(strategy: StrategyName, problem: string | null): string | null {
  return problem === null ? null : `${strategy}: ${problem}`;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Metrics at mid per DESIGN.md; rejects bad quotes, wrong shapes and debits with a reason. */
export function computeMetrics(strategy: StrategyName, legs: readonly PricedLeg[]): MetricsResult {
  const shape = checkShape(strategy, legs);
  if (shape) return { ok: false, reason: shape };
  const quotes = checkLegQuotes(legs);
  if (quotes) return { ok: false, reason: quotes };
  // Credits are minus the price of buying the opening combo; mids from bid and ask (market/combo.ts).
  const agg = aggregateCombo(legs.map((l) => ({ action: l.action, ratio: 1 })), legs.map((l) => ({ bid: l.bid, ask: l.ask, delta: l.delta, gamma: l.gamma, theta: l.theta, vega: l.vega })));
  const credit = r6(-agg.mid);
  const natural = r6(-agg.natural);
  const far = r6(-agg.far);
  if (!(credit > 0)) return { ok: false, reason: `${strategy}: net ${credit === 0 ? 'zero' : `debit ${-credit}`} at mid where a credit is expected` };
  const sideWidth = (right: Right): number => {
    const ls = legs.filter((l) => l.right === right);
    return ls.length === 2 ? Math.abs(ls[0]!.strike - ls[1]!.strike) : 0;
  };
  const width = Math.max(sideWidth('P'), sideWidth('C'));
  const maxRisk = r6(width - credit);
  if (!(maxRisk > 0)) return { ok: false, reason: `${strategy}: credit ${credit} is not below the width ${width} (quotes are off)` };
  const shortAbsDelta = legs.filter((l) => l.action === 'SELL').reduce((s, l) => s + Math.abs(l.delta), 0);
  const pop = 100 * (1 - shortAbsDelta);
  const er = credit * (pop / 100) - maxRisk * (1 - pop / 100);
  const shortPut = legs.find((l) => l.action === 'SELL' && l.right === 'P');
  const shortCall = legs.find((l) => l.action === 'SELL' && l.right === 'C');
  const breakEvens: number[] = [];
  if (shortPut) breakEvens.push(r6(shortPut.strike - credit));
  if (shortCall) breakEvens.push(r6(shortCall.strike + credit));
  const comboWidth = r6(far - natural);
  return {
    ok: true,
    metrics: {
      credit,
      width,
      max_risk: maxRisk,
      rr: maxRisk / credit,
      pop,
      er,
      er_pct: (er / maxRisk) * 100,
      credit_to_width_pct: (credit / width) * 100,
      natural,
      far,
      combo_width: comboWidth,
      combo_width_pct: (comboWidth / credit) * 100,
      break_evens: breakEvens,
      net_delta: agg.delta,
      net_gamma: finiteOrNull(agg.gamma),
      net_theta: finiteOrNull(agg.theta),
      net_vega: finiteOrNull(agg.vega),
    },
  };
}
