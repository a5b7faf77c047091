import { SimMarket } from '../adapters/sim/sim-market';
import { IbMarket } from '../adapters/ib/ib-market-connection';
import { ibSettings, type IbFlags } from '../adapters/ib/ib-config';
import type { MarketData } from '../market/market-data';
import type { MarketDataType } from '../model/market-data-type';
import type { Clock } from '../shared/clock';
import { quoteValue } from '../shared/quote-value';
import { CliExit, EXIT } from './exit-codes';

export interface MarketOptions {
  readonly clock: Clock;
  readonly seed: number;
  readonly symbols: readonly string[];
  /** --ib-host / --ib-port / --ib-client-id where the command has them (env and defaults otherwise). */
  readonly ib?: IbFlags;
  /** strategies.yaml market.data_type (IB only; default live). */
  readonly dataType?: MarketDataType;
}

type Factory = (opts: MarketOptions) => MarketData;

/** Market data sources by `--market` name; other adapters (ib) add an entry here. */
export const MARKETS: Record<string, Factory> = {
  sim: (o) => new SimMarket({ seed: o.seed, clock: o.clock, symbols: o.symbols }),
  // TWS / IB Gateway from the flags, else THETADESK_IB_HOST / _PORT / _CLIENT_ID (default 127.0.0.1:4002, paper).
  ib: (o) => new IbMarket({ settings: ibSettings(o.ib ?? {}, process.env, 'worker'), clock: o.clock, dataType: o.dataType }),
};

export function createMarketData(kind: string, opts: MarketOptions): MarketData {
  // hasOwn: `--market constructor` must not find Object's constructor on the prototype.
  const make = Object.hasOwn(MARKETS, kind) ? MARKETS[kind] : undefined;
  if (!make) throw new CliExit(EXIT.INPUT, `unknown --market ${quoteValue(kind)}; choose one of: ${Object.keys(MARKETS).join(', ')}`);
  return make(opts);
}
