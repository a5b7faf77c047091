import type { RiskConfig } from '../config/types';

export interface PortfolioSnapshot {
  readonly net_liquidation: number;
  readonly buying_power: number;
  /** Net liquidation at the start of the trading day. */
  readonly start_of_day_net_liquidation: number;
  /** Open strategy positions per underlying. */
  readonly open_positions: Readonly<Record<string, number>>;
  /** Sum of the max losses of the open positions, dollars. */
  readonly open_max_loss: number;
}

export interface RiskRequest {
  readonly kind: 'open' | 'close' | 'reduce' | 'roll';
  readonly symbol: string;
  /** Max loss of the new order in dollars (0 for closes; a roll's new max loss less the old one's, may be negative). */
  readonly max_loss: number;
}

export interface RiskVerdict {
  readonly allowed: boolean;
  readonly reasons: readonly string[];
}

export interface RiskFlags {
  readonly halted: boolean;
  readonly breaker_open: boolean;
}

/**
 * Checked when an intent is made and again just before it is sent. Closing and reducing always
 * pass: refusing to get out of risk is never safer. Everything that adds risk must pass every limit.
 */
export function checkRisk(req: RiskRequest, p: PortfolioSnapshot, cfg: RiskConfig, flags: RiskFlags): RiskVerdict {
  if (req.kind === 'close' || req.kind === 'reduce') return { allowed: true, reasons: [] };
  const reasons: string[] = [];
  if (flags.halted) reasons.push('trading is halted (thetadesk resume to lift)');
  if (flags.breaker_open) reasons.push('the circuit breaker is open after repeated failures');
  // A roll replaces one position with another: it adds none, and its max_loss is the net change.
  const adds = req.kind === 'roll' ? 0 : 1;
  const perSymbol = p.open_positions[req.symbol] ?? 0;
  if (perSymbol + adds > cfg.max_positions_per_symbol) reasons.push(`${req.symbol} already has ${perSymbol} open positions (limit ${cfg.max_positions_per_symbol})`);
  const total = Object.values(p.open_positions).reduce((a, b) => a + b, 0);
  if (total + adds > cfg.max_positions) reasons.push(`${total} positions are open (limit ${cfg.max_positions})`);
  if (!(p.net_liquidation > 0)) reasons.push('net liquidation is not positive');
  else {
    const riskPct = ((p.open_max_loss + req.max_loss) / p.net_liquidation) * 100;
    if (riskPct > cfg.max_portfolio_risk_pct) reasons.push(`portfolio risk would be ${riskPct.toFixed(1)}% of net liquidation (limit ${cfg.max_portfolio_risk_pct}%)`);
  }
  if (req.max_loss > p.buying_power) reasons.push(`needs ${req.max_loss.toFixed(2)} of buying power, ${p.buying_power.toFixed(2)} available`);
  if (p.start_of_day_net_liquidation > 0) {
    const lossPct = ((p.start_of_day_net_liquidation - p.net_liquidation) / p.start_of_day_net_liquidation) * 100;
    if (lossPct >= cfg.daily_loss_limit_pct) reasons.push(`today's loss is ${lossPct.toFixed(2)}% of the day's starting net liquidation (limit ${cfg.daily_loss_limit_pct}%)`);
  }
  return { allowed: reasons.length === 0, reasons };
}
