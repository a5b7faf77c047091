import type { ChainSkeleton, ExpiryInfo, OptionQuote, Right } from './market-data';

/**
 * A chain skeleton plus the quotes fetched for it: a pure, synchronous lookup for builders.
 * A contract with no fetched quote returns undefined (the builder rejects it with a reason).
 */
export class ChainView {
  private readonly byKey = new Map<string, OptionQuote>();

  constructor(
    readonly skeleton: ChainSkeleton,
    quotes: readonly OptionQuote[],
  ) {
    for (const q of quotes) this.byKey.set(ChainView.key(q.expiry, q.right, q.strike), q);
  }

  static key(expiry: string, right: Right, strike: number): string {
    return `${expiry}|${right}|${strike}`;
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
    return this.byKey.get(ChainView.key(expiry, right, strike));
  }
}
