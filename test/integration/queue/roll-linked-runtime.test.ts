import type { Redis } from 'ioredis';
import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import type { Broker } from '../../../engine/execution/broker';
import { ChainView } from '../../../engine/market/chain-view';
import { connectRedis } from '../../../engine/queue/redis-connection';
import { removeQueues } from '../../../engine/queue/remove-queues';
import { ManualClock } from '../../../engine/shared/clock';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { RollsRepo } from '../../../engine/store/rolls-repo';
import { buildStrategy } from '../../../engine/strategy/builders';
import { buildParams } from '../../../engine/strategy/template-params';
import { runtimeEngine, type RuntimeEngine } from '../../helpers/runtime-engine';
import { withMinScore } from '../../unit/roll/roll-scenario';

/** The paper broker without multi-expiry combos: the roll goes as a close and an open held until it filled. */
const noRollCombos = (paper: Broker): Broker =>
  new Proxy(paper, {
    get(target, key) {
      if (key === 'max_combo_legs') return undefined;
      const v: unknown = Reflect.get(target, key);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });

describe('a linked roll through the real runtime (BullMQ workers, orders queue)', () => {
  let redis: Redis;
  const prefix = `td-test-roll-${process.pid}-${Date.now()}`;
  let e: RuntimeEngine | null = null;

  beforeAll(async () => {
    redis = await connectRedis();
  });
  afterAll(async () => {
    await e?.stop();
    await removeQueues(redis, prefix);
    redis.disconnect();
  });

  it('should fill the close, then queue and fill the open, and link the positions', async () => {
    const config = withMinScore(70);
    const clock = new ManualClock('2026-02-03T15:00:00Z');
    // An 18-DTE SPY bear call entered yesterday (as the sim would have priced it), journaled as open.
    const market = new SimMarket({ seed: 1, clock, symbols: Object.keys(config.strategies.underlyings) });
    const sk = await market.chain('SPY', { dte_min: 16, dte_max: 21 });
    const refs = sk.expiries.flatMap((x) => x.strikes.flatMap((strike) => (['P', 'C'] as const).map((right) => ({ symbol: 'SPY', expiry: x.expiry, right, strike }))));
    const built = buildStrategy(new ChainView(sk, await market.quotes(refs)), { ...buildParams(config.strategies, 'bear_call', 'SPY'), dte: { min: 16, target: 19, max: 21 } }, 50);
    if (!built.ok) throw new Error(built.rejection.reason);
    const c = built.candidate;
    clock.set(Date.parse('2026-02-04T15:00:00Z'));
    e = await runtimeEngine({ redis, prefix, at: '2026-02-04T15:00:00Z', clock, config, wrapBroker: noRollCombos });
    const positions = new PositionsRepo(e.db);
    positions.open({ id: 'pos-old', opened_by_intent: 'seeded-open', symbol: 'SPY', strategy: 'bear_call', legs: c.legs.map((l) => ({ right: l.right, strike: l.strike, expiry: l.expiry, action: l.action, ratio: 1, con_id: null })), quantity: 1, entry_credit: c.metrics.credit, entry_iv: c.legs[0]?.iv ?? null, entry_vix: 18, entry_time: Date.parse('2026-02-03T15:00:00Z'), entry_deltas: c.legs.map((l) => l.delta) });
    const run = await e.runJob('unified_monitor');
    expect(run.state).toBe('completed');
    await e.idle(60_000);
    const intents = new IntentsRepo(e.db);
    const [close] = intents.forPosition('pos-old');
    const [open] = intents.since(0).filter((i) => i.after_intent === close?.id);
    expect([close?.kind, close?.status, open?.kind, open?.status]).toEqual(['close', 'filled', 'open', 'filled']);
    expect(positions.get('pos-old')?.status).toBe('closed');
    expect(positions.get(open?.position_id ?? '')).toMatchObject({ status: 'open', quantity: 1 });
    expect(new RollsRepo(e.db).rolledFrom(open?.position_id ?? '')).toMatchObject({ from_position_id: 'pos-old', mode: 'linked' });
    // The open went out only after the close filled: its first event follows the close's fill.
    const events = e.db.prepare('SELECT intent_id, event, id FROM order_events WHERE intent_id IN (?, ?) ORDER BY id').all(close?.id, open?.id) as Array<{ intent_id: string; event: string }>;
    const firstOpen = events.findIndex((x) => x.intent_id === open?.id);
    expect(events.slice(0, firstOpen).some((x) => x.intent_id === close?.id && x.event === 'position_applied')).toBe(true);
    expect(events[firstOpen]?.event).toBe('released');
  }, 120_000);
});
