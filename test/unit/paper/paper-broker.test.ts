import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PaperBroker } from '../../../engine/adapters/sim/paper-broker';
import type { ComboOrderRequest } from '../../../engine/model/broker-records';
import type { ComboLeg } from '../../../engine/model/leg';
import { ManualClock } from '../../../engine/shared/clock';
import { TableMarket } from './fake-market';

const EXP = '2027-01-08';
const leg = (right: 'P' | 'C', strike: number, action: 'BUY' | 'SELL'): ComboLeg => ({ symbol: 'SPY', expiry: EXP, right, strike, ratio: 1, action, con_id: null });
const BULL_PUT = [leg('P', 540, 'SELL'), leg('P', 535, 'BUY')];

function setup(opts: { cash?: number; file?: string; seed?: number } = {}): { market: TableMarket; clock: ManualClock; broker: PaperBroker } {
  const market = new TableMarket();
  market.set(EXP, 'P', 540, 3.0, 3.2); // sell: bid 3.0
  market.set(EXP, 'P', 535, 1.9, 2.1); // buy: ask 2.1 → mid credit 1.10, natural credit 0.90
  const clock = new ManualClock('2026-11-24T15:00:00Z');
  const broker = new PaperBroker({ market, clock, seed: opts.seed ?? 1, stateFile: opts.file ?? ':memory:', startingCash: opts.cash ?? 100_000 });
  return { market, clock, broker };
}

const order = (over: Partial<ComboOrderRequest> = {}): ComboOrderRequest => ({ order_ref: 'intent-1', symbol: 'SPY', legs: BULL_PUT, quantity: 1, limit_price: -0.9, tif: 'DAY', ...over });

describe('PaperBroker', () => {
  describe('when a credit spread is offered at natural', () => {
    it('should fill at the limit, book both legs and the cash, and charge commission per contract', async () => {
      const { broker } = setup();
      const placed = await broker.placeCombo(order());
      expect(placed.status).toBe('filled');
      const [e] = await broker.executions(0);
      expect(e).toMatchObject({ order_ref: 'intent-1', quantity: 1, price: -0.9, commission: 1.3 });
      expect(await broker.positions()).toEqual([
        { symbol: 'SPY', expiry: EXP, right: 'P', strike: 535, con_id: null, quantity: 1, avg_cost: expect.any(Number) },
        { symbol: 'SPY', expiry: EXP, right: 'P', strike: 540, con_id: null, quantity: -1, avg_cost: expect.any(Number) },
      ]);
      const a = await broker.accountSummary();
      expect(a.cash).toBeCloseTo(100_000 + 90 - 1.3, 6);
      // Marked at mid the spread is worth −1.10 × 100: down 20 dollars against the 0.90 credit.
      expect(a.unrealized_pnl).toBeCloseTo(-20, 6);
    });
  });

  describe('when the limit is better than the market (marketable)', () => {
    it('should fill at the natural, not at the limit, with each leg at its own natural side', async () => {
      const { broker } = setup();
      // Asks only a 0.05 credit where the market pays 0.90: IB fills at the market or better.
      const placed = await broker.placeCombo(order({ limit_price: -0.05 }));
      expect(placed.status).toBe('filled');
      const [e] = await broker.executions(0);
      expect(e?.price).toBeCloseTo(-0.9, 9);
      // Sold 540 put at its bid 3.00, bought 535 put at its ask 2.10.
      expect(e?.leg_prices).toEqual([3.0, 2.1]);
      expect((await broker.accountSummary()).cash).toBeCloseTo(100_000 + 90 - 1.3, 6);
    });
  });

  describe('when a fill lands between mid and natural', () => {
    it.each([-1.0, -0.95, -0.92])('should print every leg inside its bid/ask and the legs should sum to the combo price %p', async (limit) => {
      let fills = 0;
      for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
        const { broker, clock } = setup({ seed });
        await broker.placeCombo(order({ limit_price: limit }));
        for (let i = 0; i < 30 && (await broker.openOrders()).length > 0; i++) {
          clock.advance(60_000);
          await broker.processAt();
        }
        for (const e of await broker.executions(0)) {
          fills += 1;
          const [sold, bought] = e.leg_prices;
          expect(sold).toBeGreaterThanOrEqual(3.0 - 1e-4);
          expect(sold).toBeLessThanOrEqual(3.2 + 1e-4);
          expect(bought).toBeGreaterThanOrEqual(1.9 - 1e-4);
          expect(bought).toBeLessThanOrEqual(2.1 + 1e-4);
          expect((bought ?? 0) - (sold ?? 0)).toBeCloseTo(e.price, 6);
          expect(e.price).toBeLessThanOrEqual(limit + 1e-9);
        }
      }
      expect(fills).toBeGreaterThan(0);
    });
  });

  describe('when the limit is at mid', () => {
    it('should rest, then fill once walked to natural', async () => {
      const { broker } = setup();
      const placed = await broker.placeCombo(order({ limit_price: -1.1 }));
      expect(placed.status).toBe('submitted');
      expect(await broker.openOrders()).toHaveLength(1);
      await broker.modifyPrice(placed.broker_order_id, -0.9);
      expect(await broker.openOrders()).toHaveLength(0);
      expect((await broker.executions(0)).map((x) => x.price)).toEqual([-0.9]);
    });
  });

  describe('when more than one contract is ordered', () => {
    it('should be able to fill in parts over successive minutes, never more than ordered', async () => {
      const parts: number[] = [];
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const { broker, clock } = setup({ seed });
        await broker.placeCombo(order({ quantity: 7 }));
        for (let i = 0; i < 30 && (await broker.openOrders()).length > 0; i++) {
          clock.advance(60_000);
          await broker.processAt();
        }
        const execs = await broker.executions(0);
        expect(execs.reduce((s, x) => s + x.quantity, 0)).toBe(7);
        expect((await broker.positions()).map((p) => p.quantity).sort()).toEqual([-7, 7]);
        parts.push(execs.length);
      }
      expect(Math.max(...parts)).toBeGreaterThan(1);
    });
  });

  describe('rejections', () => {
    it('should reject a leg with no quote (unknown contract)', async () => {
      const { broker } = setup();
      await expect(broker.placeCombo(order({ legs: [leg('P', 541, 'SELL'), leg('P', 535, 'BUY')] }))).rejects.toMatchObject({ code: 'PAPER_UNKNOWN_CONTRACT', kind: 'rejected' });
    });

    it('should reject a credit asked for a debit combo', async () => {
      const { broker } = setup();
      await expect(broker.placeCombo(order({ legs: [leg('P', 540, 'BUY'), leg('P', 535, 'SELL')], limit_price: -0.5 }))).rejects.toMatchObject({ code: 'PAPER_DEBIT_AS_CREDIT' });
    });

    it('should reject what the buying power cannot carry (max loss of the spread)', async () => {
      const { broker } = setup({ cash: 1000 });
      // 3 × (5 − 0.90) × 100 = 1230 > 1000.
      await expect(broker.placeCombo(order({ quantity: 3 }))).rejects.toMatchObject({ code: 'PAPER_BUYING_POWER', message: 'order intent-1: needs 1230.00 of buying power, the account has 1000.00' });
      // Accepted (how much of it fills this minute is the fill model's draw, keyed by the order ref).
      await expect(broker.placeCombo(order({ quantity: 2 }))).resolves.toMatchObject({ status: expect.stringMatching(/^(filled|partially_filled)$/) });
    });

    it('should refuse to modify or cancel a filled order', async () => {
      const { broker } = setup();
      const placed = await broker.placeCombo(order());
      await expect(broker.cancel(placed.broker_order_id)).rejects.toMatchObject({ code: 'PAPER_CANNOT_CANCEL' });
      await expect(broker.modifyPrice(placed.broker_order_id, -1)).rejects.toMatchObject({ code: 'PAPER_NOT_WORKING' });
    });
  });

  describe('when the engine process restarts', () => {
    it("should find the account's orders, executions and positions in its own file", async () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-paper-')), 'paper.db');
      const first = setup({ file });
      await first.broker.placeCombo(order());
      await first.broker.placeCombo(order({ order_ref: 'intent-2', limit_price: -1.2 }));
      first.broker.close();
      const second = setup({ file });
      expect((await second.broker.openOrders()).map((o) => o.order_ref)).toEqual(['intent-2']);
      expect((await second.broker.executions(0)).map((e) => e.order_ref)).toEqual(['intent-1']);
      expect(await second.broker.positions()).toHaveLength(2);
      const again = await second.broker.placeCombo(order({ order_ref: 'intent-3' }));
      expect(again.broker_order_id).toBe('3');
    });
  });

  describe('when a deep in-the-money spread is closed', () => {
    it('should fill at the width when the legs\' natural adds up past it, never above what the spread can be worth', async () => {
      const { market, broker } = setup();
      await broker.placeCombo(order());
      // Spot far below both puts: the 540/535 put spread is worth its 5.00 width, but the legs'
      // quotes put its mid at 5.30 and its natural (buy 540 at 50.90, sell 535 at 45.10) at 5.80.
      market.spotPrice = 490;
      market.set(EXP, 'P', 540, 50.3, 50.9);
      market.set(EXP, 'P', 535, 45.1, 45.5);
      const close = [leg('P', 540, 'BUY'), leg('P', 535, 'SELL')];
      const placed = await broker.placeCombo(order({ order_ref: 'close-1', legs: close, limit_price: 5.0 }));
      expect(placed.status).toBe('filled');
      const fills = (await broker.executions(0)).filter((e) => e.order_ref === 'close-1');
      expect(fills.map((e) => e.price)).toEqual([5.0]);
      expect((await broker.positions()).every((p) => p.quantity === 0)).toBe(true);
    });

    it('should not bound a combo whose legs expire on different days (a roll)', async () => {
      const { maxPayoffPerShare } = await import('../../../engine/adapters/sim/paper/combo-math');
      expect(maxPayoffPerShare([leg('P', 540, 'BUY'), leg('P', 535, 'SELL')])).toBe(5);
      expect(maxPayoffPerShare([leg('P', 540, 'BUY'), { ...leg('P', 535, 'SELL'), expiry: '2027-02-19' }])).toBe(Number.POSITIVE_INFINITY);
      expect(maxPayoffPerShare([leg('C', 540, 'BUY')])).toBe(Number.POSITIVE_INFINITY);
    });
  });

  describe('at expiry', () => {
    it('should cash-settle at intrinsic after the close and realize the P&L', async () => {
      const { broker, clock, market } = setup();
      await broker.placeCombo(order());
      market.spotPrice = 538; // short 540 put 2 ITM, long 535 worthless
      clock.set('2027-01-08T21:00:01Z'); // 16:00:01 ET on expiry day
      await broker.processAt();
      expect(await broker.positions()).toEqual([]);
      const a = await broker.accountSummary();
      // credit 90 − commission 1.30 − 200 assigned on the short put
      expect(a.cash).toBeCloseTo(100_000 + 90 - 1.3 - 200, 6);
      expect(a.realized_pnl).toBeCloseTo(90 - 1.3 - 200, 6);
    });
  });

  it('should replay the same fills for the same seed and clock', async () => {
    const run = async (): Promise<unknown> => {
      const { broker, clock } = setup({ seed: 7 });
      await broker.placeCombo(order({ quantity: 5, limit_price: -1.0 }));
      for (let i = 0; i < 10; i++) {
        clock.advance(60_000);
        await broker.processAt();
      }
      return (await broker.executions(0)).map((e) => [e.quantity, e.time]);
    };
    expect(await run()).toEqual(await run());
  });
});
