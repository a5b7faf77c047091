import { exchangeDate, exchangeMinuteOfDay } from '../../../shared/exchange-time';
import { isEarlyClose, isTradingDay, nextTradingDay, previousTradingDay } from '../../../shared/market-calendar';
import { gaussian, uniform } from './prng';
import type { SimSymbol } from './symbols';

/** The path starts here; the simulation refuses earlier times (IV history needs a year of it). */
export const SIM_EPOCH = '2015-01-02';
const SESSION_MIN = 390;
/** 09:30–13:00 on the NYSE's early-close days. */
const EARLY_SESSION_MIN = 210;
const OPEN_MIN = 570;
const REGIME_BLOCK_DAYS = 15;

export interface DayState {
  readonly date: string;
  readonly close: number;
  /** Short-dated ATM vol at the close (annualized fraction). */
  readonly vol: number;
  /** Log return of the day. */
  readonly ret: number;
}

/** Volatile stretches are market-wide: every symbol shares the regime and the jumps. */
export function stressed(seed: number, day: number): boolean {
  return uniform(seed, 'regime', Math.floor(day / REGIME_BLOCK_DAYS)) < 0.12;
}

/**
 * Daily closes and vols from the epoch: a mean-reverting log random walk driven by a common market
 * factor plus an idiosyncratic part, rare down jumps, and a vol process that rises after down moves
 * and in stressed regimes. Each day's shocks are keyed by (seed, day), so the path is the same
 * whatever order it is read in; the array is only a cache. Days are NYSE trading days: nothing
 * moves on weekends and exchange holidays, and an early-close session ends at 13:00.
 */
export class PricePath {
  private readonly days: DayState[] = [];
  private readonly dateIndex = new Map<string, number>();
  private readonly intraday = new Map<number, Float64Array>();

  constructor(
    private readonly seed: number,
    private readonly sym: SimSymbol,
  ) {}

  /** Day state by trading-day index from the epoch (0 = epoch). */
  day(i: number): DayState {
    while (this.days.length <= i) this.extend();
    return this.days[i]!;
  }

  private extend(): void {
    const i = this.days.length;
    const prev = this.days[i - 1];
    const date = prev ? nextTradingDay(prev.date) : SIM_EPOCH;
    const prevClose = prev?.close ?? this.sym.level;
    const prevVol = prev?.vol ?? this.sym.base_vol;
    const st = stressed(this.seed, i);
    const dailySd = (prevVol * 0.85) / Math.sqrt(252);
    const market = gaussian(this.seed, 'mkt', i);
    const idio = gaussian(this.seed, this.sym.symbol, 'idio', i);
    const jump = uniform(this.seed, 'jump', i) < (st ? 0.04 : 0.006) ? -(0.015 + 0.035 * uniform(this.seed, 'jumpsize', i)) : 0;
    const revert = -0.02 * Math.log(prevClose / this.sym.level);
    const ret = dailySd * (0.85 * market + 0.5 * idio) + this.sym.beta * jump + revert + 0.0002;
    const target = Math.log(this.sym.base_vol * (st ? 2.1 : 1));
    const logVol = Math.log(prevVol) + 0.1 * (target - Math.log(prevVol)) - 4 * Math.min(ret, 0.01) + 0.05 * gaussian(this.seed, this.sym.symbol, 'vol', i);
    const vol = Math.min(1.2, Math.max(0.06, Math.exp(logVol)));
    this.days.push({ date, close: prevClose * Math.exp(ret), vol, ret });
    this.dateIndex.set(date, i);
  }

  /** Trading-day index of a date that is a trading day, else null. */
  indexOf(date: string): number | null {
    if (date < SIM_EPOCH) throw new RangeError(`the simulated market starts on ${SIM_EPOCH}; ${date} is before it`);
    if (!isTradingDay(date)) return null;
    while (this.days.length === 0 || this.days[this.days.length - 1]!.date < date) this.extend();
    return this.dateIndex.get(date) ?? null;
  }

  /** The session's position at an instant: the trading day and the fraction of its session gone (0..1). */
  position(ms: number): { day: number; frac: number; minute: number; length: number } {
    const date = exchangeDate(ms);
    const mod = exchangeMinuteOfDay(ms);
    const idx = this.indexOf(date);
    if (idx !== null && mod >= OPEN_MIN) {
      const length = isEarlyClose(date) ? EARLY_SESSION_MIN : SESSION_MIN;
      const minute = Math.min(length, mod - OPEN_MIN);
      return { day: idx, frac: minute / length, minute, length };
    }
    // Before the open or on a day without a session, the market shows the last close.
    const j = this.indexOf(previousTradingDay(date));
    if (j === null) throw new RangeError(`the simulated market starts on ${SIM_EPOCH}; ${date} is before its first close`);
    return { day: j, frac: 1, minute: SESSION_MIN, length: SESSION_MIN };
  }

  /** Intraday spot and vol: a Brownian bridge from the previous close to the day's close. */
  at(ms: number): { spot: number; vol: number; day: number } {
    const { day, frac, minute, length } = this.position(ms);
    const d = this.day(day);
    const p = day > 0 ? this.day(day - 1) : { close: this.sym.level, vol: this.sym.base_vol };
    if (frac >= 1) return { spot: d.close, vol: d.vol, day };
    const w = this.walk(day);
    const sd = (p.vol * 0.6) / Math.sqrt(252 * length);
    const bridge = sd * (w[minute]! - frac * w[length]!);
    const spot = p.close * Math.exp(d.ret * frac + bridge);
    const vol = p.vol * Math.exp(Math.log(d.vol / p.vol) * frac - 3 * bridge);
    return { spot, vol, day };
  }

  private walk(day: number): Float64Array {
    let w = this.intraday.get(day);
    if (!w) {
      w = new Float64Array(SESSION_MIN + 1);
      for (let m = 1; m <= SESSION_MIN; m++) w[m] = w[m - 1]! + gaussian(this.seed, this.sym.symbol, 'min', day, m);
      this.intraday.set(day, w);
    }
    return w;
  }
}
