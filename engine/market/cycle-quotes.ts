import type { ChainSkeleton, ChainWindow, IvPoint, MarketData, OptionContractRef, OptionQuote } from './market-data';

const keyOf = (c: OptionContractRef): string => `${c.symbol}|${c.expiry}|${c.right}|${c.strike}`;

/**
 * One cycle's view of a MarketData: every distinct contract, spot, VIX, hourly change and IV history
 * is requested once and shared by everything that asks during the cycle (positions sharing a leg
 * share its quote). Over IB each request is a paced message and a market-data line, so a monitor of
 * 200 positions asks for its distinct legs, not for every leg of every position. Make one per cycle
 * and drop it: it never refreshes.
 */
export class CycleQuotes implements MarketData {
  readonly name: string;
  private readonly quoted = new Map<string, Promise<OptionQuote>>();
  private readonly settled = new Map<string, OptionQuote>();
  private readonly memo = new Map<string, Promise<unknown>>();
  /** Contracts asked for (with repeats) and actually requested from the source (distinct). */
  readonly stats = { asked: 0, requested: 0 };

  constructor(private readonly source: MarketData) {
    this.name = source.name;
  }

  /** Requests these contracts in one batch (the source paces them), so later asks are answered from the cycle. */
  async prefetch(contracts: readonly OptionContractRef[]): Promise<void> {
    await this.quotes(contracts).catch(() => undefined);
  }

  async quotes(contracts: readonly OptionContractRef[]): Promise<readonly OptionQuote[]> {
    this.stats.asked += contracts.length;
    const missing: OptionContractRef[] = [];
    const adding = new Set<string>();
    for (const c of contracts) {
      const k = keyOf(c);
      if (this.quoted.has(k) || adding.has(k)) continue;
      adding.add(k);
      missing.push(c);
    }
    if (missing.length > 0) {
      this.stats.requested += missing.length;
      const batch = this.source.quotes(missing);
      // Settled quotes are kept for quoteOf(); a failed batch fails every ask that shares it.
      batch.catch(() => undefined);
      missing.forEach((c, i) => {
        const one = batch.then((qs) => {
          const q = qs[i];
          if (!q) throw new Error(`${this.source.name} returned no quote for ${keyOf(c)}`);
          this.settled.set(keyOf(c), q);
          return q;
        });
        one.catch(() => undefined);
        this.quoted.set(keyOf(c), one);
      });
    }
    return Promise.all(contracts.map((c) => this.quoted.get(keyOf(c)) as Promise<OptionQuote>));
  }

  /** A quote this cycle already has, if any (no request). */
  quoteOf(c: OptionContractRef): OptionQuote | undefined {
    return this.settled.get(keyOf(c));
  }

  /** Distinct contracts requested from the source this cycle. */
  get distinctContracts(): number {
    return this.quoted.size;
  }

  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = run();
      p.catch(() => undefined);
      this.memo.set(key, p);
    }
    return p;
  }

  spot(symbol: string): Promise<number> {
    return this.once(`spot|${symbol}`, () => this.source.spot(symbol));
  }

  chain(symbol: string, window: ChainWindow): Promise<ChainSkeleton> {
    return this.once(`chain|${symbol}|${window.dte_min}|${window.dte_max}|${window.strike_min ?? ''}|${window.strike_max ?? ''}`, () => this.source.chain(symbol, window));
  }

  ivHistory(symbol: string, days: number): Promise<readonly IvPoint[]> {
    return this.once(`iv|${symbol}|${days}`, () => this.source.ivHistory(symbol, days));
  }

  vix(): Promise<number> {
    return this.once('vix', () => this.source.vix());
  }

  change1hPct(symbol: string): Promise<number> {
    return this.once(`chg|${symbol}`, () => this.source.change1hPct(symbol));
  }
}
