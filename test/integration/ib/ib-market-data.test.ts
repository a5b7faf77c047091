import { IbMarketData } from '../../../engine/adapters/ib/ib-market-data';
import { IbPacer } from '../../../engine/adapters/ib/pacer';
import { IbSession } from '../../../engine/adapters/ib/ib-session';
import { simGateway } from '../../../engine/testkit/ib-gateway/sim-gateway';
import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import { ManualClock, systemClock } from '../../../engine/shared/clock';
import { analyzeMarket } from '../../../engine/workflows/analyze-market';
import { shippedConfig } from '../../helpers/config';

const AT = '2026-11-24T15:30:00Z'; // Tuesday 10:30 ET

describe('IbMarketData through the real client and the fake gateway', () => {
  const clock = new ManualClock(AT);
  const { gateway, market } = simGateway({ seed: 1, clock, maxLines: 100 });
  let session: IbSession;
  let ib: IbMarketData;

  beforeAll(async () => {
    const port = await gateway.listen(0);
    session = new IbSession({ host: '127.0.0.1', port, clientId: 9 }, { requestTimeoutMs: 10_000 });
    await session.connect();
    const pacer = new IbPacer({ clock: systemClock, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
    ib = new IbMarketData(session, pacer, clock);
    await ib.init();
  });

  afterAll(async () => {
    session.disconnect();
    await gateway.close();
  });

  it('should read spot, VIX, IV history and the hourly change as the market has them', async () => {
    expect(await ib.spot('SPY')).toBe(await market.spot('SPY'));
    expect(await ib.vix()).toBe(await market.vix());
    expect(await ib.ivHistory('QQQ', 60)).toEqual(await market.ivHistory('QQQ', 60));
    // Prices cross the wire in cents, so the two agree to the cent-rounding of both prices.
    const direct = await market.change1hPct('IWM');
    expect(Math.abs((await ib.change1hPct('IWM')) - direct)).toBeLessThan(0.01);
  });

  it('should give the chain skeleton of a DTE window with DTE counted in exchange days', async () => {
    const viaIb = await ib.chain('SPY', { dte_min: 35, dte_max: 60 });
    const direct = await market.chain('SPY', { dte_min: 35, dte_max: 60 });
    expect(viaIb.expiries.map((e) => [e.expiry, e.dte])).toEqual(direct.expiries.map((e) => [e.expiry, e.dte]));
    expect(viaIb.spot).toBe(direct.spot);
  });

  it('should analyze SPY, QQQ and IWM through IB to the same picks as the market itself', async () => {
    const config = shippedConfig();
    const symbols = ['SPY', 'QQQ', 'IWM'];
    const viaIb = await analyzeMarket({ marketData: ib, config, symbols, clock });
    const direct = await analyzeMarket({ marketData: new SimMarket({ seed: 1, clock }), config, symbols, clock });
    const picks = (r: typeof viaIb): unknown => r.symbols.map((s) => [s.symbol, s.pick?.strategy ?? null, s.pick?.expiry ?? null, s.pick?.legs.map((l) => l.strike) ?? null, s.pick?.score ?? null]);
    expect(picks(viaIb)).toEqual(picks(direct));
    expect(gateway.peakLines).toBeLessThanOrEqual(100);
  });
});
