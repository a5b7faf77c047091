import type { PositionLeg } from '../model/leg';
import type { StrategyPositionRecord } from '../model/position';
import { calendarDaysBetween, exchangeDate } from '../shared/exchange-time';
import type { Db } from '../store/journal';
import { RollsRepo } from '../store/rolls-repo';
import { PositionsRepo } from '../store/positions-repo';

/** A position as the report shows it: one row of trades.csv. */
export interface TradeRow {
  readonly position_id: string;
  readonly symbol: string;
  readonly strategy: string;
  readonly expiry: string;
  /** The legs as a trader writes them: "-590C +595C". */
  readonly strikes: string;
  readonly quantity: number;
  readonly entry_time: string;
  readonly exit_time: string | null;
  /** Net credit per share received at entry. */
  readonly credit: number;
  /** Net debit per share paid to close (average over the closing fills); null while open or when settled at expiry without an order. */
  readonly exit_debit: number | null;
  readonly fees: number;
  /** Realized, dollars, after fees; null while open. */
  readonly pnl: number | null;
  /** The exit rule whose decision closed it; `settled_at_expiry` without one; null while open. */
  readonly exit_rule: string | null;
  readonly days_held: number;
  readonly status: 'open' | 'closed';
  /** The position this one replaced by a roll (dte_manage): a roll is position management, not an entry. */
  readonly rolled_from: string | null;
}

/** A position closed with no closing order of ours: the broker settled it at expiry. */
export const SETTLED_AT_EXPIRY = 'settled_at_expiry';

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const r2 = (x: number): number => Math.round(x * 100) / 100;

export function strikesText(legs: readonly PositionLeg[]): string {
  return legs.map((l) => `${l.action === 'SELL' ? '-' : '+'}${l.strike}${l.right}`).join(' ');
}

/** Every position of the journal with what closed it, in entry order. */
export function tradeRows(db: Db, nowMs: number): TradeRow[] {
  const fees = db.prepare('SELECT i.position_id AS p, SUM(e.commission) AS f FROM executions e JOIN order_intents i ON i.id = e.intent_id GROUP BY i.position_id').all() as Array<{ p: string; f: number }>;
  const feesOf = new Map(fees.map((r) => [r.p, r.f]));
  const closes = db.prepare("SELECT i.position_id AS p, i.id AS intent, i.created_at AS at, SUM(ABS(e.price) * e.quantity) / SUM(e.quantity) AS px FROM order_intents i JOIN executions e ON e.intent_id = i.id WHERE i.kind <> 'open' GROUP BY i.id ORDER BY i.created_at").all() as Array<{ p: string; intent: string; at: number; px: number }>;
  const closeOf = new Map<string, { at: number; px: number }>();
  for (const c of closes) closeOf.set(c.p, { at: c.at, px: c.px });
  const rolls = new RollsRepo(db);
  const ruleAt = db.prepare("SELECT rule FROM decisions WHERE kind = 'exit' AND subject = ? AND action IN ('close', 'roll', 'reduce') AND at <= ? ORDER BY at DESC, id DESC LIMIT 1");
  return new PositionsRepo(db).list().sort((a, b) => a.entry_time - b.entry_time || a.id.localeCompare(b.id)).map((p: StrategyPositionRecord) => {
    const close = closeOf.get(p.id);
    const rule = p.status !== 'closed' ? null : close ? ((ruleAt.get(p.id, close.at) as { rule: string | null } | undefined)?.rule ?? 'unknown') : SETTLED_AT_EXPIRY;
    return {
      position_id: p.id,
      symbol: p.symbol,
      strategy: p.strategy,
      expiry: p.legs[0]?.expiry ?? '',
      strikes: strikesText(p.legs),
      quantity: p.quantity,
      entry_time: iso(p.entry_time),
      exit_time: p.closed_at === null ? null : iso(p.closed_at),
      credit: r2(p.entry_credit),
      exit_debit: close ? r2(close.px) : null,
      fees: r2(feesOf.get(p.id) ?? 0),
      pnl: p.status === 'closed' ? r2(p.realized_pnl ?? 0) : null,
      exit_rule: rule,
      days_held: calendarDaysBetween(exchangeDate(p.entry_time), exchangeDate(p.closed_at ?? nowMs)),
      status: p.status,
      rolled_from: rolls.rolledFrom(p.id)?.from_position_id ?? null,
    };
  });
}

const CSV_COLUMNS = ['entry_time', 'exit_time', 'symbol', 'strategy', 'expiry', 'strikes', 'quantity', 'credit', 'exit_debit', 'fees', 'pnl', 'exit_rule', 'days_held', 'status', 'position_id', 'rolled_from'] as const;

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function tradesCsv(rows: readonly TradeRow[]): string {
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}
