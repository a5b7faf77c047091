import { INDEX_SKEW } from './iv-surface';

/** Believable starting levels, vol parameters and quoting of the simulated underlyings. */
export interface SimSymbol {
  readonly symbol: string;
  /** Level the price wanders around (weak mean reversion keeps it believable for years). */
  readonly level: number;
  /** Continuous dividend yield. */
  readonly q: number;
  /** Calm-regime 30-day ATM IV. */
  readonly base_vol: number;
  /** Sensitivity to the common market factor. */
  readonly beta: number;
  /** Strike grid near the money, points. */
  readonly step: number;
  /** Relative fall of IV per standard deviation of moneyness (see iv-surface). */
  readonly skew: number;
  /** In the penny program: options quoted in $0.01 at every price (SPY, QQQ and IWM are). */
  readonly penny: boolean;
  /** Spread multiplier against SPY's book (see quote-model's spreadWidth). */
  readonly liquidity: number;
}

export const SIM_SYMBOLS: Readonly<Record<string, SimSymbol>> = {
  SPY: { symbol: 'SPY', level: 580, q: 0.013, base_vol: 0.14, beta: 1, step: 1, skew: INDEX_SKEW, penny: true, liquidity: 1 },
  QQQ: { symbol: 'QQQ', level: 500, q: 0.006, base_vol: 0.18, beta: 1.2, step: 1, skew: INDEX_SKEW, penny: true, liquidity: 1.25 },
  IWM: { symbol: 'IWM', level: 220, q: 0.012, base_vol: 0.2, beta: 1.15, step: 1, skew: INDEX_SKEW, penny: true, liquidity: 1.25 },
};

export const SIM_RATE = 0.045;
