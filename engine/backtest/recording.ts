import { MarketStore } from '../adapters/recorded/market-store';
import { RecordingMarket } from '../adapters/recorded/recording-market';
import type { CompiledConfig } from '../config/types';
import type { MarketData } from '../market/market-data';
import type { Clock } from '../shared/clock';
import { quoteWindows } from './quote-windows';

/**
 * `market` recorded into a new market store at `file`, capturing at each analysis the contracts
 * within the config's DTE and delta windows (quote-windows.ts) so a changed config replays too.
 */
export function recordingMarket(market: MarketData, file: string, clock: Clock, config: CompiledConfig): RecordingMarket {
  const store = MarketStore.create(file, market.name, clock.now());
  return new RecordingMarket({ inner: market, store, clock, capture: quoteWindows(config) });
}
