import { intentId, type OrderIntent } from '../../engine/model/order-intent';
import type { QueueProbe } from '../../engine/workflows/workflow-context';
import type { TestEngine } from './workflow-context';

/** The same port with some methods replaced: one way of misbehaving per test, the rest real. */
export function override<T extends object>(target: T, methods: Partial<T>): T {
  return new Proxy(target, {
    get: (t, k) => {
      if (Object.prototype.hasOwnProperty.call(methods, k)) return (methods as Record<string | symbol, unknown>)[k];
      const v: unknown = Reflect.get(t, k, t);
      // Bound to the real object so its private state stays reachable.
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}

/** A queue probe answering from fixed facts; a fact given as an Error makes that probe throw. */
export function fakeQueue(f: { ping?: Error; counts?: Awaited<ReturnType<QueueProbe['counts']>> | Error; stuck?: Awaited<ReturnType<QueueProbe['stuck']>> | Error }): QueueProbe {
  const answer = async <T>(v: T | Error | undefined, dflt: T): Promise<T> => {
    if (v instanceof Error) throw v;
    return v ?? dflt;
  };
  return {
    ping: () => answer<void>(f.ping, undefined),
    counts: () => answer(f.counts, { orders: { waiting: 0, active: 0 } }),
    stuck: () => answer(f.stuck, []),
  };
}

/**
 * Opens a SPY bull put through the order manager on the paper broker (needs `execute: true`):
 * the nearest 20–60 DTE expiry, short a few points in the money and 5 points wide, so the credit
 * clears the shipped order floor (a third of the width) despite the put skew.
 * Returns the position id and the legs the broker should now hold.
 */
export async function openPaperBullPut(e: TestEngine, quantity: number, tag = 'a'): Promise<{ position_id: string; expiry: string; short: number; long: number }> {
  const chain = await e.ctx.market.chain('SPY', { dte_min: 20, dte_max: 60 });
  const exp = [...chain.expiries].sort((a, b) => a.dte - b.dte)[0];
  if (!exp) throw new Error('expected a 20–60 DTE SPY expiry on the simulated market');
  const short = exp.strikes.find((k) => k >= chain.spot + 3);
  const long = short === undefined ? undefined : exp.strikes.filter((k) => k <= short - 5).pop();
  if (short === undefined || long === undefined) throw new Error('expected listed strikes 3 points above spot and 5 below that');
  const id = intentId({ task: 'test', trading_date: '2026-03-02', symbol: 'SPY', strategy: 'bull_put', subject: `${exp.expiry}-${short}-${tag}` });
  const leg = (strike: number, action: 'SELL' | 'BUY') => ({ symbol: 'SPY', expiry: exp.expiry, right: 'P' as const, strike, ratio: 1, action, con_id: null });
  const intent: OrderIntent = {
    id,
    kind: 'open',
    position_id: `pos-${id}`,
    symbol: 'SPY',
    strategy: 'bull_put',
    legs: [leg(short, 'SELL'), leg(long, 'BUY')],
    quantity,
    urgency: 'normal',
    width: short - long,
    context: { entry_iv: 0.2, entry_vix: 18 },
    config_hash: e.ctx.config.hash,
  };
  await e.ctx.submit(intent);
  const out = e.outcomes[e.outcomes.length - 1];
  if (out?.status !== 'filled') throw new Error(`expected the paper open to fill, got ${out?.status ?? 'no outcome'}`);
  return { position_id: `pos-${id}`, expiry: exp.expiry, short, long };
}
