import type { MarketData } from '../market/market-data';
import { NotConnectedError, errorMessage, isThetadeskError } from '../shared/errors';

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new NotConnectedError('PORT_TIMEOUT', `${what} did not answer within ${Math.round(ms / 1000)} s`)), ms)))]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * Before `run`/`worker` start their workers, the market data port answers a real question (the
 * first underlying's spot and VIX), as Redis answers a PING and the broker a connect: a port that
 * does not is exit 3 now, not an engine that starts and fails every analysis while it looks healthy.
 */
export async function checkMarketAtStart(market: MarketData, symbols: readonly string[], deadlineMs = 20_000): Promise<void> {
  const symbol = symbols[0];
  try {
    if (symbol) await within(market.spot(symbol), deadlineMs, `market data ${market.name}`);
    await within(market.vix(), deadlineMs, `market data ${market.name}`);
  } catch (e) {
    const msg = errorMessage(e);
    if (isThetadeskError(e) && e.kind === 'config') throw e;
    throw new NotConnectedError('MARKET_UNREACHABLE', `market data ${market.name} does not answer at start (${msg}); start it or choose another --market`);
  }
}
