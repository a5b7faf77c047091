import type { CompiledConfig } from '../config/types';
import { exchangeDate } from '../shared/exchange-time';
import { tradingDaysBetween } from '../shared/market-calendar';
import type { Db } from '../store/journal';
import { SETTLED_AT_EXPIRY, type TradeRow } from './backtest-trades';

export interface EquityPoint {
  readonly date: string;
  /** The paper account's net liquidation at the end of the day. */
  readonly equity: number;
  /** Below the highest end-of-day equity so far (dollars, ≥ 0). */
  readonly drawdown: number;
}

export interface MonthRow {
  readonly month: string;
  /** Realized P&L of the positions closed in the month (after fees). */
  readonly realized_pnl: number;
  readonly trades: number;
  /** End-of-month equity minus the previous month's (the first month: minus the starting cash). */
  readonly equity_change: number;
}

export interface RuleRow {
  readonly rule: string;
  readonly count: number;
  readonly total_pnl: number;
  readonly avg_pnl: number | null;
  readonly avg_days_held: number | null;
}

export interface GateRow {
  readonly gate: string;
  /** Candidates this gate refused (a candidate several gates refused counts for each). */
  readonly refused: number;
}

export interface BacktestSummary {
  readonly trading_days: number;
  readonly starting_cash: number;
  readonly ending_equity: number;
  readonly trades: number;
  readonly open_positions: number;
  readonly win_rate_pct: number | null;
  readonly realized_pnl: number;
  readonly unrealized_pnl: number;
  readonly total_pnl: number;
  readonly fees: number;
  /** Largest fall of net liquidation from a previous high, sampled after every task run (dollars). */
  readonly max_drawdown: number;
  readonly worst_trade: number | null;
  readonly orders: number;
  readonly fills: number;
  readonly entries: number;
  readonly journal_failure: string | null;
  readonly audit: EntryAudit;
  /**
   * Positions still open in the journal at the end although their expiry passed: sync_positions
   * closes those the broker settled (all legs flat) at intrinsic, so what remains had legs still
   * held at the broker or no sync_positions run since; their P&L is not in `realized_pnl`. Should be 0.
   */
  readonly open_past_expiry: number;
}

export interface BacktestResult {
  readonly summary: BacktestSummary;
  readonly equity: readonly EquityPoint[];
  readonly monthly: readonly MonthRow[];
  readonly rules: readonly RuleRow[];
  readonly gates: readonly GateRow[];
  readonly trades: readonly TradeRow[];
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** Per exit rule, every rule of the config in priority order (a rule that never fired shows 0), then any other exit seen. */
export function ruleRows(config: CompiledConfig, trades: readonly TradeRow[]): RuleRow[] {
  const names = [...config.exit_rules].sort((a, b) => a.priority - b.priority).map((r) => r.name);
  const closed = trades.filter((t) => t.status === 'closed');
  for (const t of closed) if (t.exit_rule && !names.includes(t.exit_rule)) names.push(t.exit_rule);
  return names.map((rule) => {
    const ts = closed.filter((t) => t.exit_rule === rule);
    const total = ts.reduce((s, t) => s + (t.pnl ?? 0), 0);
    return { rule, count: ts.length, total_pnl: r2(total), avg_pnl: ts.length ? r2(total / ts.length) : null, avg_days_held: ts.length ? r2(ts.reduce((s, t) => s + t.days_held, 0) / ts.length) : null };
  });
}

/**
 * Per entry gate, the candidates it refused: from the entry decisions' traces (a gate that did not
 * pass), the exit rules run on the would-be position (`exit_rules:<rule>`), and the analyses whose
 * best candidate for a symbol scored under min_score (`min_score`: never reached the gates).
 */
export function gateRows(db: Db, config: CompiledConfig): GateRow[] {
  const counts = new Map<string, number>(config.entry_gates.map((g) => [g.name, 0]));
  counts.set('min_score', 0);
  const bump = (k: string): void => void counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const d of db.prepare("SELECT action, rule, trace_json FROM decisions WHERE kind = 'entry' AND action <> 'enter'").all() as Array<{ action: string; rule: string | null; trace_json: string }>) {
    const trace = JSON.parse(d.trace_json) as { gates?: Array<{ gate: string; passed: boolean }> };
    const failed = (trace.gates ?? []).filter((g) => !g.passed);
    for (const g of failed) bump(g.gate);
    if (failed.length === 0) bump(d.rule ? `exit_rules:${d.rule}` : `other:${d.action}`);
  }
  const symbols = Object.keys(config.strategies.underlyings);
  const minScore = config.strategies.scoring.min_score;
  for (const a of db.prepare('SELECT id FROM analyses').all() as Array<{ id: string }>) {
    const best = new Map((db.prepare('SELECT symbol, MAX(score) AS s FROM candidates WHERE analysis_id = ? GROUP BY symbol').all(a.id) as Array<{ symbol: string; s: number | null }>).map((r) => [r.symbol, r.s]));
    for (const s of symbols) if ((best.get(s) ?? -Infinity) < minScore) bump('min_score');
  }
  return [...counts.entries()].map(([gate, refused]) => ({ gate, refused }));
}

export function monthRows(equity: readonly EquityPoint[], trades: readonly TradeRow[], startingCash: number): MonthRow[] {
  const months = [...new Set(equity.map((e) => e.date.slice(0, 7)))];
  let prev = startingCash;
  return months.map((month) => {
    const last = [...equity].reverse().find((e) => e.date.startsWith(month));
    const closed = trades.filter((t) => t.status === 'closed' && (t.exit_time ?? '').startsWith(month));
    const change = (last?.equity ?? prev) - prev;
    prev = last?.equity ?? prev;
    return { month, realized_pnl: r2(closed.reduce((s, t) => s + (t.pnl ?? 0), 0)), trades: closed.length, equity_change: r2(change) };
  });
}

export function equityPoints(daily: ReadonlyArray<{ date: string; equity: number }>, startingCash: number): EquityPoint[] {
  let peak = startingCash;
  return daily.map((d) => {
    peak = Math.max(peak, d.equity);
    return { date: d.date, equity: r2(d.equity), drawdown: r2(peak - d.equity) };
  });
}

export { SETTLED_AT_EXPIRY };

export interface EntryAudit {
  /** Entries made less than the loss cool-down after a losing exit on the same symbol (the gate must make this 0). */
  readonly entries_in_loss_cooldown: number;
  /** Entries made while a position with the same expiry and strikes was open on the symbol (must be 0). */
  readonly entries_duplicating_open: number;
  /** The cool-down checked, in NYSE trading days (from the config's gate on trading_days_since_losing_exit; 0 = none). */
  readonly loss_cooldown_days: number;
}

/** The `value` of the first condition on `fact` anywhere in a gate's conditions, if numeric. */
function conditionValue(node: unknown, fact: string): number | null {
  if (Array.isArray(node)) {
    for (const n of node) {
      const v = conditionValue(n, fact);
      if (v !== null) return v;
    }
    return null;
  }
  if (node === null || typeof node !== 'object') return null;
  const o = node as Record<string, unknown>;
  if (o.fact === fact && typeof o.value === 'number') return o.value;
  for (const v of Object.values(o)) {
    const found = conditionValue(v, fact);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Checks the entries against the journal's own record, apart from the gates that were meant to
 * stop them: an entry inside the loss cool-down of its symbol, or one duplicating a position that
 * was open at the time. Both must be 0; the backtest report carries the counts.
 */
export function entryAudit(config: CompiledConfig, trades: readonly TradeRow[]): EntryAudit {
  const cooldown = conditionValue(config.entry_gates.map((g) => g.conditions), 'trading_days_since_losing_exit') ?? 0;
  let inCooldown = 0;
  let duplicates = 0;
  // A roll's new position is not an entry: the gates ran on it before its close realized the loss.
  for (const t of trades.filter((x) => x.rolled_from === null)) {
    const at = Date.parse(t.entry_time);
    const day = exchangeDate(at);
    const same = trades.filter((p) => p !== t && p.symbol === t.symbol);
    if (same.some((p) => p.expiry === t.expiry && p.strikes === t.strikes && Date.parse(p.entry_time) < at && (p.exit_time === null || Date.parse(p.exit_time) > at))) duplicates++;
    if (cooldown > 0 && same.some((p) => p.pnl !== null && p.pnl < 0 && p.exit_time !== null && Date.parse(p.exit_time) <= at && tradingDaysBetween(exchangeDate(Date.parse(p.exit_time)), day) < cooldown)) inCooldown++;
  }
  return { entries_in_loss_cooldown: inCooldown, entries_duplicating_open: duplicates, loss_cooldown_days: cooldown };
}
