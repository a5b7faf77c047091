import { atmVol, surfaceVol } from './market/iv-surface';
import { listExpiries } from './market/listing';
import { PricePath } from './market/price-path';
import { makeQuote } from './market/quote-model';
import { SIM_RATE, SIM_SYMBOLS, type SimSymbol } from './market/symbols';
import type { ChainSkeleton, ChainWindow, IvPoint, MarketData, OptionContractRef, OptionQuote } from '../../market/market-data';
import type { Clock } from '../../shared/clock';
import { exchangeDate, exchangeInstant } from '../../shared/exchange-time';
import { session } from '../../shared/market-calendar';

export interface SimMarketOptions {
  readonly seed: number;
  readonly clock: Clock;
  /** Symbols to simulate; default SPY, QQQ, IWM. */
  readonly symbols?: readonly string[];
}

const YEAR_MS = 365 * 24 * 3600 * 1000;
const THIRTY_DAYS = 30 / 365;

/**
 * A seeded synthetic market: spot, chains with put skew and a term structure, quotes with the
 * penny ticks and spreads of liquid index-ETF options (market/quote-model.ts states the figures),
 * BSM greeks at the quoted IV, a year and more of IV history, and a VIX consistent with SPY's
 * 30-day IV. It keeps the NYSE calendar: expiries scheduled on a holiday are listed the trading day
 * before, nothing moves on closed days, IV history has one point per trading day. Everything is a
 * function of (seed, clock time): the same seed and time give the same numbers in any query order.
 */
export class SimMarket implements MarketData {
  readonly name = 'sim';
  private readonly paths = new Map<string, PricePath>();
  private readonly symbols: Map<string, SimSymbol>;

  constructor(private readonly opts: SimMarketOptions) {
    const wanted = opts.symbols ?? Object.keys(SIM_SYMBOLS);
    this.symbols = new Map(
      wanted.map((s) => {
        const sym = SIM_SYMBOLS[s];
        if (!sym) throw new RangeError(`the simulated market has no symbol "${s}"; it knows ${Object.keys(SIM_SYMBOLS).join(', ')}`);
        return [s, sym] as const;
      }),
    );
  }

  private path(symbol: string): { sym: SimSymbol; path: PricePath } {
    // SPY is always simulated underneath: VIX is derived from its 30-day IV.
    const sym = this.symbols.get(symbol) ?? (symbol === 'SPY' ? SIM_SYMBOLS.SPY : undefined);
    if (!sym) throw new RangeError(`the simulated market has no symbol "${symbol}"; it simulates ${[...this.symbols.keys()].join(', ')}`);
    let path = this.paths.get(symbol);
    if (!path) {
      path = new PricePath(this.opts.seed, sym);
      this.paths.set(symbol, path);
    }
    return { sym, path };
  }

  // Exchange-time conversions are slow; a chain's worth of quotes shares one instant.
  private readonly memo = new Map<string, { sym: SimSymbol; spot: number; vol: number }>();
  private readonly expiryMs = new Map<string, number>();
  private readonly pastIv = new Map<string, IvPoint[]>();

  private state(symbol: string, ms = this.opts.clock.now()): { sym: SimSymbol; spot: number; vol: number } {
    const k = `${symbol}@${ms}`;
    let st = this.memo.get(k);
    if (!st) {
      const { sym, path } = this.path(symbol);
      const s = path.at(ms);
      st = { sym, spot: s.spot, vol: s.vol };
      if (this.memo.size > 256) this.memo.clear();
      this.memo.set(k, st);
    }
    return st;
  }

  /** Options stop trading at the session's close: 16:00, or 13:00 on an early-close day. */
  private expiryClose(expiry: string): number {
    let t = this.expiryMs.get(expiry);
    if (t === undefined) {
      t = session(expiry)?.close_ms ?? exchangeInstant(expiry, '16:00');
      this.expiryMs.set(expiry, t);
    }
    return t;
  }

  async spot(symbol: string): Promise<number> {
    return round2(this.state(symbol).spot);
  }

  async chain(symbol: string, window: ChainWindow): Promise<ChainSkeleton> {
    const now = this.opts.clock.now();
    const { sym, spot } = this.state(symbol, now);
    const expiries = listExpiries(exchangeDate(now), spot, sym.step, window.dte_min, window.dte_max).map((e) => ({
      ...e,
      strikes: e.strikes.filter((k) => (window.strike_min === undefined || k >= window.strike_min) && (window.strike_max === undefined || k <= window.strike_max)),
    }));
    return { symbol, spot: round2(spot), as_of: now, expiries };
  }

  async quotes(contracts: readonly OptionContractRef[]): Promise<readonly OptionQuote[]> {
    const now = this.opts.clock.now();
    return contracts.map((c) => {
        const { sym, spot, vol } = this.state(c.symbol, now);
        const t = Math.max(60_000, this.expiryClose(c.expiry) - now) / YEAR_MS;
        const iv = surfaceVol(vol, sym.base_vol * 1.15, spot, c.strike, t, sym.skew);
        return makeQuote({ symbol: c.symbol, expiry: c.expiry, right: c.right, strike: c.strike, spot, t, r: SIM_RATE, q: sym.q, iv, penny: sym.penny, liquidity: sym.liquidity });
    });
  }

  async ivHistory(symbol: string, days: number): Promise<readonly IvPoint[]> {
    const now = this.opts.clock.now();
    const { sym, path } = this.path(symbol);
    const cur = path.at(now);
    // The closed days of the window do not change during the day: built once per day, then only
    // today's point (which moves with the clock) is added.
    const key = `${symbol}|${cur.day}|${days}`;
    let past = this.pastIv.get(key);
    if (!past) {
      past = [];
      for (let i = Math.max(0, cur.day - days + 1); i < cur.day; i++) past.push({ date: path.day(i).date, iv: atmVol(path.day(i).vol, sym.base_vol * 1.15, THIRTY_DAYS) });
      if (this.pastIv.size > 64) this.pastIv.clear();
      this.pastIv.set(key, past);
    }
    return [...past, { date: path.day(cur.day).date, iv: atmVol(cur.vol, sym.base_vol * 1.15, THIRTY_DAYS) }];
  }

  async vix(): Promise<number> {
    const { sym, vol } = this.state('SPY');
    // VIX prices the whole 30-day smile, so it sits above ATM IV by the skew premium.
    return round2(100 * atmVol(vol, sym.base_vol * 1.15, THIRTY_DAYS) * 1.12);
  }

  async change1hPct(symbol: string): Promise<number> {
    const now = this.opts.clock.now();
    const a = this.state(symbol, now - 3600_000).spot;
    const b = this.state(symbol, now).spot;
    return ((b - a) / a) * 100;
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
