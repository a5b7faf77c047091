import type { ChainSkeleton, ChainWindow, IvPoint, MarketData, OptionContractRef, OptionQuote } from '../../market/market-data';
import type { Clock } from '../../shared/clock';
import type { MarketStore } from './market-store';

/** Expiries and |delta| the recorder keeps quotes for at each analysis (engine/backtest/quote-windows.ts computes them from the config). */
export interface CaptureWindows {
  readonly dte_min: number;
  readonly dte_max: number;
  readonly delta_min: number;
  readonly delta_max: number;
}

export interface RecordingMarketOptions {
  readonly inner: MarketData;
  readonly store: MarketStore;
  readonly clock: Clock;
  /** null: record only what the engine asked. */
  readonly capture: CaptureWindows | null;
  /** At most one capture per symbol this often (an analysis lists the chain; so does every 5-minute snapshot). Default 30 min. */
  readonly captureEveryMs?: number;
}

const DEFAULT_CAPTURE_EVERY_MS = 30 * 60_000;

/**
 * A MarketData that answers from `inner` and records every answer into a market store, stamped
 * with the clock time: spot, chain skeletons, quotes with greeks, VIX, hourly change and IV history.
 * When the engine lists a chain (an analysis), it also records every contract of the expiries in
 * the capture window whose |delta| is in it, so a replay under a changed config still finds quotes
 * (`--market recorded:PATH`). The engine's answers are exactly inner's: recording changes nothing.
 */
export class RecordingMarket implements MarketData {
  readonly name: string;
  private readonly lastCapture = new Map<string, number>();
  /** Contracts recorded by the capture (beyond what the engine asked). */
  captured = 0;

  constructor(private readonly o: RecordingMarketOptions) {
    this.name = o.inner.name;
  }

  get file(): string {
    return this.o.store.file;
  }

  async spot(symbol: string): Promise<number> {
    const t = this.o.clock.now();
    const v = await this.o.inner.spot(symbol);
    this.o.store.putSpot(t, symbol, v);
    return v;
  }

  async chain(symbol: string, window: ChainWindow): Promise<ChainSkeleton> {
    const t = this.o.clock.now();
    const c = await this.o.inner.chain(symbol, window);
    this.o.store.putChain(t, symbol, c.spot, window, c.expiries);
    await this.capture(symbol, t);
    return c;
  }

  private async capture(symbol: string, t: number): Promise<void> {
    const w = this.o.capture;
    const last = this.lastCapture.get(symbol);
    if (!w || (last !== undefined && t - last < (this.o.captureEveryMs ?? DEFAULT_CAPTURE_EVERY_MS))) return;
    this.lastCapture.set(symbol, t);
    const window = { dte_min: w.dte_min, dte_max: w.dte_max };
    const c = await this.o.inner.chain(symbol, window);
    this.o.store.putChain(t, symbol, c.spot, window, c.expiries);
    const refs: OptionContractRef[] = c.expiries.flatMap((e) => e.strikes.flatMap((strike) => (['P', 'C'] as const).map((right) => ({ symbol, expiry: e.expiry, right, strike }))));
    const kept = (await this.o.inner.quotes(refs)).filter((q) => q.delta !== null && Math.abs(q.delta) >= w.delta_min && Math.abs(q.delta) <= w.delta_max);
    this.o.store.putQuotes(t, kept, true);
    this.captured += kept.length;
  }

  async quotes(contracts: readonly OptionContractRef[]): Promise<readonly OptionQuote[]> {
    const t = this.o.clock.now();
    const q = await this.o.inner.quotes(contracts);
    this.o.store.putQuotes(t, q, false);
    return q;
  }

  async ivHistory(symbol: string, days: number): Promise<readonly IvPoint[]> {
    const t = this.o.clock.now();
    const h = await this.o.inner.ivHistory(symbol, days);
    this.o.store.putIvHistory(t, symbol, h);
    return h;
  }

  async vix(): Promise<number> {
    const t = this.o.clock.now();
    const v = await this.o.inner.vix();
    this.o.store.putVix(t, v);
    return v;
  }

  async change1hPct(symbol: string): Promise<number> {
    const t = this.o.clock.now();
    const v = await this.o.inner.change1hPct(symbol);
    this.o.store.putChange1h(t, symbol, v);
    return v;
  }

  async close(): Promise<void> {
    await this.o.inner.close?.();
    this.o.store.close();
  }
}
