import type { ChainSkeleton, IvPoint, MarketData, OptionContractRef, OptionQuote } from '../../../engine/market/market-data';

/** A quote table that tests move by hand: only the contracts set here exist. */
export class TableMarket implements MarketData {
  readonly name = 'table';
  private readonly table = new Map<string, { bid: number | null; ask: number | null; delta: number }>();
  spotPrice = 500;

  set(expiry: string, right: 'P' | 'C', strike: number, bid: number | null, ask: number | null, delta = right === 'P' ? -0.2 : 0.2): void {
    this.table.set(`${expiry}|${right}|${strike}`, { bid, ask, delta });
  }

  async spot(): Promise<number> {
    return this.spotPrice;
  }

  async chain(symbol: string): Promise<ChainSkeleton> {
    return { symbol, spot: this.spotPrice, as_of: 0, expiries: [] };
  }

  async quotes(contracts: readonly OptionContractRef[]): Promise<readonly OptionQuote[]> {
    return contracts.map((c) => {
      const q = this.table.get(`${c.expiry}|${c.right}|${c.strike}`);
      const mid = q && q.bid !== null && q.ask !== null ? Math.round(((q.bid + q.ask) / 2) * 10000) / 10000 : null;
      return { ...c, bid: q?.bid ?? null, ask: q?.ask ?? null, mid, iv: q ? 0.2 : null, delta: q?.delta ?? null, gamma: q ? 0.01 : null, theta: q ? -0.05 : null, vega: q ? 0.3 : null, open_interest: null, con_id: null };
    });
  }

  async ivHistory(): Promise<readonly IvPoint[]> {
    return [];
  }

  async vix(): Promise<number> {
    return 18;
  }

  async change1hPct(): Promise<number> {
    return 0;
  }
}
