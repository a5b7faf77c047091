import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDemo } from '../../engine/backtest/demo-run';
import { shippedConfig } from './config';

export interface DemoFixture {
  readonly dir: string;
  readonly journal: string;
  readonly paperState: string;
  /** An instant after the demo's last day (positions are marked as of it). */
  readonly at: string;
  readonly remove: () => void;
}

/**
 * A journal and paper account made by two demo days from 2026-01-13, seed 1 (the shipped gates
 * enter on day 1 and take_profit closes one on day 2): open positions, an exit by a rule, orders
 * with walks and fills. About 15 s.
 */
export async function twoDayDemo(): Promise<DemoFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-demo-fixture-'));
  await runDemo({ config: shippedConfig(), days: 2, seed: 1, start: '2026-01-13', symbols: null, dir, startingCash: 100_000, out: () => undefined, progress: null });
  return { dir, journal: path.join(dir, 'journal.db'), paperState: path.join(dir, 'paper.db'), at: '2026-01-15T04:00:00Z', remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
