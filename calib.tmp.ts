import { SimMarket } from './engine/adapters/sim/sim-market';
import { ManualClock } from './engine/shared/clock';
import { buildPositionFacts } from './engine/rules/position-facts';
import { InMemoryPositionStateStore } from './engine/rules/position-state';
import { exchangeInstant } from './engine/shared/exchange-time';
(async () => {
  const clock = new ManualClock('2026-03-10T15:00:00Z');
  const m = new SimMarket({ seed: 1, clock });
  const rows: string[] = [];
  for (const sym of ['SPY', 'QQQ', 'IWM']) {
    for (const date of ['2026-03-10', '2026-06-10', '2026-09-15']) {
      clock.set(exchangeInstant(date, '11:00'));
      const spot = await m.spot(sym);
      for (const dte of [45, 21, 13, 10, 8, 5, 3, 2]) {
        const ch = await m.chain(sym, { dte_min: dte - 3, dte_max: dte + 3 });
        const e = ch.expiries.reduce((b, x) => (Math.abs(x.dte - dte) < Math.abs(b.dte - dte) ? x : b));
        for (const offPct of [-0.5, 0, 0.5, 1, 2, 3, 5]) {
          // bear call: short strike offPct% above spot
          const k = Math.round(spot * (1 + offPct / 100));
          const legs = [
            { right: 'C' as const, strike: k, expiry: e.expiry, action: 'SELL' as const, ratio: 1 },
            { right: 'C' as const, strike: k + 5, expiry: e.expiry, action: 'BUY' as const, ratio: 1 },
          ];
          const qs = await m.quotes(legs.map((l) => ({ symbol: sym, expiry: l.expiry, right: l.right, strike: l.strike })));
          const f = buildPositionFacts({ id: 'x', symbol: sym, strategy: 'bear_call', legs, quantity: 1, entry_credit: 1.5, entry_iv: 0.15, entry_vix: 18, entry_time_ms: clock.now() - 86400000, entry_deltas: [0.3, 0.2] }, qs.map((q) => ({ bid: q.bid!, ask: q.ask!, mid: q.mid!, delta: q.delta!, gamma: q.gamma!, iv: q.iv! })), { spot, vix: 18, iv_rank: 40, iv_percentile: 50, underlying_change_1h_pct: 0 }, clock.now(), new InMemoryPositionStateStore());
          rows.push([sym, date, e.dte, offPct, f.short_delta_max.toFixed(2), f.short_strike_distance_em.toFixed(2), f.short_gamma_1pct.toFixed(3), f.position_gamma_usd_1pct.toFixed(0), f.position_gamma_abs.toFixed(4), ((1.5 - (1.5 * (1 - f.profit_pct / 100))) ).toFixed(2)].join('\t'));
        }
      }
    }
  }
  console.log(['sym', 'date', 'dte', 'off%', 'sdelta', 'distEM', 'sgam1%', 'usdgam', 'gabs'].join('\t'));
  console.log(rows.join('\n'));
})();
