import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXPORT_HEADER, formatRow } from '../adapters/csv/csv-write';
import { SimMarket } from '../adapters/sim/sim-market';
import { SIM_RATE, SIM_SYMBOLS } from '../adapters/sim/market/symbols';
import type { OptionContractRef } from '../market/market-data';
import { ManualClock } from '../shared/clock';
import { nextTradingDay, isTradingDay, session } from '../shared/market-calendar';
import type { QuoteWindows } from './quote-windows';

export interface ExportOptions {
  readonly seed: number;
  readonly symbols: readonly string[];
  /** First and last trading day, YYYY-MM-DD (inclusive). */
  readonly from: string;
  readonly to: string;
  /** Interval between snapshots, ms, from each session's open; the close is always written. */
  readonly everyMs: number;
  readonly windows: QuoteWindows;
  readonly out: string;
}

export interface ExportSummary {
  readonly days: number;
  readonly snapshots: number;
  readonly rows: number;
  readonly bytes: number;
}

/** Instants of one session's snapshots: open, open + every, …, and the close. */
export function snapshotTimes(day: string, everyMs: number): number[] {
  const s = session(day);
  if (!s) return [];
  const out: number[] = [];
  for (let t = s.open_ms; t < s.close_ms; t += everyMs) out.push(t);
  out.push(s.close_ms);
  return out;
}

/**
 * The simulated market as an option-history CSV: at each snapshot, every listed contract of the
 * expiries in the DTE window whose |delta| is in the delta window, with spot, VIX and the sim's
 * rate and dividend yield, so `--market csv:FILE` serves the sim's own numbers back.
 */
export async function exportSimCsv(o: ExportOptions): Promise<ExportSummary> {
  const clock = new ManualClock(0);
  const market = new SimMarket({ seed: o.seed, clock, symbols: o.symbols });
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  const fd = fs.openSync(o.out, 'w');
  let rows = 0;
  let snapshots = 0;
  let days = 0;
  let bytes = 0;
  const write = (text: string): void => {
    bytes += fs.writeSync(fd, text);
  };
  try {
    write(`${EXPORT_HEADER}\n`);
    for (let day = isTradingDay(o.from) ? o.from : nextTradingDay(o.from); day <= o.to; day = nextTradingDay(day)) {
      days++;
      for (const t of snapshotTimes(day, o.everyMs)) {
        clock.set(t);
        snapshots++;
        const vix = await market.vix();
        const lines: string[] = [];
        for (const symbol of o.symbols) {
          const chain = await market.chain(symbol, { dte_min: o.windows.dte_min, dte_max: o.windows.dte_max });
          const refs: OptionContractRef[] = chain.expiries.flatMap((e) => e.strikes.flatMap((strike) => (['P', 'C'] as const).map((right) => ({ symbol, expiry: e.expiry, right, strike }))));
          let first = true;
          for (const q of await market.quotes(refs)) {
            const d = Math.abs(q.delta ?? 0);
            if (d < o.windows.delta_min || d > o.windows.delta_max) continue;
            const wide = first ? { vix, rate: SIM_RATE, dividend_yield: (SIM_SYMBOLS[symbol] as { q: number }).q } : { vix: null, rate: null, dividend_yield: null };
            lines.push(formatRow({ ts: t, spot: chain.spot, quote: q, ...wide }));
            first = false;
          }
        }
        rows += lines.length;
        if (lines.length > 0) write(`${lines.join('\n')}\n`);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return { days, snapshots, rows, bytes };
}
