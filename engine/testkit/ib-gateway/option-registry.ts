import type { MarketData } from '../../market/market-data';
import { OPTIONABLE_SYMBOLS, optionContract, type GatewayContract } from './contracts';
import { toIbDate } from './market-handlers';

/** How far out the reverse index looks (the same horizon reqSecDefOptParams lists). */
const HORIZON_DAYS = 400;

/**
 * Option conIds back to contracts. A combo leg names its option by conId only, and optionConId is a
 * hash: the gateway remembers every option it handed out through contract details, and otherwise
 * hashes the market's listed chain once per day (a few thousand hashes a symbol) to find the id.
 */
export class OptionRegistry {
  private readonly byConId = new Map<number, GatewayContract>();
  private readonly indexedDays = new Map<string, string>();

  constructor(
    private readonly market?: MarketData,
    /** The exchange date now (YYYY-MM-DD): the listed chain changes daily. */
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10),
  ) {}

  remember(c: GatewayContract): void {
    if (c.secType === 'OPT') this.byConId.set(c.conId, c);
  }

  /** The option with this conId, or null when neither handed out nor in the listed chain. */
  async find(conId: number): Promise<GatewayContract | null> {
    const known = this.byConId.get(conId);
    if (known || !this.market) return known ?? null;
    for (const symbol of OPTIONABLE_SYMBOLS) {
      await this.index(this.market, symbol);
      const found = this.byConId.get(conId);
      if (found) return found;
    }
    return null;
  }

  private async index(market: MarketData, symbol: string): Promise<void> {
    const day = this.today();
    if (this.indexedDays.get(symbol) === day) return;
    this.indexedDays.set(symbol, day);
    // A market that does not simulate this symbol simply lists nothing for it.
    const chain = await market.chain(symbol, { dte_min: 0, dte_max: HORIZON_DAYS }).catch(() => null);
    for (const e of chain?.expiries ?? []) {
      const expiry = toIbDate(e.expiry);
      for (const strike of e.strikes) {
        for (const right of ['P', 'C'] as const) {
          const c = optionContract(symbol, expiry, right, strike);
          if (c && !this.byConId.has(c.conId)) this.byConId.set(c.conId, c);
        }
      }
    }
  }
}
