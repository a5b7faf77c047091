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
  /** Per symbol: the day indexed and the indexing itself (concurrent queries wait for the same one). */
  private readonly indexed = new Map<string, { readonly day: string; readonly done: Promise<void> }>();
  /** The listed chain per symbol (today's), in chain order: what contract queries are checked against. */
  private readonly listedBySymbol = new Map<string, GatewayContract[]>();

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

  /** Whether the registry checks contracts against a market's listing (false: no market behind it). */
  get hasListing(): boolean {
    return this.market !== undefined;
  }

  /**
   * Today's listed options matching a query, as IB's contract details answer it: an empty expiry,
   * strike (0) or right matches every value, so a strike-less query lists every strike, and a
   * YYYYMM expiry every expiry of the month. Empty when
   * nothing matches (IB's error 200): a Saturday expiry or a 5000.5 strike is not listed.
   */
  async matching(q: { readonly symbol: string; readonly expiry: string; readonly right: 'P' | 'C' | null; readonly strike: number }): Promise<GatewayContract[]> {
    if (!this.market || !OPTIONABLE_SYMBOLS.includes(q.symbol)) return [];
    await this.index(this.market, q.symbol);
    return (this.listedBySymbol.get(q.symbol) ?? []).filter(
      (c) => (q.expiry === '' || (q.expiry.length === 6 ? c.expiry.startsWith(q.expiry) : c.expiry === q.expiry)) && (q.right === null || c.right === q.right) && (q.strike <= 0 || Math.abs(c.strike - q.strike) < 1e-9),
    );
  }

  private index(market: MarketData, symbol: string): Promise<void> {
    const day = this.today();
    const known = this.indexed.get(symbol);
    if (known?.day === day) return known.done;
    const done = this.build(market, symbol);
    this.indexed.set(symbol, { day, done });
    return done;
  }

  private async build(market: MarketData, symbol: string): Promise<void> {
    // A market that does not simulate this symbol simply lists nothing for it.
    const chain = await market.chain(symbol, { dte_min: 0, dte_max: HORIZON_DAYS }).catch(() => null);
    const listed: GatewayContract[] = [];
    for (const e of chain?.expiries ?? []) {
      const expiry = toIbDate(e.expiry);
      for (const strike of e.strikes) {
        for (const right of ['P', 'C'] as const) {
          const c = optionContract(symbol, expiry, right, strike);
          if (!c) continue;
          listed.push(c);
          if (!this.byConId.has(c.conId)) this.byConId.set(c.conId, c);
        }
      }
    }
    this.listedBySymbol.set(symbol, listed);
  }
}
