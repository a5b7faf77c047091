import * as path from 'node:path';
import { IbBroker } from '../adapters/ib/ib-broker';
import { IbMarket } from '../adapters/ib/ib-market-connection';
import { simGateway } from '../testkit/ib-gateway/sim-gateway';
import { PaperBroker } from '../adapters/sim/paper-broker';
import { SimMarket } from '../adapters/sim/sim-market';
import type { Broker } from '../execution/broker';
import type { AccountSummary, Execution } from '../model/broker-records';
import type { MarketData } from '../market/market-data';
import type { Clock } from '../shared/clock';

export const DEMO_BROKERS = ['paper', 'ib-sim'] as const;
export type DemoBroker = (typeof DEMO_BROKERS)[number];

/** Where the demo trades: the market and broker the engine sees, and the matching engine behind them. */
export interface DemoVenue {
  readonly market: MarketData;
  readonly broker: Broker;
  /** Lets the matching engine see the clock's time (resting orders fill or expire). */
  tick(nowMs: number): Promise<void>;
  /** The account as the engine's broker reports it (for the drawdown curve). */
  account(): Promise<AccountSummary>;
  onFill(listener: (e: Execution) => void): void;
  close(): Promise<void>;
}

export interface VenueOptions {
  readonly kind: DemoBroker;
  readonly seed: number;
  readonly clock: Clock;
  readonly symbols: readonly string[];
  readonly startingCash: number;
  readonly dir: string;
  /** The paper account's file (default DIR/paper.db); ':memory:' for a backtest, which keeps none. */
  readonly paperFile?: string;
  /** paper only: the market the engine and the paper broker trade on (a recording, a replay, a CSV); default the seeded sim. */
  readonly market?: MarketData;
}

function onExecutions(broker: Broker, listener: (e: Execution) => void): void {
  broker.onEvent((e) => {
    if (e.type === 'execution') listener(e.execution);
  });
}

/**
 * `paper`: the simulated market and the paper broker in process. `ib-sim`: the same two behind the
 * fake IB Gateway on a loopback port, and the engine on the real IB client (market data on one
 * client id, orders on the next), so every quote and order crosses the TWS wire protocol.
 */
export async function openVenue(o: VenueOptions): Promise<DemoVenue> {
  if (o.kind === 'paper') {
    const market: MarketData = o.market ?? new SimMarket({ seed: o.seed, clock: o.clock, symbols: o.symbols });
    const paper = new PaperBroker({ market, clock: o.clock, seed: o.seed, stateFile: o.paperFile ?? path.join(o.dir, 'paper.db'), startingCash: o.startingCash });
    return {
      market,
      broker: paper,
      tick: (now) => paper.processAt(now),
      account: () => paper.accountSummary(),
      onFill: (l) => onExecutions(paper, l),
      close: async () => {
        paper.close();
        await market.close?.();
      },
    };
  }
  if (o.market) throw new RangeError('--broker ib-sim trades the simulated market behind the fake gateway: leave --market and --record out, or use --broker paper');
  const sim = simGateway({ seed: o.seed, clock: o.clock, startingCash: o.startingCash, paperStateFile: path.join(o.dir, 'paper.db') });
  const port = await sim.gateway.listen(0);
  const market = new IbMarket({ settings: { host: '127.0.0.1', port, clientId: 0 }, clock: o.clock });
  const broker = new IbBroker({ settings: { host: '127.0.0.1', port, clientId: 1 }, clock: o.clock });
  return {
    market,
    broker,
    tick: (now) => sim.gateway.process(now),
    account: () => broker.accountSummary(),
    onFill: (l) => onExecutions(broker, l),
    close: async () => {
      await broker.disconnect();
      await market.close();
      await sim.gateway.close();
      sim.broker.close();
    },
  };
}
