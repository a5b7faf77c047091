/**
 * Implied vol surface: an ATM term structure that mean-reverts from the current short-dated level
 * toward a long-run level (backwardation when vol is high, contango when low) and a put skew
 * (vol rises as strikes fall, measured in standard deviations of moneyness).
 */
export function atmVol(shortVol: number, longRun: number, t: number): number {
  return longRun + (shortVol - longRun) * Math.exp(-t / 0.35);
}

export function surfaceVol(shortVol: number, longRun: number, spot: number, strike: number, t: number): number {
  const atm = atmVol(shortVol, longRun, t);
  const m = Math.log(strike / spot) / (atm * Math.sqrt(Math.max(t, 1 / 365)));
  const v = atm * (1 - 0.12 * m + 0.025 * m * m);
  return Math.max(atm * 0.55, Math.min(atm * 3, v));
}
