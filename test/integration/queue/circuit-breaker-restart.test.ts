import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Redis } from 'ioredis';
import type { PaperBroker } from '../../../engine/adapters/sim/paper-broker';
import type { Broker } from '../../../engine/execution/broker';
import type { ComboOrderRequest, PlacedOrder } from '../../../engine/model/broker-records';
import type { OrderIntent } from '../../../engine/model/order-intent';
import { connectRedis } from '../../../engine/queue/redis-connection';
import { BrokerRejectedError } from '../../../engine/shared/errors';
import { ManualClock } from '../../../engine/shared/clock';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { configWith, replaceOnce } from '../../helpers/config';
import { removeQueues } from '../../../engine/queue/remove-queues';
import { runtimeEngine, type RuntimeEngine } from '../../helpers/runtime-engine';

const loose = configWith((f) => {
  f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', 'min_credit_pct_of_width: 33', 'min_credit_pct_of_width: 5');
});

/** The paper broker, refusing every order with IB's code 201 while `reject` is on. */
function rejecting(p: PaperBroker, state: { reject: boolean }): Broker {
  return new Proxy(p, {
    get(target, prop, receiver) {
      if (prop === 'placeCombo' && state.reject) {
        return async (o: ComboOrderRequest): Promise<PlacedOrder> => {
          throw new BrokerRejectedError('201', `order ${o.order_ref} rejected: margin`);
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as Broker;
}

function intent(n: number, kind: 'open' | 'close', hash: string): OrderIntent {
  return {
    id: `breaker-${kind}-${n}`,
    kind,
    position_id: `pos-breaker-${n}`,
    symbol: 'SPY',
    strategy: 'bull_put',
    legs: [
      { symbol: 'SPY', expiry: '2026-02-20', right: 'P', strike: 580, ratio: 1, action: kind === 'open' ? 'SELL' : 'BUY', con_id: null },
      { symbol: 'SPY', expiry: '2026-02-20', right: 'P', strike: 575, ratio: 1, action: kind === 'open' ? 'BUY' : 'SELL', con_id: null },
    ],
    quantity: 1,
    urgency: 'immediate',
    width: 5,
    context: { entry_iv: 0.2, entry_vix: 20, max_loss: 400 },
    config_hash: hash,
  };
}

describe('the circuit breaker across a restart', () => {
  let redis: Redis;
  const prefix = `td-test-breaker-${process.pid}-${Date.now()}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-breaker-'));
  let e: RuntimeEngine | null = null;

  beforeAll(async () => {
    redis = await connectRedis();
  });
  afterEach(async () => {
    await e?.stop();
    e = null;
  });
  afterAll(async () => {
    await removeQueues(redis, prefix);
    redis.disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens after 5 failures in 60 s, stays open after a restart, half-opens after 300 s and closes after 3 successes', async () => {
    const clock = new ManualClock('2026-01-05T15:00:00Z');
    const faults = { reject: true };
    const journal = path.join(dir, 'journal.db');
    const start = (): Promise<RuntimeEngine> => runtimeEngine({ redis, prefix, at: '', clock, config: loose, journal, paperState: path.join(dir, 'paper.db'), wrapBroker: (p) => rejecting(p, faults) });
    e = await start();
    const hash = e.runtime.context.config.hash;
    for (let i = 0; i < 5; i++) {
      await e.runtime.context.submit(intent(i, 'open', hash));
      await e.idle();
      clock.advance(5_000);
    }
    expect(new IntentsRepo(e.db).since(0).map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    expect(e.runtime.risk.breaker.state(clock.now())).toBe('open');
    await e.stop();

    // A restart reads the breaker from the journal.
    faults.reject = false;
    e = await start();
    expect(e.runtime.risk.breaker.state(clock.now())).toBe('open');
    await e.runtime.context.submit(intent(10, 'open', hash));
    await e.idle();
    const refused = new IntentsRepo(e.db).get('breaker-open-10');
    expect(refused?.status).toBe('rejected');
    expect(refused?.status_detail).toContain('the circuit breaker is open after repeated failures');

    clock.advance(300_000);
    expect(e.runtime.risk.breaker.state(clock.now())).toBe('half_open');
    for (let i = 11; i < 14; i++) {
      await e.runtime.context.submit(intent(i, 'open', hash));
      await e.idle();
    }
    expect(e.runtime.risk.breaker.state(clock.now())).toBe('closed');
    expect(new IntentsRepo(e.db).get('breaker-open-13')?.status).not.toBe('rejected');
  });
});
