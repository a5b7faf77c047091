import type { Clock } from '../../shared/clock';
import { addDays, exchangeDate, exchangeInstant, isoWeekday } from '../../shared/exchange-time';
import { PaperBroker } from '../../adapters/sim/paper-broker';
import { SimMarket } from '../../adapters/sim/sim-market';
import { FakeGateway } from './fake-gateway';
import type { DailyRestartOptions } from './daily-restart';

export interface SimGatewayOptions {
  readonly seed: number;
  readonly clock: Clock;
  readonly maxLines?: number;
  readonly accounts?: readonly string[];
  /** The paper account's opening cash (the paper broker's default when unset). */
  readonly startingCash?: number;
  /** The paper account's SQLite file; ':memory:' (the default) forgets it at exit. */
  readonly paperStateFile?: string;
  /** See FakeGatewayOptions.processEveryMs (a gateway on the wall clock fills orders by itself). */
  readonly processEveryMs?: number;
  /** See FakeGatewayOptions.dailyRestart. */
  readonly dailyRestart?: DailyRestartOptions;
  /** Epoch seconds reported by reqCurrentTime; default the clock's (a skewed gateway clock for tests). */
  readonly serverNow?: () => number;
}

/** How far behind delayed market data is at IB (US equities and options). */
const DELAY_MS = 15 * 60_000;

/** The last weekday before `date` (holidays are not known here: a holiday's "close" is a simulated one). */
function previousWeekday(date: string): string {
  let d = addDays(date, -1);
  while (isoWeekday(d) > 5) d = addDays(d, -1);
  return d;
}

export interface SimGateway {
  readonly gateway: FakeGateway;
  readonly market: SimMarket;
  /** The broker behind the gateway's orders; close it after the gateway. */
  readonly broker: PaperBroker;
}

/**
 * A fake gateway serving the seeded simulated market, with the paper broker on the same market and
 * clock behind its orders: `thetadesk gateway --sim`, the demo's ib-sim venue and the IB tests.
 */
export function simGateway(opts: SimGatewayOptions): SimGateway {
  const market = new SimMarket({ seed: opts.seed, clock: opts.clock });
  const broker = new PaperBroker({ market, clock: opts.clock, seed: opts.seed, stateFile: opts.paperStateFile ?? ':memory:', startingCash: opts.startingCash });
  // One market for the previous session's close (its price paths are built once), read at that close.
  const previousClose = new SimMarket({ seed: opts.seed, clock: { now: () => exchangeInstant(previousWeekday(exchangeDate(opts.clock.now())), '16:00') } });
  const gateway = new FakeGateway({
    market,
    broker,
    maxLines: opts.maxLines,
    accounts: opts.accounts,
    processEveryMs: opts.processEveryMs,
    now: opts.serverNow ?? (() => opts.clock.now()),
    dailyRestart: opts.dailyRestart,
    // The simulation is a function of (seed, time): the past is the same market on a shifted clock.
    spotAgo: (symbol, msAgo) => new SimMarket({ seed: opts.seed, clock: { now: () => opts.clock.now() - msAgo } }).spot(symbol),
    delayedMarket: new SimMarket({ seed: opts.seed, clock: { now: () => opts.clock.now() - DELAY_MS } }),
    close: (symbol) => previousClose.spot(symbol),
  });
  return { gateway, market, broker };
}
