import type { Clock } from '../../../shared/clock';
import { SimMarket } from '../sim-market';
import { FakeGateway } from './fake-gateway';

export interface SimGatewayOptions {
  readonly seed: number;
  readonly clock: Clock;
  readonly maxLines?: number;
  readonly accounts?: readonly string[];
}

/** A fake gateway serving the seeded simulated market: `thetadesk gateway --sim` and the IB tests. */
export function simGateway(opts: SimGatewayOptions): { gateway: FakeGateway; market: SimMarket } {
  const market = new SimMarket({ seed: opts.seed, clock: opts.clock });
  const gateway = new FakeGateway({
    market,
    maxLines: opts.maxLines,
    accounts: opts.accounts,
    now: () => opts.clock.now(),
    // The simulation is a function of (seed, time): the past is the same market on a shifted clock.
    spotAgo: (symbol, msAgo) => new SimMarket({ seed: opts.seed, clock: { now: () => opts.clock.now() - msAgo } }).spot(symbol),
  });
  return { gateway, market };
}
