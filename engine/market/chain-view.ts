import type { ChainSkeleton, ExpiryInfo, OptionQuote } from './market-data';
import type { Right } from '../model/leg';

/**
 * A chain skeleton plus the quotes fetched for it: a pure, synchronous lookup for builders.
 * A contract with no fetched quote returns undefined (the builder rejects it with a reason).
 */
export class ChainView {
  // Indexed expiry → right → strike: builders look quotes up in tight loops, so no key strings.
  private readonly index = new Map<string, { P: Map<number, OptionQuote>; C: Map<number, OptionQuote> }>();

  constructor(
    readonly skeleton: ChainSkeleton,
    quotes: readonly OptionQuote[],
  ) {
    for (const q of quotes) {
      let e = this.index.get(q.expiry);
      if (!e) {
        e = { P: new Map(), C: new Map() };
        this.index.set(q.expiry, e);
      }
      e[q.right].set(q.strike, q);
    }
  }

  get symbol(): string {
    return this.skeleton.symbol;
  }

  get spot(): number {
    return this.skeleton.spot;
  }

  get expiries(): readonly ExpiryInfo[] {
    return this.skeleton.expiries;
  }

  quote(expiry: string, right: Right, strike: number): OptionQuote | undefined {
    return this.index.get(expiry)?.[right].get(strike);
  }
}
