import * as fs from 'node:fs';
import { bsmGreeks } from '../../market/bsm';
import { impliedVol } from '../../market/implied-vol';
import type { OptionQuote } from '../../market/market-data';
import { exchangeDate } from '../../shared/exchange-time';
import { ConfigError } from '../../shared/errors';
import { yearsToExpiry, type Carry } from '../../market/snapshot-model';
import { DEFAULT_DIVIDEND_YIELD, DEFAULT_RATE, parseRow, readHeader, splitCsvLine, type CsvRow } from './csv-columns';

/** Everything one underlying showed at one instant. */
export interface Snapshot {
  readonly ts: number;
  readonly symbol: string;
  readonly spot: number;
  readonly carry: Carry;
  readonly quotes: readonly OptionQuote[];
  readonly byKey: ReadonlyMap<string, OptionQuote>;
}

export interface CsvHistory {
  /** Per underlying, ascending by time. */
  readonly snapshots: ReadonlyMap<string, readonly Snapshot[]>;
  /** VIX rows from the vix column, ascending by time (empty: VIX is derived). */
  readonly vix: ReadonlyArray<{ ts: number; vix: number }>;
  /** `FILE:LINE: message` for each row skipped. */
  readonly problems: readonly string[];
  readonly rows: number;
}

export const contractKey = (expiry: string, right: string, strike: number): string => `${expiry}|${right}|${strike}`;

/**
 * The IV and greeks a row lacks: IV implied from the mid (BSM with the row's rate and dividend
 * yield, time to the expiry's close from the row's timestamp), then the missing greeks at that IV.
 * A row with no two-sided quote and no IV keeps nulls: the source had no market.
 */
function complete(r: CsvRow, carry: Carry): OptionQuote {
  const mid = r.bid !== null && r.ask !== null ? (r.bid + r.ask) / 2 : null;
  const input = { right: r.right, spot: r.spot, strike: r.strike, t: yearsToExpiry(r.expiry, r.ts), r: carry.r, q: carry.q };
  let iv = r.iv;
  if (iv === null && mid !== null && mid > 0) {
    const solved = impliedVol(mid, input);
    iv = solved.ok ? solved.vol : null;
  }
  const g = iv !== null && (r.delta === null || r.gamma === null || r.theta === null || r.vega === null) ? bsmGreeks({ ...input, vol: iv }) : null;
  return {
    symbol: r.symbol,
    expiry: r.expiry,
    right: r.right,
    strike: r.strike,
    bid: r.bid,
    ask: r.ask,
    mid,
    iv,
    delta: r.delta ?? g?.delta ?? null,
    gamma: r.gamma ?? g?.gamma ?? null,
    theta: r.theta ?? g?.theta ?? null,
    vega: r.vega ?? g?.vega ?? null,
    open_interest: r.open_interest,
    con_id: null,
  };
}

/**
 * Reads an option-history CSV. A bad row is reported as `FILE:LINE: message` and skipped; with
 * `strict` any bad row rejects the whole file (one ConfigError listing them). A bad header, or a
 * file with no good rows, is always an error.
 */
export function loadCsvHistory(file: string, strict: boolean): CsvHistory {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError('E_CSV_FILE', `csv market ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}; give --market csv:PATH of a readable file`);
  }
  const lines = text.split('\n');
  const problems: string[] = [];
  let header: ReturnType<typeof readHeader> | null = null;
  const groups = new Map<string, { ts: number; symbol: string; spot: number; r: number | null; q: number | null; vix: number | null; rows: Array<{ at: string; row: CsvRow }> }>();
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    const at = `${file}:${i + 1}`;
    const cells = splitCsvLine(line);
    if (header === null) {
      header = readHeader(cells);
      if (!header.ok) throw new ConfigError('E_CSV_HEADER', `${at}: ${header.message}`);
      continue;
    }
    if (!header.ok) break;
    const row = parseRow(cells, header.index);
    if (typeof row === 'string') {
      problems.push(`${at}: ${row}`);
      continue;
    }
    if (row.expiry < exchangeDate(row.ts)) {
      problems.push(`${at}: expiry ${row.expiry} is before the row's date ${exchangeDate(row.ts)}`);
      continue;
    }
    const gk = `${row.symbol}@${row.ts}`;
    let g = groups.get(gk);
    if (!g) {
      g = { ts: row.ts, symbol: row.symbol, spot: row.spot, r: null, q: null, vix: null, rows: [] };
      groups.set(gk, g);
    }
    const clash = snapshotClash(g, row);
    if (clash) {
      problems.push(`${at}: ${clash} on the earlier rows of ${row.symbol} at the same timestamp`);
      continue;
    }
    g.r ??= row.rate;
    g.q ??= row.dividend_yield;
    g.vix ??= row.vix;
    g.rows.push({ at, row });
  }
  if (header === null) throw new ConfigError('E_CSV_HEADER', `${file}: the file is empty; it needs a header line (${'timestamp,underlying,spot,expiry,strike,right,bid,ask'}) and rows`);
  const snapshots = new Map<string, Snapshot[]>();
  const vix = new Map<number, number>();
  let rows = 0;
  for (const g of groups.values()) {
    // Rate, dividend yield and VIX may sit on any one row of a snapshot (the export writes them on its first).
    const carry = { r: g.r ?? DEFAULT_RATE, q: g.q ?? DEFAULT_DIVIDEND_YIELD };
    const quotes = new Map<string, OptionQuote>();
    for (const { at, row } of g.rows) {
      const ck = contractKey(row.expiry, row.right, row.strike);
      if (quotes.has(ck)) {
        problems.push(`${at}: ${row.symbol} ${row.expiry} ${row.strike}${row.right} appears twice at the same timestamp`);
        continue;
      }
      quotes.set(ck, complete(row, carry));
      rows++;
    }
    if (g.vix !== null) vix.set(g.ts, g.vix);
    if (quotes.size === 0) continue;
    const list = snapshots.get(g.symbol) ?? [];
    list.push({ ts: g.ts, symbol: g.symbol, spot: g.spot, carry, quotes: [...quotes.values()], byKey: quotes });
    snapshots.set(g.symbol, list);
  }
  if (strict && problems.length > 0) {
    throw new ConfigError('E_CSV_ROWS', `${problems.length} bad row(s) in ${file} (--strict rejects the file):\n${problems.slice(0, 50).join('\n')}${problems.length > 50 ? `\n… and ${problems.length - 50} more` : ''}`);
  }
  if (rows === 0) throw new ConfigError('E_CSV_EMPTY', `${file} has no usable rows${problems.length > 0 ? `:\n${problems.slice(0, 20).join('\n')}` : ''}`);
  for (const list of snapshots.values()) list.sort((a, b) => a.ts - b.ts);
  // In file order: the duplicates are found after the rows are read.
  const lineOf = (p: string): number => Number(/:(\d+): /.exec(p.slice(file.length))?.[1] ?? 0);
  problems.sort((a, b) => lineOf(a) - lineOf(b));
  return { snapshots, vix: [...vix.entries()].map(([ts, v]) => ({ ts, vix: v })).sort((a, b) => a.ts - b.ts), problems, rows };
}

/** What a row says that contradicts its snapshot's earlier rows (one spot, rate, yield and VIX per snapshot), or null. */
function snapshotClash(g: { spot: number; r: number | null; q: number | null; vix: number | null }, row: CsvRow): string | null {
  if (g.spot !== row.spot) return `spot ${row.spot} differs from ${g.spot}`;
  if (g.r !== null && row.rate !== null && g.r !== row.rate) return `rate ${row.rate} differs from ${g.r}`;
  if (g.q !== null && row.dividend_yield !== null && g.q !== row.dividend_yield) return `dividend_yield ${row.dividend_yield} differs from ${g.q}`;
  if (g.vix !== null && row.vix !== null && g.vix !== row.vix) return `vix ${row.vix} differs from ${g.vix}`;
  return null;
}
