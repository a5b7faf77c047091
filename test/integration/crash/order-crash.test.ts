import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';

const CHILD = path.join(__dirname, 'crash-child.ts');
const POINTS = ['after_intent', 'after_send', 'after_ack', 'mid_walk'] as const;
const RUNS_PER_POINT = 20;
const PARALLEL = 4;

interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

interface RunVerdict {
  readonly point: string;
  readonly seed: number;
  readonly killed: boolean;
  readonly brokerOrders: number;
  readonly brokerFilled: number;
  readonly journalFilled: number;
  readonly journalStatus: string;
  readonly positionQty: number;
  readonly recovered: string;
}

async function oneRun(point: string, seed: number): Promise<RunVerdict> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-crash-'));
  const journal = path.join(dir, 'journal.db');
  const paper = path.join(dir, 'paper.db');
  const start = '2026-11-24T15:00:00Z';
  const first = await runChild([journal, paper, String(seed), point, start]);
  // The restarted engine runs later in (virtual) time, as a real restart would.
  const second = await runChild([journal, paper, String(seed), 'none', '2026-11-24T15:20:00Z']);
  const p = new Database(paper, { readonly: true });
  const j = new Database(journal, { readonly: true });
  try {
    const brokerOrders = (p.prepare("SELECT COUNT(*) AS n FROM orders WHERE order_ref LIKE '2026-11-24-SPY-bull_put-%'").get() as { n: number }).n;
    const brokerFilled = (p.prepare('SELECT COALESCE(SUM(quantity), 0) AS n FROM executions').get() as { n: number }).n;
    const journalFilled = (j.prepare('SELECT COALESCE(SUM(quantity), 0) AS n FROM executions').get() as { n: number }).n;
    const journalStatus = (j.prepare('SELECT status FROM order_intents').get() as { status: string } | undefined)?.status ?? 'none';
    const positionQty = (j.prepare("SELECT COALESCE(SUM(quantity), 0) AS n FROM strategy_positions WHERE status = 'open'").get() as { n: number }).n;
    return { point, seed, killed: first.signal === 'SIGKILL', brokerOrders, brokerFilled, journalFilled, journalStatus, positionQty, recovered: second.code === 0 ? 'ok' : `exit ${second.code}: ${second.stderr.slice(0, 300)}` };
  } finally {
    p.close();
    j.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('order manager crash recovery (child processes killed with SIGKILL)', () => {
  describe.each(POINTS)('when the engine is killed %s', (point) => {
    it(`should end, after ${RUNS_PER_POINT} restarts, with one broker order per intent, no fill lost, journal and broker agreeing`, async () => {
      const verdicts: RunVerdict[] = [];
      const seeds = Array.from({ length: RUNS_PER_POINT }, (_, i) => i + 1);
      for (let i = 0; i < seeds.length; i += PARALLEL) {
        verdicts.push(...(await Promise.all(seeds.slice(i, i + PARALLEL).map((s) => oneRun(point, s)))));
      }
      for (const v of verdicts) {
        expect({ seed: v.seed, killed: v.killed, recovered: v.recovered }).toEqual({ seed: v.seed, killed: true, recovered: 'ok' });
        expect({ seed: v.seed, orders: v.brokerOrders }).toEqual({ seed: v.seed, orders: 1 });
        expect({ seed: v.seed, journal: v.journalFilled, position: v.positionQty }).toEqual({ seed: v.seed, journal: v.brokerFilled, position: v.brokerFilled });
        expect(['filled', 'partially_filled', 'unfilled']).toContain(v.journalStatus);
        if (v.journalStatus === 'filled') expect(v.brokerFilled).toBe(3);
      }
    }, 240_000);
  });
});
