import { surfaceVol } from '../../../engine/adapters/sim/market/iv-surface';
import { bsmPrice } from '../../../engine/market/bsm';

describe('when the simulated vol surface prices a chain', () => {
  const SPOT = 500;
  const strikes: number[] = [];
  for (let k = SPOT * 0.6; k <= SPOT * 1.4; k += 1) strikes.push(k);

  it.each([0.08, 0.12, 0.16, 0.25, 0.4, 0.7, 1.1].flatMap((atm) => [1, 3, 7, 14, 30, 45, 90, 400].map((dte) => [atm, dte] as const)))(
    'should be free of vertical and butterfly arbitrage at short vol %d and %d DTE',
    (atm, dte) => {
      const t = dte / 365;
      for (const right of ['P', 'C'] as const) {
        const p = strikes.map((strike) => bsmPrice({ right, spot: SPOT, strike, t, r: 0.045, q: 0.013, vol: surfaceVol(atm, 0.16, SPOT, strike, t, 0.35) }));
        for (let i = 1; i < p.length; i++) {
          // Puts rise with the strike, calls fall: a further wing never costs more.
          const step = right === 'P' ? p[i]! - p[i - 1]! : p[i - 1]! - p[i]!;
          expect(step).toBeGreaterThanOrEqual(-1e-9);
          if (i < p.length - 1) expect(p[i - 1]! - 2 * p[i]! + p[i + 1]!).toBeGreaterThanOrEqual(-1e-7);
        }
      }
    },
  );
});
