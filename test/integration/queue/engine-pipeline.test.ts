import type { Redis } from 'ioredis';
import { intentId, type OrderIntent } from '../../../engine/model/order-intent';
import { connectRedis } from '../../../engine/queue/redis-connection';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { RiskRefusalsRepo } from '../../../engine/store/risk-refusals-repo';
import { RunsRepo } from '../../../engine/store/runs-repo';
import type { AnalysisResult } from '../../../engine/workflows/analyze-market';
import { analyzeMarket } from '../../../engine/workflows/analyze-market';
import { configWith, replaceOnce } from '../../helpers/config';
import { removeQueues } from '../../../engine/queue/remove-queues';
import { runtimeEngine, type RuntimeEngine } from '../../helpers/runtime-engine';

const AT = '2026-01-13T14:45:00Z';
const loose = configWith((f) => {
  f['rules/entry.yaml'] = replaceOnce(f['rules/entry.yaml'] ?? '', 'value: 33 }', 'value: 20 }');
  f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', 'min_credit_pct_of_width: 33', 'min_credit_pct_of_width: 20');
});

async function openThroughQueue(e: RuntimeEngine, symbol: string): Promise<OrderIntent> {
  const a: AnalysisResult = await analyzeMarket({ marketData: e.runtime.context.market, config: e.runtime.context.config, symbols: [symbol], clock: e.clock });
  const pick = a.symbols[0]?.pick;
  if (!pick) throw new Error(`expected a ${symbol} pick on the fixed seed`);
  const id = intentId({ task: 'test', trading_date: '2026-01-13', symbol, strategy: pick.strategy, subject: pick.expiry });
  const intent: OrderIntent = {
    id,
    kind: 'open',
    position_id: `pos-${id}`,
    symbol,
    strategy: pick.strategy,
    legs: pick.legs.map((l) => ({ symbol, expiry: l.expiry, right: l.right, strike: l.strike, ratio: 1, action: l.action, con_id: null })),
    quantity: 1,
    urgency: 'normal',
    width: pick.metrics.width,
    context: { entry_iv: 0.2, entry_vix: 21, max_loss: 400 },
    config_hash: e.runtime.context.config.hash,
  };
  await e.runtime.context.submit(intent);
  await e.idle();
  expect(new IntentsRepo(e.db).get(id)?.status).toBe('filled');
  return intent;
}

describe('the engine on BullMQ and the real Redis', () => {
  let redis: Redis;
  let e: RuntimeEngine | null = null;
  const prefix = `td-test-pipe-${process.pid}-${Date.now()}`;
  let n = 0;
  const fresh = (): string => `${prefix}-${n++}`;

  beforeAll(async () => {
    redis = await connectRedis();
  });
  afterEach(async () => {
    await e?.stop();
    e = null;
  });
  afterAll(async () => {
    for (let i = 0; i < n; i++) await removeQueues(redis, `${prefix}-${i}`);
    redis.disconnect();
  });

  it('runs an ad-hoc job through the worker and journals its run; a dry run journals nothing', async () => {
    e = await runtimeEngine({ redis, prefix: fresh(), at: AT });
    const r = await e.runJob('strategy_analysis', { id: 'adhoc-analysis-1' });
    expect(r.state).toBe('completed');
    expect((r.result as { status: string }).status).toBe('ok');
    const run = new RunsRepo(e.db).get('adhoc-analysis-1');
    expect(run?.status).toBe('ok');
    expect(run?.detail).toMatch(/^9 candidates ranked; picks: SPY /);
    expect((e.db.prepare('SELECT COUNT(*) AS n FROM candidates').get() as { n: number }).n).toBe(9);
    const dry = await e.runtime.runTask({ id: 'dry-1', name: 'unified_monitor', data: { task: 'unified_monitor', config_hash: e.runtime.context.config.hash, scheduled_for: e.clock.now(), params: {}, dry_run: true }, timestamp: e.clock.now(), opts: {} });
    expect(dry.status).toBe('ok');
    expect(new RunsRepo(e.db).get('dry-1')).toBeNull();
  });

  it('skips a market_open task on a holiday and records a misfire as missed, running neither', async () => {
    e = await runtimeEngine({ redis, prefix: fresh(), at: '2026-01-19T14:45:00Z' }); // Martin Luther King Jr. Day
    const holiday = await e.runJob('strategy_analysis', { id: 'holiday-1' });
    expect(holiday.state).toBe('completed');
    expect(new RunsRepo(e.db).get('holiday-1')).toMatchObject({ status: 'skipped', detail: 'market closed' });
    e.clock.set('2026-01-20T15:05:00Z');
    await e.runJob('strategy_analysis', { id: 'late-1', scheduled_for: Date.parse('2026-01-20T14:45:00Z') });
    expect(new RunsRepo(e.db).get('late-1')).toMatchObject({ status: 'missed' });
    expect(new RunsRepo(e.db).get('late-1')?.detail).toMatch(/^started 1200 s after 2026-01-20T14:45:00.000Z, past the misfire grace of 900 s$/);
    expect((e.db.prepare('SELECT COUNT(*) AS n FROM analyses').get() as { n: number }).n).toBe(0);
  });

  it('a monitored position crossing take-profit gives exactly one close intent and one order through the orders queue', async () => {
    e = await runtimeEngine({ redis, prefix: fresh(), at: AT, config: loose });
    const open = await openThroughQueue(e, 'QQQ');
    e.db.prepare('UPDATE strategy_positions SET entry_credit = entry_credit * 3 WHERE id = ?').run(open.position_id);
    e.clock.advance(5 * 60_000);
    await e.runJob('unified_monitor');
    e.clock.advance(5 * 60_000);
    await e.runJob('unified_monitor');
    const closes = new IntentsRepo(e.db).forPosition(open.position_id);
    expect(closes).toHaveLength(1);
    expect(closes[0]?.status).toBe('filled');
    expect(new IntentsRepo(e.db).ordersOf(closes[0]?.id ?? '')).toHaveLength(1);
    expect(new PositionsRepo(e.db).get(open.position_id)?.status).toBe('closed');
    expect((await e.runtime.orders.getJobs(['completed'])).map((j) => j.id).sort()).toEqual([closes[0]?.id, open.id].sort());
    // Each fill enqueued sync_positions once, by execution id.
    const fillJobs = (await e.runtime.tasks.getJobs(['completed', 'failed'])).filter((j) => j.name === 'sync_positions').map((j) => j.id);
    const execs = (await e.broker.executions(0)).map((x) => `sync_positions@fill-${x.exec_id}`);
    expect(fillJobs.sort()).toEqual(execs.sort());
  });

  it('a halted engine refuses an entry (journaled, alerted) but closes a position', async () => {
    e = await runtimeEngine({ redis, prefix: fresh(), at: AT, config: loose });
    const open = await openThroughQueue(e, 'QQQ');
    e.runtime.risk.killSwitch.halt('integration test', e.clock.now());
    await e.runJob('strategy_analysis');
    e.clock.advance(15 * 60_000);
    const exec = await e.runJob('execute_strategies');
    expect((exec.result as { summary: string }).summary).toMatch(/^no entry: .*refused by risk: trading is halted \(thetadesk resume to lift\)/);
    const refusals = new RiskRefusalsRepo(e.db).since(0);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((r) => r.reasons.includes('trading is halted (thetadesk resume to lift)'))).toBe(true);
    expect(e.logs.some((l) => l.includes('"alert":"risk_refusal"'))).toBe(true);
    e.db.prepare('UPDATE strategy_positions SET entry_credit = entry_credit * 3 WHERE id = ?').run(open.position_id);
    await e.runJob('unified_monitor');
    expect(new PositionsRepo(e.db).get(open.position_id)?.status).toBe('closed');
    expect(new IntentsRepo(e.db).since(0).filter((i) => i.kind === 'open')).toHaveLength(1);
  });
});
