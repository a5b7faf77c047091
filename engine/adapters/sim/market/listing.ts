import type { ExpiryInfo, ExpiryKind } from '../../../market/market-data';
import { addDays, isoWeekday } from '../../../shared/exchange-time';

const DAILY_UNTIL = 14;
const WEEKLY_UNTIL = 70;
const MONTHLY_UNTIL = 400;

function kindOf(date: string, dte: number): ExpiryKind | null {
  const wd = isoWeekday(date);
  if (wd > 5) return null;
  const dom = Number(date.slice(8, 10));
  if (wd === 5 && dom >= 15 && dom <= 21) return 'monthly';
  if (wd === 5 && dte <= WEEKLY_UNTIL) return 'weekly';
  if (dte <= DAILY_UNTIL) return 'daily';
  return null;
}

/**
 * Strikes an exchange would list around the spot: `step` apart within ±12%, 5 points apart out to
 * ±35%, a little wider for longer expiries (their strikes were listed when spot was elsewhere).
 */
export function listStrikes(spot: number, step: number, dte: number): number[] {
  const near = 0.12 + Math.min(0.08, dte / 3650);
  const far = 0.35;
  const out: number[] = [];
  const lo = Math.floor((spot * (1 - far)) / 5) * 5;
  const hi = Math.ceil((spot * (1 + far)) / 5) * 5;
  for (let k = lo; k <= hi; k += step) {
    const inner = Math.abs(k / spot - 1) <= near;
    if (inner || k % 5 === 0) out.push(k);
  }
  return out;
}

/** Daily expiries for two weeks, Friday weeklies to 70 DTE, third-Friday monthlies beyond. */
export function listExpiries(today: string, spot: number, step: number, dteMin: number, dteMax: number): ExpiryInfo[] {
  const out: ExpiryInfo[] = [];
  for (let dte = Math.max(0, dteMin); dte <= Math.min(dteMax, MONTHLY_UNTIL); dte++) {
    const expiry = addDays(today, dte);
    const kind = kindOf(expiry, dte);
    if (kind) out.push({ expiry, dte, kind, strikes: listStrikes(spot, step, dte) });
  }
  return out;
}
