import { runDemo, type DemoOptions } from '../../../engine/backtest/demo-run';
import { shippedConfig } from '../../helpers/config';

describe('thetadesk demo --broker ib-sim', () => {
  const base: Omit<DemoOptions, 'broker'> = { config: shippedConfig(), days: 1, seed: 1, start: '2026-01-26', symbols: ['QQQ'], journal: null, startingCash: 100_000, out: () => undefined, progress: null };

  it('trades through the fake IB Gateway and the real IB client to the same report as the in-process paper broker', async () => {
    const lines: string[] = [];
    const viaIb = await runDemo({ ...base, broker: 'ib-sim', out: (l) => lines.push(l) });
    const paper = await runDemo({ ...base, broker: 'paper' });
    // The day (seed 1, 2026-01-26) opens a QQQ bear call and take_profit closes it: orders, fills and fees crossed the wire.
    expect(viaIb.orders).toBeGreaterThanOrEqual(2);
    expect(viaIb.trades).toBeGreaterThanOrEqual(1);
    expect(viaIb).toEqual(paper);
    expect(lines.filter((l) => l.includes('position_mismatch'))).toEqual([]);
  }, 300_000);
});
