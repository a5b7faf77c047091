import { exchangeDate } from '../shared/exchange-time';
import type { TradeRow } from './backtest-trades';

/** One place two configs decided differently. */
export interface DecisionDiff {
  /** The exchange date of the first of the two decisions (the entry date for entries). */
  readonly date: string;
  readonly position: string;
  readonly symbol: string;
  readonly kind: 'exit' | 'entry';
  /** What config A did: `take_profit 2026-01-20`, `held (open)`, `entered`, `not entered`. */
  readonly a: string;
  readonly b: string;
  readonly rule_a: string | null;
  readonly rule_b: string | null;
  readonly pnl_a: number | null;
  readonly pnl_b: number | null;
}

export interface RuleChange {
  /** `take_profit → trailing_profit`; `(entered) → (not entered)` for entries. */
  readonly change: string;
  readonly positions: number;
  readonly pnl_a: number;
  readonly pnl_b: number;
  /** B − A. */
  readonly pnl_diff: number;
}

export interface CompareResult {
  readonly diff: readonly DecisionDiff[];
  readonly by_change: readonly RuleChange[];
  readonly entries_only_a: number;
  readonly entries_only_b: number;
}

const r2 = (x: number): number => Math.round(x * 100) / 100;
const dateOf = (iso: string | null): string | null => (iso === null ? null : exchangeDate(Date.parse(iso)));
const exitText = (t: TradeRow): string => (t.status === 'open' ? 'held (open at the end)' : `${t.exit_rule ?? '?'} ${dateOf(t.exit_time) ?? ''}`);

/**
 * The decisions two runs of the same market and days made differently. Position ids are the entry
 * intent's id, a hash of the day, symbol, strategy and legs (never of the config), so the same
 * entry has the same id in both runs: a position in one run only is an entry the other did not
 * take; a position in both that ended differently (another rule, another day, or still open) is
 * an exit decision that differed.
 */
export function compareTrades(a: readonly TradeRow[], b: readonly TradeRow[]): CompareResult {
  const byId = (ts: readonly TradeRow[]): Map<string, TradeRow> => new Map(ts.map((t) => [t.position_id, t]));
  const ma = byId(a);
  const mb = byId(b);
  const diff: DecisionDiff[] = [];
  for (const id of [...new Set([...ma.keys(), ...mb.keys()])]) {
    const x = ma.get(id);
    const y = mb.get(id);
    const any = (x ?? y) as TradeRow;
    if (!x || !y) {
      diff.push({ date: dateOf(any.entry_time) as string, position: id, symbol: any.symbol, kind: 'entry', a: x ? 'entered' : 'not entered', b: y ? 'entered' : 'not entered', rule_a: x?.exit_rule ?? null, rule_b: y?.exit_rule ?? null, pnl_a: x?.pnl ?? null, pnl_b: y?.pnl ?? null });
      continue;
    }
    if (x.status === y.status && x.exit_rule === y.exit_rule && x.exit_time === y.exit_time) continue;
    const dates = [dateOf(x.exit_time), dateOf(y.exit_time)].filter((d): d is string => d !== null).sort();
    diff.push({ date: dates[0] as string, position: id, symbol: x.symbol, kind: 'exit', a: exitText(x), b: exitText(y), rule_a: x.exit_rule, rule_b: y.exit_rule, pnl_a: x.pnl, pnl_b: y.pnl });
  }
  diff.sort((p, q) => p.date.localeCompare(q.date) || p.position.localeCompare(q.position));
  const groups = new Map<string, { positions: number; pnl_a: number; pnl_b: number }>();
  for (const d of diff) {
    const change = d.kind === 'entry' ? `(${d.a}) → (${d.b})` : `${d.rule_a ?? 'open'} → ${d.rule_b ?? 'open'}`;
    const g = groups.get(change) ?? { positions: 0, pnl_a: 0, pnl_b: 0 };
    g.positions++;
    g.pnl_a += d.pnl_a ?? 0;
    g.pnl_b += d.pnl_b ?? 0;
    groups.set(change, g);
  }
  return {
    diff,
    by_change: [...groups.entries()].map(([change, g]) => ({ change, positions: g.positions, pnl_a: r2(g.pnl_a), pnl_b: r2(g.pnl_b), pnl_diff: r2(g.pnl_b - g.pnl_a) })).sort((p, q) => q.positions - p.positions || p.change.localeCompare(q.change)),
    entries_only_a: diff.filter((d) => d.kind === 'entry' && d.a === 'entered').length,
    entries_only_b: diff.filter((d) => d.kind === 'entry' && d.b === 'entered').length,
  };
}
