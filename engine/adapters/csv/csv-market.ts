import type { ChainSkeleton, ChainWindow, IvPoint, MarketData, OptionContractRef, OptionQuote } from '../../market/market-data';
import { atmIv30, expiryKindOf, modelQuote } from '../../market/snapshot-model';
import type { Clock } from '../../shared/clock';
import { calendarDaysBetween, exchangeDate, exchangeInstant } from '../../shared/exchange-time';
import { ConfigError } from '../../shared/errors';
import { contractKey, loadCsvHistory, type CsvHistory, type Snapshot } from './csv-load';

export interface CsvMarketOptions {
  readonly file: string;
  readonly clock: Clock;
  /** Reject the whole file on any bad row (else bad rows are skipped and listed in `problems`). */
  readonly strict?: boolean;
}

/** The latest element with ts ≤ t in an ascending list, or null (binary search). */
export function latestAtOrBefore<T extends { ts: number }>(list: readonly T[], t: number): T | null {
  let lo = 0;
  let hi = list.length - 1;
  let found: T | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = list[mid] as T;
    if (x.ts <= t) {
      found = x;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Option history from a CSV file (README "Bring your own history"). At clock time t every answer
 * comes from the latest rows at or before t — never a later row. A contract the latest snapshot
 * lacks is modelled from that snapshot's IV surface (BSM at its spot) and counted in `modelled`.
 * VIX comes from the vix column when the file has one, else 100 × SPY's 30-day ATM IV (the first
 * underlying's when the file has no SPY). IV history is one point a trading day: the 30-day ATM IV
 * of that day's last snapshot at or before t.
 */
export class CsvMarket implements MarketData {
  readonly name: string;
  private readonly history: CsvHistory;
  /** Quotes answered from the IV surface because the file had no row for them. */
  modelled = 0;
  private readonly dailyIv = new Map<string, number | null>();

  constructor(private readonly opts: CsvMarketOptions) {
    this.name = `csv:${opts.file}`;
    this.history = loadCsvHistory(opts.file, opts.strict === true);
  }

  /** `FILE:LINE: message` for every row that was skipped. */
  get problems(): readonly string[] {
    return this.history.problems;
  }

  get symbols(): string[] {
    return [...this.history.snapshots.keys()];
  }

  /** First and last timestamp in the file (epoch ms). */
  span(): { from: number; to: number } {
    let from = Infinity;
    let to = -Infinity;
    for (const list of this.history.snapshots.values()) {
      from = Math.min(from, (list[0] as Snapshot).ts);
      to = Math.max(to, (list[list.length - 1] as Snapshot).ts);
    }
    return { from, to };
  }

  private snapshot(symbol: string, t = this.opts.clock.now()): Snapshot {
    const list = this.history.snapshots.get(symbol);
    if (!list) throw new ConfigError('E_CSV_SYMBOL', `${this.opts.file} has no rows for ${symbol}; it has ${this.symbols.join(', ')}: trade those (--symbols) or add ${symbol} to the file`);
    const s = latestAtOrBefore(list, t);
    if (!s) throw new ConfigError('E_CSV_BEFORE', `${this.opts.file} has no ${symbol} rows at or before ${new Date(t).toISOString()}; its first is at ${new Date((list[0] as Snapshot).ts).toISOString()}: start later or add earlier rows`);
    return s;
  }

  async spot(symbol: string): Promise<number> {
    return this.snapshot(symbol).spot;
  }

  async chain(symbol: string, window: ChainWindow): Promise<ChainSkeleton> {
    const now = this.opts.clock.now();
    const s = this.snapshot(symbol, now);
    const today = exchangeDate(now);
    const strikes = new Map<string, Set<number>>();
    for (const q of s.quotes) {
      if (window.strike_min !== undefined && q.strike < window.strike_min) continue;
      if (window.strike_max !== undefined && q.strike > window.strike_max) continue;
      const set = strikes.get(q.expiry) ?? new Set<number>();
      set.add(q.strike);
      strikes.set(q.expiry, set);
    }
    const expiries = [...strikes.entries()]
      .map(([expiry, set]) => ({ expiry, dte: calendarDaysBetween(today, expiry), kind: expiryKindOf(expiry), strikes: [...set].sort((a, b) => a - b) }))
      .filter((e) => e.dte >= window.dte_min && e.dte <= window.dte_max && e.dte >= 0)
      .sort((a, b) => a.expiry.localeCompare(b.expiry));
    return { symbol, spot: s.spot, as_of: now, expiries };
  }

  async quotes(contracts: readonly OptionContractRef[]): Promise<readonly OptionQuote[]> {
    const now = this.opts.clock.now();
    return contracts.map((c) => {
      const s = this.snapshot(c.symbol, now);
      const q = s.byKey.get(contractKey(c.expiry, c.right, c.strike));
      if (q) return q;
      this.modelled++;
      return modelQuote(s.quotes, s.spot, c, now, s.carry) ?? { ...c, bid: null, ask: null, mid: null, iv: null, delta: null, gamma: null, theta: null, vega: null, open_interest: null, con_id: null };
    });
  }

  /** A trading day's 30-day ATM IV, from its last snapshot at or before `t`. */
  private ivOn(symbol: string, date: string, t: number): number | null {
    const closed = t >= exchangeInstant(date, '23:59');
    const key = `${symbol}|${date}`;
    if (closed && this.dailyIv.has(key)) return this.dailyIv.get(key) as number | null;
    const list = this.history.snapshots.get(symbol) ?? [];
    const s = latestAtOrBefore(list, Math.min(t, exchangeInstant(date, '23:59')));
    const iv = s && exchangeDate(s.ts) === date ? atmIv30(s.quotes, s.spot, s.ts) : null;
    if (closed) this.dailyIv.set(key, iv);
    return iv;
  }

  async ivHistory(symbol: string, days: number): Promise<readonly IvPoint[]> {
    const now = this.opts.clock.now();
    this.snapshot(symbol, now);
    const today = exchangeDate(now);
    const dates = [...new Set((this.history.snapshots.get(symbol) ?? []).map((s) => exchangeDate(s.ts)))].filter((d) => d <= today);
    const out: IvPoint[] = [];
    for (const date of dates) {
      const iv = this.ivOn(symbol, date, now);
      if (iv !== null) out.push({ date, iv });
    }
    return out.slice(-days);
  }

  async vix(): Promise<number> {
    const now = this.opts.clock.now();
    if (this.history.vix.length > 0) {
      const v = latestAtOrBefore(this.history.vix, now);
      if (!v) throw new ConfigError('E_CSV_BEFORE', `${this.opts.file} has no vix at or before ${new Date(now).toISOString()}`);
      return v.vix;
    }
    const symbol = this.history.snapshots.has('SPY') ? 'SPY' : (this.symbols[0] as string);
    const s = this.snapshot(symbol, now);
    const iv = atmIv30(s.quotes, s.spot, s.ts);
    if (iv === null) throw new ConfigError('E_CSV_VIX', `${this.opts.file}: no vix column and no IV in ${symbol}'s rows at ${new Date(s.ts).toISOString()} to derive VIX from`);
    return Math.round(iv * 10_000) / 100;
  }

  /** Against the latest snapshot at or before an hour ago; 0 when the file has none that early. */
  async change1hPct(symbol: string): Promise<number> {
    const now = this.opts.clock.now();
    const b = this.snapshot(symbol, now);
    const a = latestAtOrBefore(this.history.snapshots.get(symbol) ?? [], now - 3600_000);
    return a ? ((b.spot - a.spot) / a.spot) * 100 : 0;
  }
}
