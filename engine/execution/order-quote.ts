import type { OrdersConfig } from '../config/types';
import { DAYS_PER_YEAR, bsmPrice } from '../market/bsm';
import { aggregateCombo } from '../market/combo';
import type { MarketData, OptionQuote } from '../market/market-data';
import type { ComboLeg } from '../model/leg';
import type { IntentKind } from '../model/order-intent';
import { dteAt } from '../shared/exchange-time';

export type OrderQuote =
  | {
      readonly ok: true;
      /** Signed mid and natural of buying the combo now (IB's convention). */
      readonly mid: number;
      readonly natural: number;
      /** What was not quoted and how it was priced instead (alerted by the executor). */
      readonly substitutions: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

const contractKey = (l: { symbol: string; expiry: string; right: string; strike: number }): string => `${l.symbol} ${l.expiry} ${l.strike}${l.right}`;

/**
 * Prices a combo for the order path, with the one-sided rules that make an exit always possible:
 * - a leg we SELL with no bid is worth 0 to us (a far OTM long wing with no bid never blocks a close);
 * - a leg we BUY with no ask blocks an opening order; for a close it is priced per
 *   `orders.missing_ask_on_close` (the model at the quote's IV, else the last ask seen) and reported.
 * Asks seen are remembered per contract (this process only) for the `last_ask` fallback.
 */
export class OrderQuoter {
  private readonly lastAsk = new Map<string, number>();

  constructor(
    private readonly market: MarketData,
    private readonly orders: OrdersConfig,
    private readonly riskFreeRate: number,
  ) {}

  async quote(kind: IntentKind, legs: readonly ComboLeg[], nowMs: number): Promise<OrderQuote> {
    const quotes = await this.market.quotes(legs.map((l) => ({ symbol: l.symbol, expiry: l.expiry, right: l.right, strike: l.strike })));
    for (const q of quotes) if (q.ask !== null && q.ask > 0) this.lastAsk.set(contractKey(q), q.ask);
    const opening = kind === 'open';
    const substitutions: string[] = [];
    const marks: Array<OptionQuote | { bid: number | null; ask: number | null }> = [];
    for (const [i, l] of legs.entries()) {
      const q = quotes[i];
      if (!q) return { ok: false, reason: `no quote for ${contractKey(l)}` };
      if (l.action === 'BUY' && !(q.ask !== null && q.ask > 0)) {
        if (opening) return { ok: false, reason: `no ask for ${contractKey(l)}: an opening order is never priced without one` };
        const priced = await this.missingAsk(l, q, nowMs);
        if (!priced.ok) return priced;
        substitutions.push(priced.note);
        marks.push({ bid: q.bid !== null && q.bid >= 0 && q.bid <= priced.ask ? q.bid : priced.ask, ask: priced.ask });
        continue;
      }
      marks.push(q);
    }
    const a = aggregateCombo(legs, marks, { soldWithoutBidAtZero: !opening });
    for (const i of a.zero_bid_sold) {
      const l = legs[i];
      if (l) substitutions.push(`${contractKey(l)} has no bid: priced at 0`);
    }
    if (!Number.isFinite(a.mid) || !Number.isFinite(a.natural)) return { ok: false, reason: 'no two-sided quote for every leg' };
    return { ok: true, mid: a.mid, natural: a.natural, substitutions };
  }

  private async missingAsk(l: ComboLeg, q: OptionQuote, nowMs: number): Promise<{ ok: true; ask: number; note: string } | { ok: false; reason: string }> {
    const policy = this.orders.missing_ask_on_close;
    const what = `${contractKey(l)} has no ask`;
    if (policy === 'refuse') return { ok: false, reason: `${what} and orders.missing_ask_on_close is refuse` };
    if (policy === 'model' && q.iv !== null && q.iv > 0) {
      const spot = await this.market.spot(l.symbol);
      const t = Math.max(0, dteAt(l.expiry, nowMs)) / DAYS_PER_YEAR;
      const model = bsmPrice({ right: l.right, spot, strike: l.strike, t, r: this.riskFreeRate, q: 0, vol: q.iv });
      // Never below one tick: a buy-back priced at 0 would never fill.
      const ask = Math.max(this.orders.tick_size, Number(model.toFixed(4)));
      if (Number.isFinite(ask)) return { ok: true, ask, note: `${what}: priced at the model, ${ask.toFixed(2)} (IV ${(q.iv * 100).toFixed(1)}%)` };
    }
    const last = this.lastAsk.get(contractKey(l));
    if (last !== undefined) return { ok: true, ask: last, note: `${what}: priced at the last ask seen, ${last.toFixed(2)}` };
    return { ok: false, reason: `${what}, no model IV and no earlier ask: cannot price the close` };
  }
}
