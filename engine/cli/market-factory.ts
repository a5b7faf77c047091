import { SimMarket } from '../adapters/sim/sim-market';
import { IbMarket } from '../adapters/ib/ib-market-connection';
import { ibSettings, type IbFlags } from '../adapters/ib/ib-config';
import type { MarketData } from '../market/market-data';
import type { MarketDataType } from '../model/market-data-type';
import type { Clock } from '../shared/clock';
import { quoteValue } from '../shared/quote-value';
import { CliExit, EXIT } from './exit-codes';
import { FILE_MARKET_FACTORIES } from './file-markets';
import { FILE_MARKETS, parseMarketSpec, type FileMarket } from './market-spec';

export interface MarketOptions {
  readonly clock: Clock;
  readonly seed: number;
  readonly symbols: readonly string[];
  /** --ib-host / --ib-port / --ib-client-id where the command has them (env and defaults otherwise). */
  readonly ib?: IbFlags;
  /** strategies.yaml market.data_type (IB only; default live). */
  readonly dataType?: MarketDataType;
  /** csv: reject the whole file on a bad row (--strict) instead of skipping it. */
  readonly strict?: boolean;
  /** Where a file market reports what it skipped or modelled (default stderr). */
  readonly warn?: (line: string) => void;
}

type Factory = (opts: MarketOptions) => MarketData;

/** Market data sources by `--market` name; other adapters (ib) add an entry here. */
export const MARKETS: Record<string, Factory> = {
  sim: (o) => new SimMarket({ seed: o.seed, clock: o.clock, symbols: o.symbols }),
  // TWS / IB Gateway from the flags, else THETADESK_IB_HOST / _PORT / _CLIENT_ID (default 127.0.0.1:4002, paper).
  ib: (o) => new IbMarket({ settings: ibSettings(o.ib ?? {}, process.env, 'worker'), clock: o.clock, dataType: o.dataType }),
};

/** True for every name createMarketData accepts: the MARKETS keys, csv:PATH and recorded:PATH. */
export function isMarketKind(text: string): boolean {
  const spec = parseMarketSpec(text);
  return spec.path !== null || Object.hasOwn(MARKETS, spec.kind);
}

export function createMarketData(kind: string, opts: MarketOptions): MarketData {
  const spec = parseMarketSpec(kind);
  if (spec.path !== null) return FILE_MARKET_FACTORIES[spec.kind as FileMarket](spec.path, opts);
  // hasOwn: `--market constructor` must not find Object's constructor on the prototype.
  const make = Object.hasOwn(MARKETS, kind) ? MARKETS[kind] : undefined;
  if (!make) throw new CliExit(EXIT.INPUT, `unknown --market ${quoteValue(kind)}; choose one of: ${[...Object.keys(MARKETS), ...FILE_MARKETS.map((f) => `${f}:PATH`)].join(', ')}`);
  return make(opts);
}
