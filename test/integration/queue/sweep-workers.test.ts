import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { BIN, run } from '../../helpers/cli';
import { REPO_ROOT } from '../../helpers/config';

const PREFIX = `td-sweep-test-${process.pid}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-sweep-workers-'));

interface Started {
  readonly child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function startWorker(): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'worker', '--queues', 'backtests', '--prefix', PREFIX, '--grace', '60s'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`worker did not start:\n${out}`)), 30_000);
    const check = setInterval(() => {
      if (out.includes('running (backtests')) {
        clearTimeout(t);
        clearInterval(check);
        resolve({ child, output: () => out, exited });
      }
    }, 100);
  });
}

afterAll(async () => {
  const redis = new IORedis({ maxRetriesPerRequest: null });
  await new Queue('backtests', { connection: redis, prefix: PREFIX }).obliterate({ force: true });
  redis.disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('when a sweep runs on two backtest workers', () => {
  it('should have both take variants and gather every variant into one ranked table', async () => {
    const sweep = path.join(dir, 'sweep.yaml');
    fs.writeFileSync(
      sweep,
      `base: ${REPO_ROOT}
backtest: { from: "2026-01-26", to: "2026-01-26", seed: 1, symbols: [QQQ] }
grid:
  - name: take_profit
    file: rules/exit.yaml
    path: rules[name=take_profit].conditions.all[0].value
    values: [40, 60]
  - file: strategies.yaml
    path: scoring.min_score
    values: [65, 75]
`,
    );
    const workers = await Promise.all([startWorker(), startWorker()]);
    try {
      const r = await run(['backtest', '--sweep', sweep, '--prefix', PREFIX, '--local-workers', '0', '--out', path.join(dir, 'out'), '--json'], { cwd: dir, timeoutMs: 180_000 });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const res = JSON.parse(r.stdout) as { variants: number; completed: number; rows: Array<{ rank: number; variant: string; params: Record<string, number>; worker: string; summary: { trading_days: number; trades: number; realized_pnl: number } }> };
      expect([res.variants, res.completed]).toEqual([4, 4]);
      expect(res.rows.map((x) => x.rank)).toEqual([1, 2, 3, 4]);
      expect(res.rows.map((x) => x.variant).sort()).toEqual(['v01-take_profit-40_min_score-65', 'v02-take_profit-40_min_score-75', 'v03-take_profit-60_min_score-65', 'v04-take_profit-60_min_score-75']);
      const pids = new Set(res.rows.map((x) => x.worker.split(':')[1]));
      expect(pids).toEqual(new Set(workers.map((w) => String(w.child.pid))));
      for (const x of res.rows) expect(x.summary.trading_days).toBe(1);
      // Ranked by realized P&L, best first.
      const pnl = res.rows.map((x) => x.summary.realized_pnl);
      expect(pnl).toEqual([...pnl].sort((a, b) => b - a));
      // take_profit 40 closes the day's bear call (profit reached 40% but not 60%): a real backtest, not a stub.
      expect(res.rows.filter((x) => x.params.take_profit === 40).every((x) => x.summary.trades === 1)).toBe(true);
      expect(res.rows.filter((x) => x.params.take_profit === 60).every((x) => x.summary.trades === 0)).toBe(true);
      expect(fs.readFileSync(path.join(dir, 'out', 'sweep.txt'), 'utf8').split('\n')[0]).toBe('ranked by realized_pnl');
    } finally {
      for (const w of workers) w.child.kill('SIGINT');
      const codes = await Promise.all(workers.map((w) => w.exited));
      expect(codes).toEqual([0, 0]);
      for (const w of workers) expect(w.output()).toMatch(/backtest sweep-\S+\/v0\d-\S+: done in/);
    }
  }, 240_000);
});
