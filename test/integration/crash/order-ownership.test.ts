import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import { loadConfig } from '../../../engine/config/load-config';
import { intentId, type OrderIntent } from '../../../engine/model/order-intent';
import { dispatchToQueue } from '../../../engine/queue/orders-queue';
import { ORDERS_QUEUE } from '../../../engine/queue/queue-names';
import { connectRedis } from '../../../engine/queue/redis-connection';
import { removeQueues } from '../../../engine/queue/remove-queues';
import { systemClock } from '../../../engine/shared/clock';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { openJournal } from '../../../engine/store/journal';

const ROOT = path.join(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/thetadesk.js');

/** A real `thetadesk worker --queues orders` process, its output kept for the assertions. */
interface WorkerProc {
  readonly child: ChildProcess;
  out: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function startWorker(dir: string, prefix: string, grace = '5s'): WorkerProc {
  const child = spawn(process.execPath, [BIN, 'worker', '--queues', 'orders', '--config', ROOT, '--journal', path.join(dir, 'journal.db'), '--paper-state', path.join(dir, 'paper.db'), '--prefix', prefix, '--grace', grace], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const w: WorkerProc = {
    child,
    out: '',
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() }))),
  };
  child.stdout?.on('data', (d: Buffer) => (w.out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (w.out += d.toString()));
  return w;
}

async function until(what: string, ready: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Orders the paper broker holds for an intent (its own state file, read as the broker's record). */
function brokerOrders(dir: string, ref: string): Array<{ id: string; status: string }> {
  const file = path.join(dir, 'paper.db');
  if (!fs.existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, status FROM orders WHERE order_ref = ?').all(ref) as Array<{ id: string; status: string }>;
  } catch {
    return [];
  } finally {
    db.close();
  }
}

/**
 * A bear call on today's simulated SPY chain, walked at normal urgency: its first minute of steps
 * sits below the paper broker's fill band, so a test has time to stop its worker mid-walk.
 */
async function bearCall(kind: 'open' | 'close', tag: string): Promise<OrderIntent> {
  const config = loadConfig(ROOT);
  const market = new SimMarket({ seed: 1, clock: systemClock, symbols: ['SPY'] });
  const chain = await market.chain('SPY', { dte_min: 30, dte_max: 60 });
  const e = chain.expiries[0];
  if (!e) throw new Error('no 30–60 DTE SPY expiry on the simulated market');
  const short = e.strikes.find((k) => k >= chain.spot * 1.02) ?? e.strikes[e.strikes.length - 6]!;
  const sell = kind === 'open' ? 'SELL' : 'BUY';
  const buy = kind === 'open' ? 'BUY' : 'SELL';
  const id = intentId({ task: 'ownership-test', trading_date: '2026-01-05', symbol: 'SPY', strategy: 'bear_call', subject: `${tag}-${process.pid}-${Date.now()}` });
  return {
    id,
    kind,
    position_id: `pos-${id}`,
    symbol: 'SPY',
    strategy: 'bear_call',
    legs: [
      { symbol: 'SPY', expiry: e.expiry, right: 'C', strike: short, ratio: 1, action: sell, con_id: null },
      { symbol: 'SPY', expiry: e.expiry, right: 'C', strike: short + 5, ratio: 1, action: buy, con_id: null },
    ],
    quantity: 1,
    urgency: 'normal',
    width: 5,
    // Generous floor for the test: the credit gate is not what is tested here.
    context: { entry_iv: 0.2, entry_vix: 18, max_loss: 500 },
    config_hash: config.hash,
  };
}

describe('orders always have an owner (real worker processes, real Redis)', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const procs: WorkerProc[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    redis = await connectRedis();
  });
  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    for (const p of prefixes) await removeQueues(redis, p);
    redis.disconnect();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  function world(tag: string): { dir: string; prefix: string; queue: Queue } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `thetadesk-own-${tag}-`));
    const prefix = `td-test-own-${tag}-${process.pid}-${Date.now()}`;
    dirs.push(dir);
    prefixes.push(prefix);
    return { dir, prefix, queue: new Queue(ORDERS_QUEUE, { connection: redis, prefix }) };
  }

  /** What `submit` does in the engine: journal once, then the intent id onto the orders queue. */
  async function submit(dir: string, queue: Queue, intent: OrderIntent): Promise<void> {
    const db = openJournal(path.join(dir, 'journal.db'));
    new IntentsRepo(db).create(intent, Date.now());
    db.close();
    await dispatchToQueue(queue, systemClock)(intent);
  }

  const journalStatus = (dir: string, id: string): string => {
    const db = new Database(path.join(dir, 'journal.db'), { readonly: true });
    try {
      return (db.prepare('SELECT status FROM order_intents WHERE id = ?').get(id) as { status: string }).status;
    } finally {
      db.close();
    }
  };

  it('should let a surviving worker adopt the order of a worker SIGKILLed mid-walk, within the stalled interval, without a second order', async () => {
    const { dir, prefix, queue } = world('kill');
    const a = startWorker(dir, prefix);
    procs.push(a);
    await until('worker A running', () => a.out.includes('running ('), 30_000);
    const intent = await bearCall('close', 'kill');
    await submit(dir, queue, intent);
    await until('the order at the broker', () => brokerOrders(dir, intent.id).length === 1, 30_000);
    const b = startWorker(dir, prefix);
    procs.push(b);
    await until('worker B running', () => b.out.includes('running ('), 30_000);
    a.child.kill('SIGKILL');
    const killedAt = Date.now();
    await until('worker B adopting the intent', () => b.out.includes(`adopting intent ${intent.id}`), 60_000);
    // Lock (20 s) + stalled check (10 s) + ownership sweep (5 s), with room for a loaded machine.
    expect(Date.now() - killedAt).toBeLessThan(50_000);
    await until('the adopted walk recorded', () => {
      const db = new Database(path.join(dir, 'journal.db'), { readonly: true });
      try {
        return (db.prepare("SELECT COUNT(*) AS n FROM order_events WHERE intent_id = ? AND event = 'adopted'").get(intent.id) as { n: number }).n > 0;
      } finally {
        db.close();
      }
    }, 20_000);
    expect(brokerOrders(dir, intent.id)).toHaveLength(1);
    b.child.kill('SIGTERM');
    await b.exited;
    expect(brokerOrders(dir, intent.id)).toHaveLength(1);
    await queue.close();
  }, 180_000);

  it('should exit within --grace on SIGTERM mid-walk, cancelling an opening order (on_shutdown.open: cancel), with exactly one broker order', async () => {
    const { dir, prefix, queue } = world('term-open');
    const a = startWorker(dir, prefix, '5s');
    procs.push(a);
    await until('worker running', () => a.out.includes('running ('), 30_000);
    const intent = await bearCall('open', 'term');
    await submit(dir, queue, intent);
    await until('the order at the broker', () => brokerOrders(dir, intent.id).length === 1, 30_000);
    const sentAt = Date.now();
    a.child.kill('SIGTERM');
    const exit = await a.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - sentAt).toBeLessThan(5_000 + 5_000);
    expect(brokerOrders(dir, intent.id)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    expect(journalStatus(dir, intent.id)).toBe('cancelled');
    await queue.close();
  }, 120_000);

  it('should leave a closing order resting on SIGTERM (on_shutdown.close: leave) and the next worker adopt it at start', async () => {
    const { dir, prefix, queue } = world('term-close');
    const a = startWorker(dir, prefix, '5s');
    procs.push(a);
    await until('worker running', () => a.out.includes('running ('), 30_000);
    const intent = await bearCall('close', 'leave');
    await submit(dir, queue, intent);
    await until('the order at the broker', () => brokerOrders(dir, intent.id).length === 1, 30_000);
    a.child.kill('SIGTERM');
    const exit = await a.exited;
    expect(exit.code).toBe(0);
    expect(journalStatus(dir, intent.id)).toBe('working');
    expect(brokerOrders(dir, intent.id)).toEqual([expect.objectContaining({ status: 'submitted' })]);
    const b = startWorker(dir, prefix, '5s');
    procs.push(b);
    await until('worker B adopting the intent', () => b.out.includes(`adopting intent ${intent.id}`), 30_000);
    b.child.kill('SIGTERM');
    await b.exited;
    expect(brokerOrders(dir, intent.id)).toHaveLength(1);
    await queue.close();
  }, 120_000);
});
