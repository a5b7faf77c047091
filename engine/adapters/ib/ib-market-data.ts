import { EventName, IBApiTickType as Tick, OptionType, SecType, type Contract } from '@stoqey/ib';
import type { ChainSkeleton, ChainWindow, ExpiryInfo, IvPoint, MarketData, OptionContractRef, OptionQuote } from '../../market/market-data';
import { IB_MARKET_DATA_TYPE, type MarketDataType } from '../../model/market-data-type';
import type { Clock } from '../../shared/clock';
import { dteAt, isoWeekday } from '../../shared/exchange-time';
import { TransientError } from '../../shared/errors';
import { requestContractDetails } from './ib-contract-details';
import type { IbPacer } from './pacer';
import type { IbSession } from './ib-session';

const ibDate = (d: string): string => d.replace(/-/g, '');
const isoDate = (d: string): string => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) || v < 0 ? null : v);
const signed = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Monthly = the third Friday; otherwise a weekly (Friday) or a daily expiry. */
function expiryKind(date: string): ExpiryInfo['kind'] {
  const day = Number(date.slice(8, 10));
  const wd = isoWeekday(date);
  if (wd === 5 && day >= 15 && day <= 21) return 'monthly';
  return wd === 5 ? 'weekly' : 'daily';
}

export type { MarketDataType } from '../../model/market-data-type';

/** IB's marketDataType numbers back to names. */
const DATA_TYPE_OF: Readonly<Record<number, MarketDataType>> = { 1: 'live', 2: 'frozen', 3: 'delayed', 4: 'delayed_frozen' };

interface Snapshot {
  bid?: number;
  ask?: number;
  last?: number;
  close?: number;
  iv?: number;
  delta?: number;
  gamma?: number;
  vega?: number;
  theta?: number;
  und?: number;
  /** What IB said the data is (marketDataType, delayed tick ids, notice 10167). */
  type: MarketDataType;
}

const DELAYED_PRICE_TICKS: ReadonlySet<number> = new Set([Tick.DELAYED_BID, Tick.DELAYED_ASK, Tick.DELAYED_LAST, Tick.DELAYED_CLOSE]);
const optionKey = (symbol: string, expiry: string, right: string, strike: number): string => `${symbol}|${expiry}|${right}|${strike}`;

/**
 * MarketData through IB: the chain skeleton from reqSecDefOptParams, quotes and greeks from
 * reqMktData snapshots only for the contracts asked for (IB's pacing makes a full chain scan
 * impossible), IV history from OPTION_IMPLIED_VOLATILITY bars. Every message goes through the pacer.
 */
export class IbMarketData implements MarketData {
  readonly name = 'ib';
  private readonly underConIds = new Map<string, number>();
  /** Option conIds learned from the chain's contract details: quotes carry them, so orders need no lookup. */
  private readonly optionConIds = new Map<string, number>();

  constructor(
    private readonly session: IbSession,
    private readonly pacer: IbPacer,
    private readonly clock: Clock,
    private readonly dataType: MarketDataType = 'live',
  ) {}

  async init(): Promise<void> {
    await this.pacer.message();
    this.session.api.reqMarketDataType(IB_MARKET_DATA_TYPE[this.dataType]);
  }

  private stock(symbol: string): Contract {
    return symbol === 'VIX' ? { symbol, secType: SecType.IND, exchange: 'CBOE', currency: 'USD' } : { symbol, secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
  }

  private async underlyingConId(symbol: string): Promise<number> {
    const cached = this.underConIds.get(symbol);
    if (cached !== undefined) return cached;
    const found = await requestContractDetails(this.session, this.pacer, this.stock(symbol), symbol);
    const conId = found[0]?.contract.conId;
    if (conId === undefined) throw new TransientError('IB_NO_CONTRACT', `IB returned no contract for ${symbol}`);
    this.underConIds.set(symbol, conId);
    return conId;
  }

  /**
   * One market-data snapshot: price ticks and the model option computation until snapshot end. IB's
   * refusals (no subscription, competing session) reject with the typed error naming the symbol.
   */
  private async snapshot(contract: Contract, what: string): Promise<Snapshot> {
    const lease = await this.pacer.acquireLine();
    const id = this.session.newReqId();
    try {
      const s = await this.session.request<Snapshot>(id, what, (done) => {
        const s: Snapshot = { type: 'live' };
        return [
          [EventName.tickPrice, ((r: number, type: number, price: number) => {
            if (r !== id) return;
            if (DELAYED_PRICE_TICKS.has(type) && s.type === 'live') s.type = 'delayed';
            if (type === Tick.BID || type === Tick.DELAYED_BID) s.bid = price;
            else if (type === Tick.ASK || type === Tick.DELAYED_ASK) s.ask = price;
            else if (type === Tick.LAST || type === Tick.DELAYED_LAST) s.last = price;
            else if (type === Tick.CLOSE || type === Tick.DELAYED_CLOSE) s.close = price;
          }) as never],
          [EventName.tickOptionComputation, ((r: number, type: number, _a: number | undefined, iv?: number, delta?: number, _p?: number, _pv?: number, gamma?: number, vega?: number, theta?: number, und?: number) => {
            if (r !== id || (type !== Tick.MODEL_OPTION && type !== Tick.DELAYED_MODEL_OPTION)) return;
            if (type === Tick.DELAYED_MODEL_OPTION && s.type === 'live') s.type = 'delayed';
            Object.assign(s, { iv, delta, gamma, vega, theta, und });
          }) as never],
          [EventName.marketDataType, ((r: number, t: number) => {
            if (r === id && DATA_TYPE_OF[t]) s.type = DATA_TYPE_OF[t] ?? s.type;
          }) as never],
          [EventName.tickSnapshotEnd, ((r: number) => r === id && done(s)) as never],
        ];
      }, () => this.session.api.reqMktData(id, contract, '', true, false), { symbol: contract.symbol, secType: contract.secType });
      if (this.session.takeDelayed(id) && s.type === 'live') s.type = 'delayed';
      return s;
    } finally {
      this.session.takeDelayed(id);
      lease.release();
    }
  }

  async spot(symbol: string): Promise<number> {
    return (await this.spotQuote(symbol)).price;
  }

  /** The underlying's price and the kind of data it came as (live, delayed, frozen). */
  async spotQuote(symbol: string): Promise<{ readonly price: number; readonly data_type: MarketDataType }> {
    const s = await this.snapshot(this.stock(symbol), `quote of ${symbol}`);
    const mid = s.bid !== undefined && s.ask !== undefined && s.bid > 0 && s.ask >= s.bid ? (s.bid + s.ask) / 2 : undefined;
    // The close tick is yesterday's: only a market without a trade or a quote falls back to it.
    const px = [s.last, mid, s.close].find((x) => x !== undefined && x > 0);
    if (px === undefined) throw new TransientError('IB_NO_PRICE', `IB sent no price for ${symbol}; retry (market closed or no data subscription?)`);
    return { price: round2(px), data_type: s.type };
  }

  async chain(symbol: string, window: ChainWindow): Promise<ChainSkeleton> {
    const [conId, spot] = await Promise.all([this.underlyingConId(symbol), this.spot(symbol)]);
    await this.pacer.message();
    const id = this.session.newReqId();
    const row = await this.session.request<{ expirations: string[]; strikes: number[] }>(id, `option chain of ${symbol}`, (done) => {
      let best: { expirations: string[]; strikes: number[] } = { expirations: [], strikes: [] };
      return [
        [EventName.securityDefinitionOptionParameter, ((r: number, exchange: string, _c: number, _tc: string, _m: string, expirations: string[], strikes: number[]) => {
          if (r === id && (exchange === 'SMART' || best.expirations.length === 0)) best = { expirations, strikes };
        }) as never],
        [EventName.securityDefinitionOptionParameterEnd, ((r: number) => r === id && done(best)) as never],
      ];
    }, () => this.session.api.reqSecDefOptParams(id, symbol, '', this.stock(symbol).secType ?? SecType.STK, conId));
    const now = this.clock.now();
    const inWindow = row.expirations
      .map((e) => isoDate(e))
      .map((expiry) => ({ expiry, dte: dteAt(expiry, now), kind: expiryKind(expiry) }))
      .filter((e) => e.dte >= window.dte_min && e.dte <= window.dte_max)
      .sort((a, b) => a.dte - b.dte);
    // reqSecDefOptParams gives the union of every expiry's strikes; an expiry lists only some of
    // them (IB answers 200 for the others), so each expiry's own strikes come from its contract
    // details, asked without a strike (IB then lists every strike of the expiry, with conIds).
    const listed = await Promise.all(inWindow.map((e) => this.expiryStrikes(symbol, e.expiry)));
    const expiries: ExpiryInfo[] = inWindow
      .map((e, i) => ({
        ...e,
        strikes: (listed[i] ?? []).filter((k) => (window.strike_min === undefined || k >= window.strike_min) && (window.strike_max === undefined || k <= window.strike_max)),
      }))
      .filter((e) => e.strikes.length > 0);
    return { symbol, spot, as_of: now, expiries };
  }

  /** Every listed strike of one expiry (both rights), remembering the conIds. */
  private async expiryStrikes(symbol: string, expiry: string): Promise<number[]> {
    const rows = await requestContractDetails(this.session, this.pacer, { symbol, secType: SecType.OPT, lastTradeDateOrContractMonth: ibDate(expiry), exchange: 'SMART', currency: 'USD', multiplier: 100 }, `${symbol} ${expiry} options`).catch((e: unknown) => {
      // An expiry IB lists in the chain but not in details (just expired, a holiday): none of its strikes.
      if (e instanceof Error && 'code' in e && (e as { code: unknown }).code === 'IB_200') return [];
      throw e;
    });
    const strikes = new Set<number>();
    for (const d of rows) {
      const c = d.contract;
      if (c.strike === undefined || c.conId === undefined) continue;
      strikes.add(c.strike);
      this.optionConIds.set(optionKey(symbol, expiry, c.right === OptionType.Put ? 'P' : 'C', c.strike), c.conId);
    }
    return [...strikes].sort((a, b) => a - b);
  }

  async quotes(contracts: readonly OptionContractRef[]): Promise<readonly OptionQuote[]> {
    return Promise.all(contracts.map((c) => this.quote(c)));
  }

  private async quote(c: OptionContractRef): Promise<OptionQuote> {
    const contract: Contract = { symbol: c.symbol, secType: SecType.OPT, lastTradeDateOrContractMonth: ibDate(c.expiry), strike: c.strike, right: c.right === 'P' ? OptionType.Put : OptionType.Call, exchange: 'SMART', currency: 'USD', multiplier: 100 };
    const s = await this.snapshot(contract, `quote of ${c.symbol} ${c.expiry} ${c.strike}${c.right}`);
    const bid = finite(s.bid);
    const ask = finite(s.ask);
    return {
      ...c,
      data_type: s.type,
      bid,
      ask,
      mid: bid !== null && ask !== null ? (bid + ask) / 2 : null,
      iv: finite(s.iv),
      delta: signed(s.delta),
      gamma: signed(s.gamma),
      theta: signed(s.theta),
      vega: signed(s.vega),
      open_interest: null,
      con_id: this.optionConIds.get(optionKey(c.symbol, c.expiry, c.right, c.strike)) ?? null,
    };
  }

  private async bars(symbol: string, duration: string, barSize: string, whatToShow: string): Promise<Array<{ date: string; open: number; close: number }>> {
    await this.pacer.message();
    const id = this.session.newReqId();
    return this.session.request(id, `${whatToShow} history of ${symbol}`, (done) => {
      const out: Array<{ date: string; open: number; close: number }> = [];
      return [
        [EventName.historicalData, ((r: number, date: string, open: number, _h: number, _l: number, close: number) => {
          if (r !== id) return;
          if (date.startsWith('finished')) done(out);
          else out.push({ date, open, close });
        }) as never],
      ];
    }, () => this.session.api.reqHistoricalData(id, this.stock(symbol), '', duration, barSize as never, whatToShow as never, 1, 1, false));
  }

  async ivHistory(symbol: string, days: number): Promise<readonly IvPoint[]> {
    const bars = await this.bars(symbol, `${days} D`, '1 day', 'OPTION_IMPLIED_VOLATILITY');
    return bars.filter((b) => Number.isFinite(b.close) && b.close > 0).map((b) => ({ date: isoDate(b.date.slice(0, 8)), iv: b.close }));
  }

  async vix(): Promise<number> {
    return this.spot('VIX');
  }

  async change1hPct(symbol: string): Promise<number> {
    const bars = await this.bars(symbol, '3600 S', '1 hour', 'TRADES');
    const first = bars[0];
    const last = bars[bars.length - 1];
    if (!first || !last || !(first.open > 0)) throw new TransientError('IB_NO_BARS', `IB sent no hourly bars for ${symbol}; retry`);
    return ((last.close - first.open) / first.open) * 100;
  }
}
