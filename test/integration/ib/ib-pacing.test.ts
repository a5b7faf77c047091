import { IbMarketData } from '../../../engine/adapters/ib/ib-market-data';
import { IbPacer } from '../../../engine/adapters/ib/pacer';
import { IbSession } from '../../../engine/adapters/ib/ib-session';
import { simGateway } from '../../../engine/testkit/ib-gateway/sim-gateway';
import { ManualClock, systemClock } from '../../../engine/shared/clock';

describe('IB pacing under a burst, through the real client and the fake gateway', () => {
  it('answers every one of 120 quote requests fired at once without a pacing or line-limit error', async () => {
    const clock = new ManualClock('2026-01-05T15:00:00Z');
    const { gateway, market, broker } = simGateway({ seed: 1, clock, maxLines: 10 });
    const port = await gateway.listen(0);
    const notices: number[] = [];
    const session = new IbSession({ host: '127.0.0.1', port, clientId: 51 }, { requestTimeoutMs: 20_000, onNotice: (code) => notices.push(code) });
    try {
      await session.connect();
      const pacer = new IbPacer({ clock: systemClock, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), maxLines: 10 });
      const ib = new IbMarketData(session, pacer, clock);
      const chain = await market.chain('SPY', { dte_min: 40, dte_max: 50 });
      const e = chain.expiries[0]!;
      const atm = e.strikes.findIndex((k) => k >= chain.spot);
      const refs = e.strikes.slice(atm - 30, atm + 30).flatMap((strike) => (['P', 'C'] as const).map((right) => ({ symbol: 'SPY', expiry: e.expiry, right, strike })));
      expect(refs).toHaveLength(120);
      const sentBefore = gateway.received.length;
      const t0 = Date.now();
      const quotes = await ib.quotes(refs);
      const elapsed = Date.now() - t0;
      expect(quotes.filter((q) => q.bid !== null && q.ask !== null && q.delta !== null)).toHaveLength(120);
      expect(gateway.peakLines).toBeLessThanOrEqual(10);
      expect(notices.filter((c) => c === 100 || c === 101 || c === 420)).toEqual([]);
      // Delays only ever lengthen a run: 120+ messages at 50 a second cannot finish in under ~1.4 s.
      const sent = gateway.received.length - sentBefore;
      expect(sent).toBeGreaterThanOrEqual(120);
      expect(elapsed).toBeGreaterThanOrEqual(((sent - 50) / 50) * 1000 - 50);
    } finally {
      session.disconnect();
      await gateway.close();
      broker.close();
    }
  }, 60_000);
});
