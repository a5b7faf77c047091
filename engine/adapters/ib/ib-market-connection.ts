import type { ChainSkeleton, ChainWindow, IvPoint, MarketData, OptionContractRef, OptionQuote } from '../../market/market-data';
import type { Clock } from '../../shared/clock';
import { systemClock } from '../../shared/clock';
import type { IbConnectionSettings } from './ib-config';
import { IbMarketData, type MarketDataType } from './ib-market-data';
import { IbPacer } from './pacer';
import { IbSession } from './ib-session';

export interface IbMarketOptions {
  readonly settings: IbConnectionSettings;
  /** The clock DTEs are counted from (the market's own time in the demo; the wall clock live). */
  readonly clock: Clock;
  readonly dataType?: MarketDataType;
  readonly maxLines?: number;
}

/**
 * MarketData over IB that connects on first use and disconnects on close(), so a command can be
 * handed a MarketData synchronously and never leaves a socket open behind it.
 */
export class IbMarket implements MarketData {
  readonly name = 'ib';
  private ready: Promise<IbMarketData> | null = null;
  private session: IbSession | null = null;

  constructor(private readonly opts: IbMarketOptions) {}

  private md(): Promise<IbMarketData> {
    // A connection lost since the last call is opened afresh: market data here is snapshots only,
    // so nothing streams that would need resubscribing; the next request simply reconnects.
    if (this.session && !this.session.connected && this.ready) {
      this.session.disconnect();
      this.session = null;
      this.ready = null;
    }
    this.ready ??= (async () => {
      const session = new IbSession(this.opts.settings);
      this.session = session;
      await session.connect();
      // Pacing runs on wall time whatever clock the market is read at: IB counts real seconds.
      const pacer = new IbPacer({ clock: systemClock, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), maxLines: this.opts.maxLines ?? 100 });
      const md = new IbMarketData(session, pacer, this.opts.clock, this.opts.dataType ?? 'live');
      await md.init();
      return md;
    })();
    return this.ready;
  }

  async spot(symbol: string): Promise<number> {
    return (await this.md()).spot(symbol);
  }

  async chain(symbol: string, window: ChainWindow): Promise<ChainSkeleton> {
    return (await this.md()).chain(symbol, window);
  }

  async quotes(contracts: readonly OptionContractRef[]): Promise<readonly OptionQuote[]> {
    return (await this.md()).quotes(contracts);
  }

  async ivHistory(symbol: string, days: number): Promise<readonly IvPoint[]> {
    return (await this.md()).ivHistory(symbol, days);
  }

  async vix(): Promise<number> {
    return (await this.md()).vix();
  }

  async change1hPct(symbol: string): Promise<number> {
    return (await this.md()).change1hPct(symbol);
  }

  async close(): Promise<void> {
    this.session?.disconnect();
    this.session = null;
    this.ready = null;
  }
}
