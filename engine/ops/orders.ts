import type { IntentStatus } from '../model/intent-lifecycle';
import { ExecutionsRepo } from '../store/executions-repo';
import { IntentsRepo } from '../store/intents-repo';
import type { Db } from '../store/journal';

/** One order intent as `thetadesk orders --json` prints it. */
export interface OrderRow {
  readonly intent_id: string;
  readonly kind: string;
  readonly symbol: string;
  readonly strategy: string;
  readonly quantity: number;
  readonly urgency: string;
  readonly status: IntentStatus;
  readonly detail: string | null;
  readonly created_at: string;
  /** A roll's open waits for this intent (its close) to fill. */
  readonly after_intent: string | null;
  readonly rolled_from: string | null;
  readonly rolled_to: string | null;
  readonly orders: Array<{ broker_order_id: string; limit_price: number; status: string; filled_quantity: number }>;
}

/** A price the order stood at: the first limit sent, then each step of the walk. */
export interface WalkStep {
  readonly at: number;
  readonly event: string;
  readonly broker_order_id: string | null;
  readonly price: number | null;
  readonly mid: number | null;
  readonly natural: number | null;
}

export interface OrderDetail extends OrderRow {
  readonly position_id: string;
  readonly walk: WalkStep[];
  readonly fills: Array<{ exec_id: string; quantity: number; price: number; commission: number; time: number }>;
  /** Every other journaled event of the intent (risk checks, cancels, position updates). */
  readonly events: Array<{ at: number; event: string; detail: unknown }>;
}

export interface OrdersFilter {
  /** Intents created at or after this instant (epoch ms). */
  readonly sinceMs?: number;
  readonly untilMs?: number;
  readonly symbol?: string;
  readonly status?: string;
  readonly kind?: string;
}

/** Order intents with their broker orders, oldest first (what `thetadesk orders` shows). */
export function listOrders(db: Db, f: OrdersFilter = {}): OrderRow[] {
  const repo = new IntentsRepo(db);
  return repo
    .since(f.sinceMs ?? 0)
    .filter((i) => (f.untilMs === undefined || i.created_at < f.untilMs) && (!f.symbol || i.symbol === f.symbol) && (!f.status || i.status === f.status) && (!f.kind || i.kind === f.kind))
    .map((i) => ({
      intent_id: i.id,
      kind: i.kind,
      symbol: i.symbol,
      strategy: i.strategy,
      quantity: i.quantity,
      urgency: i.urgency,
      status: i.status,
      detail: i.status_detail,
      created_at: new Date(i.created_at).toISOString(),
      // Rolls: a roll combo closes position_id and opens context.roll's; a roll's open replaces context.rolled_from.
      after_intent: i.after_intent ?? null,
      rolled_from: i.kind === 'roll' ? i.position_id : (i.context.rolled_from ?? null),
      rolled_to: i.kind === 'roll' ? (i.context.roll?.to_position_id ?? null) : i.context.rolled_from ? i.position_id : null,
      orders: repo.ordersOf(i.id),
    }));
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Orders with their walks (each price step, with the mid and natural price it was judged against) and fills. */
export function withWalks(db: Db, rows: readonly OrderRow[]): OrderDetail[] {
  const intents = new IntentsRepo(db);
  const execs = new ExecutionsRepo(db);
  return rows.map((r) => {
    const events = intents.eventsOf(r.intent_id);
    const walk: WalkStep[] = [];
    const other: OrderDetail['events'] = [];
    for (const e of events) {
      const d = (e.detail ?? {}) as Record<string, unknown>;
      if (e.event === 'sent' || e.event === 'walked') walk.push({ at: e.at, event: e.event, broker_order_id: e.broker_order_id, price: num(d.price), mid: num(d.mid), natural: num(d.natural) });
      else if (e.event !== 'execution') other.push({ at: e.at, event: e.event, detail: e.detail });
    }
    return { ...r, position_id: intents.get(r.intent_id)?.position_id ?? '', walk, fills: execs.forIntent(r.intent_id), events: other };
  });
}
