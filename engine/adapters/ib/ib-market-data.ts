import { EventName, IBApiTickType as Tick, OptionType, SecType, type Contract, type ContractDetails } from '@stoqey/ib';
import type { ChainSkeleton, ChainWindow, ExpiryInfo, IvPoint, MarketData, OptionContractRef, OptionQuote } from '../../market/market-data';
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

export type MarketDataType = 'live' | 'frozen' | 'delayed' | 'delayed_frozen';
const MARKET_DATA_TYPE: Readonly<Record<MarketDataType, number>> = { live: 1, frozen: 2, delayed: 3, delayed_frozen: 4 };

/**
 * MarketData through IB: the chain skeleton from reqSecDefOptParams, quotes and greeks from
 * reqMktData snapshots only for the contracts asked for (IB's pacing makes a full chain scan
 * impossible), IV history from OPTION_IMPLIED_VOLATILITY bars. Every message goes through the pacer.
 */
export class IbMarketData implements MarketData {
  readonly name = 'ib';
  private readonly underConIds = new Map<string, number>();

  constructor(
    private readonly session: IbSession,
    private readonly pacer: IbPacer,
    private readonly clock: Clock,
    private readonly dataType: MarketDataType = 'live',
  ) {}

  async init(): Promise<void> {
    await this.pacer.message();
    this.session.api.reqMarketDataType(MARKET_DATA_TYPE[this.dataType]);
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

  /** One market-data snapshot: price ticks and the model option computation until snapshot end. */
  private async snapshot(contract: Contract, what: string): Promise<{ bid?: number; ask?: number; last?: number; iv?: number; delta?: number; gamma?: number; vega?: number; theta?: number; und?: number }> {
    const lease = await this.pacer.acquireLine();
    try {
      const id = this.session.newReqId();
      return await this.session.request(id, what, (done) => {
        const s: Record<string, number | undefined> = {};
        return [
          [EventName.tickPrice, ((r: number, type: number, price: number) => {
            if (r !== id) return;
            if (type === Tick.BID || type === Tick.DELAYED_BID) s.bid = price;
            else if (type === Tick.ASK || type === Tick.DELAYED_ASK) s.ask = price;
            else if (type === Tick.LAST || type === Tick.DELAYED_LAST || type === Tick.CLOSE) s.last = price;
          }) as never],
          [EventName.tickOptionComputation, ((r: number, type: number, _a: number | undefined, iv?: number, delta?: number, _p?: number, _pv?: number, gamma?: number, vega?: number, theta?: number, und?: number) => {
            if (r !== id || (type !== Tick.MODEL_OPTION && type !== Tick.DELAYED_MODEL_OPTION)) return;
            Object.assign(s, { iv, delta, gamma, vega, theta, und });
          }) as never],
          [EventName.tickSnapshotEnd, ((r: number) => r === id && done(s)) as never],
        ];
      }, () => this.session.api.reqMktData(id, contract, '', true, false));
    } finally {
      lease.release();
    }
  }

  async spot(symbol: string): Promise<number> {
    const s = await this.snapshot(this.stock(symbol), `quote of ${symbol}`);
    const mid = s.bid !== undefined && s.ask !== undefined && s.bid > 0 && s.ask >= s.bid ? (s.bid + s.ask) / 2 : undefined;
    const px = s.last ?? mid;
    if (px === undefined || !(px > 0)) throw new TransientError('IB_NO_PRICE', `IB sent no price for ${symbol}; retry (market closed or no data subscription?)`);
    return round2(px);
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
    const strikes = row.strikes
      .filter((k) => (window.strike_min === undefined || k >= window.strike_min) && (window.strike_max === undefined || k <= window.strike_max))
      .sort((a, b) => a - b);
    const expiries = row.expirations
      .map((e) => isoDate(e))
      .map((expiry) => ({ expiry, dte: dteAt(expiry, now), kind: expiryKind(expiry), strikes }))
      .filter((e) => e.dte >= window.dte_min && e.dte <= window.dte_max)
      .sort((a, b) => a.dte - b.dte);
    return { symbol, spot, as_of: now, expiries };
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
      bid,
      ask,
      mid: bid !== null && ask !== null ? (bid + ask) / 2 : null,
      iv: finite(s.iv),
      delta: signed(s.delta),
      gamma: signed(s.gamma),
      theta: signed(s.theta),
      vega: signed(s.vega),
      open_interest: null,
      con_id: null,
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
