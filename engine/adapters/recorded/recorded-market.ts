import type { ChainSkeleton, ChainWindow, ExpiryInfo, IvPoint, MarketData, OptionContractRef, OptionQuote } from '../../market/market-data';
import { modelQuote, type Carry } from '../../market/snapshot-model';
import type { Clock } from '../../shared/clock';
import { calendarDaysBetween, exchangeDate } from '../../shared/exchange-time';
import { ConfigError } from '../../shared/errors';
import { MarketStore } from './market-store';

export interface RecordedMarketOptions {
  readonly file: string;
  readonly clock: Clock;
  /** A recorded answer older than this is not served as current: modelled instead. Default 5 min (the monitor's cycle). */
  readonly freshMs?: number;
  /** Rate and dividend yield of modelled quotes (the recording holds neither). Default 0.045 and 0. */
  readonly carry?: Carry;
}

/** What a replay served that the recording did not hold as asked, by kind. */
export type ModelledKind = 'quote' | 'spot' | 'vix' | 'change_1h' | 'chain' | 'iv_history' | 'no_quote';

const DEFAULT_FRESH_MS = 5 * 60_000;
/** How far back the IV surface of a modelled quote reaches. */
const SURFACE_MS = 24 * 3600_000;
const NO_QUOTE = { bid: null, ask: null, mid: null, iv: null, delta: null, gamma: null, theta: null, vega: null, open_interest: null, con_id: null } as const;

/**
 * A recording played back (`--market recorded:PATH`): at clock time t each answer is the one
 * recorded at or before t. What the recording cannot answer as asked — a contract never quoted, or
 * last quoted more than `freshMs` before t; a stale spot or VIX; a chain window wider than any
 * recorded — is filled from the recorded IV surface (BSM at the last recorded spot) or the last
 * recorded value and counted in `modelled` by kind, never invented silently; a question with no
 * recorded answer at or before t at all (before the recording starts) is an error.
 */
export class RecordedMarket implements MarketData {
  readonly name: string;
  private readonly store: MarketStore;
  readonly modelled: Record<ModelledKind, number> = { quote: 0, spot: 0, vix: 0, change_1h: 0, chain: 0, iv_history: 0, no_quote: 0 };
  private readonly surfaces = new Map<string, OptionQuote[]>();

  constructor(private readonly o: RecordedMarketOptions) {
    this.name = `recorded:${o.file}`;
    this.store = MarketStore.open(o.file);
  }

  /** Everything filled in rather than served as recorded. */
  get modelledTotal(): number {
    return Object.values(this.modelled).reduce((a, b) => a + b, 0);
  }

  private get fresh(): number {
    return this.o.freshMs ?? DEFAULT_FRESH_MS;
  }

  private before(what: string, t: number): ConfigError {
    return new ConfigError('E_RECORDING_BEFORE', `recording ${this.o.file} has no ${what} at or before ${new Date(t).toISOString()}; it started ${this.store.meta('started_at') ?? '?'}: replay from a later time`);
  }

  private spotAt(symbol: string, t: number): number {
    const s = this.store.spotAt(symbol, t);
    if (!s) throw this.before(`${symbol} spot`, t);
    if (t - s.ts > this.fresh) this.modelled.spot++;
    return s.spot;
  }

  async spot(symbol: string): Promise<number> {
    return this.spotAt(symbol, this.o.clock.now());
  }

  async chain(symbol: string, window: ChainWindow): Promise<ChainSkeleton> {
    const t = this.o.clock.now();
    const chains = this.store.chainsAt(symbol, t);
    if (chains.length === 0) throw this.before(`${symbol} chain`, t);
    const covers = chains.find((c) => c.window.dte_min <= window.dte_min && c.window.dte_max >= window.dte_max && c.window.strike_min === undefined && c.window.strike_max === undefined);
    if (!covers || t - (chains[0]?.ts ?? t) > this.fresh) this.modelled.chain++;
    const strikes = new Map<string, Set<number>>();
    const kinds = new Map<string, ExpiryInfo['kind']>();
    for (const c of covers ? [covers] : chains) {
      for (const e of c.expiries) {
        kinds.set(e.expiry, e.kind);
        const set = strikes.get(e.expiry) ?? new Set<number>();
        for (const k of e.strikes) if ((window.strike_min === undefined || k >= window.strike_min) && (window.strike_max === undefined || k <= window.strike_max)) set.add(k);
        strikes.set(e.expiry, set);
      }
    }
    const today = exchangeDate(t);
    const expiries = [...strikes.entries()]
      .map(([expiry, set]) => ({ expiry, dte: calendarDaysBetween(today, expiry), kind: kinds.get(expiry) as ExpiryInfo['kind'], strikes: [...set].sort((a, b) => a - b) }))
      .filter((e) => e.dte >= window.dte_min && e.dte <= window.dte_max && e.dte >= 0)
      .sort((a, b) => a.expiry.localeCompare(b.expiry));
    return { symbol, spot: this.spotAt(symbol, t), as_of: t, expiries };
  }

  private surface(symbol: string, t: number): OptionQuote[] {
    const k = `${symbol}@${t}`;
    let s = this.surfaces.get(k);
    if (!s) {
      s = this.store.surface(symbol, t - SURFACE_MS, t);
      if (this.surfaces.size > 16) this.surfaces.clear();
      this.surfaces.set(k, s);
    }
    return s;
  }

  async quotes(contracts: readonly OptionContractRef[]): Promise<readonly OptionQuote[]> {
    const t = this.o.clock.now();
    return contracts.map((c) => {
      const r = this.store.quoteAt(c.symbol, c.expiry, c.right, c.strike, t);
      if (r && t - r.ts <= this.fresh) return r.quote;
      const spot = this.store.spotAt(c.symbol, t);
      const m = spot ? modelQuote(this.surface(c.symbol, t), spot.spot, c, t, this.o.carry ?? { r: 0.045, q: 0 }) : null;
      if (m) {
        this.modelled.quote++;
        return m;
      }
      this.modelled.no_quote++;
      return { symbol: c.symbol, expiry: c.expiry, right: c.right, strike: c.strike, ...NO_QUOTE };
    });
  }

  async ivHistory(symbol: string, days: number): Promise<readonly IvPoint[]> {
    const t = this.o.clock.now();
    const today = exchangeDate(t);
    const points = this.store.ivHistoryAt(symbol, today, t);
    if (points.length === 0) throw this.before(`${symbol} IV history`, t);
    if (t - (this.store.ivAskedAt(symbol, t) ?? -Infinity) > this.fresh) this.modelled.iv_history++;
    return points.slice(-days);
  }

  async vix(): Promise<number> {
    const t = this.o.clock.now();
    const v = this.store.vixAt(t);
    if (!v) throw this.before('VIX', t);
    if (t - v.ts > this.fresh) this.modelled.vix++;
    return v.vix;
  }

  async change1hPct(symbol: string): Promise<number> {
    const t = this.o.clock.now();
    const c = this.store.change1hAt(symbol, t);
    if (c && t - c.ts <= this.fresh) return c.pct;
    // From the recorded spots: now against an hour ago.
    this.modelled.change_1h++;
    const a = this.store.spotAt(symbol, t - 3600_000);
    const b = this.store.spotAt(symbol, t);
    if (!b) throw this.before(`${symbol} spot`, t);
    return a ? ((b.spot - a.spot) / a.spot) * 100 : 0;
  }

  async close(): Promise<void> {
    this.store.close();
  }
}
