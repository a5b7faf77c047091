import { IbBroker } from '../adapters/ib/ib-broker';
import { ibSettings, type IbFlags } from '../adapters/ib/ib-config';
import { PaperBroker } from '../adapters/sim/paper-broker';
import type { Broker } from '../execution/broker';
import type { WalkSleep } from '../execution/order-manager';
import { abortableDelay } from '../shared/abortable-delay';
import type { MarketData } from '../market/market-data';
import type { Clock } from '../shared/clock';
import { CliExit, EXIT } from './exit-codes';
import { paperStatePath } from './store-options';

export const BROKERS = ['paper', 'ib'] as const;

export interface BrokerChoice {
  readonly broker: Broker;
  /** Waits `ms` of live time for an order walk (less on a stop signal); the paper broker matches its resting orders then. */
  readonly sleep: WalkSleep;
  readonly close: () => Promise<void>;
}

export interface BrokerFactoryOptions extends IbFlags {
  readonly kind: string;
  readonly market: MarketData;
  readonly clock: Clock;
  readonly seed: number;
  readonly paperState?: string;
  readonly log: (line: string) => void;
}


/**
 * The broker behind `--broker`: the paper account (default: nothing real is ever sent unless asked)
 * or TWS / IB Gateway as the order executor (its own client id: the worker's + 1).
 */
export function createBroker(o: BrokerFactoryOptions): BrokerChoice {
  if (o.kind === 'paper') {
    const paper = new PaperBroker({ market: o.market, clock: o.clock, seed: o.seed, stateFile: paperStatePath(o.paperState) });
    return {
      broker: paper,
      sleep: async (ms, signal) => {
        await abortableDelay(ms, signal);
        await paper.processAt(o.clock.now());
      },
      close: async () => paper.close(),
    };
  }
  if (o.kind === 'ib') {
    const ib = new IbBroker({ settings: ibSettings(o, process.env, 'executor'), clock: o.clock, log: o.log });
    return { broker: ib, sleep: abortableDelay, close: () => ib.disconnect() };
  }
  throw new CliExit(EXIT.INPUT, `unknown --broker "${o.kind}"; choose one of: ${BROKERS.join(', ')}`);
}
