import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { PrivateRedis, RunningEngine, tempDir } from '../chaos/support/chaos-kit';

/** `thetadesk run --record` as users start it: a real run (sim market, paper broker) at 09:44:50 ET, its 09:45 analysis recorded. */
describe('when thetadesk run records its market', () => {
  let redis: PrivateRedis;
  let dir: string;
  beforeAll(async () => {
    redis = await PrivateRedis.start(false);
    dir = tempDir('run-record');
  });
  afterAll(async () => {
    await redis?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should write every answer and the analysis capture into the recording beside the journal', async () => {
    const journal = path.join(dir, 'journal.db');
    const flags = ['--journal', journal, '--paper-state', path.join(dir, 'paper.db'), '--prefix', 'run-record', '--grace', '5s'];
    const engine = new RunningEngine(['run', ...flags, '--record'], { redisUrl: redis.url, offsetMs: Date.parse('2026-01-05T14:44:50Z') - Date.now() });
    try {
      const said = await engine.waitFor(/recording market answers into /, 60_000);
      const file = /recording market answers into (\S+);/.exec(said)?.[1] as string;
      expect(path.dirname(file)).toBe(path.join(dir, 'recordings'));
      expect(path.basename(file)).toMatch(/^market-20260105T1444\d\dZ\.db$/);
      await engine.waitFor(/strategy_analysis: /, 90_000);
      expect((await engine.stop('SIGINT')).code).toBe(0);
      const db = new Database(file, { readonly: true });
      try {
        const n = (t: string, where = ''): number => db.prepare(`SELECT COUNT(*) FROM ${t} ${where}`).pluck().get() as number;
        expect(n('spots')).toBeGreaterThan(0);
        expect(n('vix')).toBeGreaterThan(0);
        expect(n('chains')).toBeGreaterThan(0);
        expect(n('quotes', 'WHERE captured = 0')).toBeGreaterThan(0);
        // The capture: every symbol's strikes within the configured windows, at the analysis.
        const captured = db.prepare("SELECT symbol, COUNT(*) AS n, MIN(ABS(delta)) AS lo, MAX(ABS(delta)) AS hi FROM quotes WHERE captured = 1 GROUP BY symbol ORDER BY symbol").all() as Array<{ symbol: string; n: number; lo: number; hi: number }>;
        expect(captured.map((c) => c.symbol)).toEqual(['IWM', 'QQQ', 'SPY']);
        for (const c of captured) {
          expect(c.n).toBeGreaterThan(100);
          expect(c.lo).toBeGreaterThanOrEqual(0.06);
          expect(c.hi).toBeLessThanOrEqual(0.55);
        }
      } finally {
        db.close();
      }
    } finally {
      await engine.stop('SIGKILL');
    }
  }, 180_000);
});
