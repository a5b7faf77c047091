import { PaperBroker } from '../../../engine/adapters/sim/paper-broker';
import type { ComboLeg } from '../../../engine/model/leg';
import { ManualClock } from '../../../engine/shared/clock';
import { TableMarket } from './fake-market';

const NEAR = '2026-12-11';
const FAR = '2027-01-22';
const leg = (expiry: string, strike: number, action: 'BUY' | 'SELL'): ComboLeg => ({ symbol: 'SPY', expiry, right: 'P', strike, ratio: 1, action, con_id: null });

describe('PaperBroker when a bull put is rolled out as one 4-leg combo', () => {
  it('should fill it at one net price, flatten the old legs, hold the new ones and report four leg prices', async () => {
    const market = new TableMarket();
    market.set(NEAR, 'P', 540, 0.6, 0.7);
    market.set(NEAR, 'P', 535, 0.25, 0.35);
    market.set(FAR, 'P', 530, 3.0, 3.2);
    market.set(FAR, 'P', 525, 1.9, 2.1);
    const clock = new ManualClock('2026-11-24T15:00:00Z');
    const broker = new PaperBroker({ market, clock, seed: 1, stateFile: ':memory:' });
    try {
      // One lot: above one the book may take part of an order a minute (a draw keyed by the order ref).
      await broker.placeCombo({ order_ref: 'open', symbol: 'SPY', legs: [leg(NEAR, 540, 'SELL'), leg(NEAR, 535, 'BUY')], quantity: 1, limit_price: -0.2, tif: 'DAY' });
      // Close: buy back 540, sell 535 (mid debit 0.35); open: sell 530, buy 525 (mid credit 1.10): net mid −0.75.
      const roll = [leg(NEAR, 540, 'BUY'), leg(NEAR, 535, 'SELL'), leg(FAR, 530, 'SELL'), leg(FAR, 525, 'BUY')];
      const placed = await broker.placeCombo({ order_ref: 'roll', symbol: 'SPY', legs: roll, quantity: 1, limit_price: -0.5, tif: 'DAY' });
      expect(placed.status).toBe('filled');
      const [x] = (await broker.executions(0)).filter((e) => e.order_ref === 'roll');
      expect(x?.quantity).toBe(1);
      expect(x?.price).toBeCloseTo(-0.5, 6);
      expect(x?.leg_prices).toHaveLength(4);
      // The legs' prices make up the combo's: −(sold) + (bought).
      const net = roll.reduce((s, l, i) => s + (l.action === 'BUY' ? 1 : -1) * (x?.leg_prices[i] ?? 0), 0);
      expect(net).toBeCloseTo(-0.5, 4);
      expect(x?.commission).toBeCloseTo(0.65 * 4, 6);
      const held = (await broker.positions()).map((p) => `${p.expiry} ${p.strike}${p.right} ${p.quantity}`).sort();
      expect(held).toEqual([`${FAR} 525P 1`, `${FAR} 530P -1`]);
    } finally {
      broker.close();
    }
  });
});
