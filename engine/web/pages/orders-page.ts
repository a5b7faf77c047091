import type { OrderDetail } from '../../ops/operations';
import { esc, table, val, when } from '../html';

export interface OrdersQuery {
  readonly date: string;
  readonly symbol: string;
  readonly status: string;
  readonly kind: string;
}

/** Orders: intents with their broker orders, each price step of the walk, and fills. */
export function ordersPage(rows: readonly OrderDetail[], q: OrdersQuery): string {
  const sel = (name: string, value: string, options: readonly string[]): string => `<label>${name}<select name="${name}">${['', ...options].map((o) => `<option${o === value ? ' selected' : ''}>${esc(o)}</option>`).join('')}</select></label>`;
  const form = `<form class="filters" method="get"><label>date<input type="date" name="date" value="${esc(q.date)}"></label><label>symbol<input name="symbol" value="${esc(q.symbol)}" size="6"></label>${sel('status', q.status, ['pending', 'working', 'filled', 'partially_filled', 'unfilled', 'cancelled', 'rejected'])}${sel('kind', q.kind, ['open', 'close', 'reduce', 'roll'])}<button>Filter</button></form>`;
  const cards = rows
    .slice()
    .reverse()
    .map((o) => {
      const walk = table(['at', 'step', 'order', 'limit', 'mid', 'natural'], o.walk.map((w) => [when(w.at), esc(w.event), esc(w.broker_order_id ?? ''), val(w.price, 2), val(w.mid, 3), val(w.natural, 3)]), 'class="walk"');
      const fills = table(['at', 'exec', 'qty', 'price', 'commission'], o.fills.map((f) => [when(f.time), esc(f.exec_id), String(f.quantity), val(f.price, 2), val(f.commission, 2)]), 'class="fills"');
      const events = o.events.length ? `<details id="ev-${esc(o.intent_id)}"><summary>${o.events.length} other event(s)</summary>${table(['at', 'event', 'detail'], o.events.map((e) => [when(e.at), esc(e.event), `<code>${esc(JSON.stringify(e.detail))}</code>`]))}</details>` : '';
      return `<section class="pos-card" id="${esc(o.intent_id)}" data-intent-id="${esc(o.intent_id)}"><h3>${esc(o.kind)} ${esc(o.symbol)} ${esc(o.strategy)} ×${o.quantity} <span class="badge">${esc(o.status)}</span> <span class="muted">${esc(o.urgency)} · ${esc(o.created_at)}${o.position_id ? ` · ${esc(o.position_id)}` : ''}</span></h3>
${o.detail ? `<p class="muted">${esc(o.detail)}</p>` : ''}<div class="grid"><div><b>Walk</b> (${o.walk.length} price(s))${walk}</div><div><b>Fills</b>${fills}</div></div>${events}</section>`;
    });
  return `<h1>Orders</h1>${form}<p class="muted">${rows.length} order intent(s), newest first</p>${cards.join('') || '<p class="muted">no order intents</p>'}`;
}
