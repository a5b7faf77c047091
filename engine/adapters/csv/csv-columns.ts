import { DateTime } from 'luxon';
import type { Right } from '../../model/leg';
import { EXCHANGE_TZ } from '../../shared/exchange-time';

/**
 * The option-history CSV (README "Bring your own history"): one row per contract per interval,
 * the header naming the columns in any order. Required columns first; the rest may be absent or
 * empty, and are then computed (greeks, IV) or derived (VIX) — see csv-market.ts.
 */
export const REQUIRED_COLUMNS = ['timestamp', 'underlying', 'spot', 'expiry', 'strike', 'right', 'bid', 'ask'] as const;
export const OPTIONAL_COLUMNS = ['iv', 'delta', 'gamma', 'theta', 'vega', 'open_interest', 'vix', 'rate', 'dividend_yield'] as const;
export type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** Rates when the file has no rate / dividend_yield column (the shipped config's risk_free_rate). */
export const DEFAULT_RATE = 0.045;
export const DEFAULT_DIVIDEND_YIELD = 0;

export interface CsvRow {
  readonly ts: number;
  readonly symbol: string;
  readonly spot: number;
  readonly expiry: string;
  readonly strike: number;
  readonly right: Right;
  readonly bid: number | null;
  readonly ask: number | null;
  readonly iv: number | null;
  readonly delta: number | null;
  readonly gamma: number | null;
  readonly theta: number | null;
  readonly vega: number | null;
  readonly open_interest: number | null;
  readonly vix: number | null;
  /** Null when the row leaves it to another row of its snapshot (or the default). */
  readonly rate: number | null;
  readonly dividend_yield: number | null;
}

/** Splits one CSV line (RFC 4180 quoting: "a,b" and "" inside quotes). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** Column name → index from the header line; an error names what is missing or repeated. */
export function readHeader(cells: readonly string[]): { ok: true; index: ReadonlyMap<Column, number> } | { ok: false; message: string } {
  const known = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);
  const index = new Map<Column, number>();
  for (const [i, raw] of cells.entries()) {
    const name = raw.toLowerCase();
    if (!known.has(name)) return { ok: false, message: `unknown column ${JSON.stringify(raw)}; columns are ${[...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].join(', ')}` };
    if (index.has(name as Column)) return { ok: false, message: `column ${name} appears twice` };
    index.set(name as Column, i);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) return { ok: false, message: `the header lacks required column(s) ${missing.join(', ')}; it needs ${REQUIRED_COLUMNS.join(', ')}` };
  return { ok: true, index };
}

/**
 * `2026-01-05T15:30:00Z`, `2026-01-05T10:30:00-05:00`, or without a zone (`2026-01-05 10:30[:00]`,
 * as many vendor exports write it) in exchange time, America/New_York.
 */
export function parseTimestamp(text: string): number | null {
  const iso = text.replace(' ', 'T');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/.test(iso)) return null;
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(iso);
  const d = zoned ? DateTime.fromISO(iso, { setZone: true }) : DateTime.fromISO(iso, { zone: EXCHANGE_TZ });
  return d.isValid ? d.toMillis() : null;
}

function parseDate(text: string): string | null {
  const t = /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : text;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t)) return null;
  return DateTime.fromISO(t, { zone: 'UTC' }).isValid ? t : null;
}

const RIGHTS: Readonly<Record<string, Right>> = { C: 'C', CALL: 'C', P: 'P', PUT: 'P' };

type Cells = (c: Column) => string;

/** A number cell: empty → null (when allowed), else finite or an error message. */
function num(cells: Cells, c: Column, o: { required?: boolean; min?: number; max?: number; hint?: string } = {}): number | null | string {
  const text = cells(c);
  if (text === '') return o.required ? `${c} is empty` : null;
  const n = Number(text);
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) || !Number.isFinite(n)) return `${c} ${JSON.stringify(text)} is not a number`;
  if (o.min !== undefined && n < o.min) return `${c} ${text} is below ${o.min}${o.hint ? ` (${o.hint})` : ''}`;
  if (o.max !== undefined && n > o.max) return `${c} ${text} is above ${o.max}${o.hint ? ` (${o.hint})` : ''}`;
  return n;
}

/** One data row, checked; a string says what is wrong with it. */
export function parseRow(cellsOf: readonly string[], index: ReadonlyMap<Column, number>): CsvRow | string {
  const cells: Cells = (c) => {
    const i = index.get(c);
    return i === undefined ? '' : (cellsOf[i] ?? '');
  };
  const ts = parseTimestamp(cells('timestamp'));
  if (ts === null) return `timestamp ${JSON.stringify(cells('timestamp'))} is not a time like 2026-01-05T15:30:00Z (or 2026-01-05 10:30 in New York time)`;
  const symbol = cells('underlying').toUpperCase();
  if (!/^[A-Z0-9.]{1,12}$/.test(symbol)) return `underlying ${JSON.stringify(cells('underlying'))} is not a ticker like SPY`;
  const expiry = parseDate(cells('expiry'));
  if (expiry === null) return `expiry ${JSON.stringify(cells('expiry'))} is not a date like 2026-02-20`;
  const right = RIGHTS[cells('right').toUpperCase()];
  if (!right) return `right ${JSON.stringify(cells('right'))} must be C or P (or call/put)`;
  const fields = {
    spot: num(cells, 'spot', { required: true, min: 1e-9 }),
    strike: num(cells, 'strike', { required: true, min: 1e-9 }),
    bid: num(cells, 'bid', { min: 0 }),
    ask: num(cells, 'ask', { min: 0 }),
    iv: num(cells, 'iv', { min: 1e-6, max: 5, hint: 'iv is an annualized fraction: 0.18 for 18%' }),
    delta: num(cells, 'delta', { min: -1, max: 1 }),
    gamma: num(cells, 'gamma', { min: 0 }),
    theta: num(cells, 'theta'),
    vega: num(cells, 'vega', { min: 0 }),
    open_interest: num(cells, 'open_interest', { min: 0 }),
    vix: num(cells, 'vix', { min: 1e-6, max: 500 }),
    rate: num(cells, 'rate', { min: -0.1, max: 0.5, hint: 'an annual fraction: 0.045 for 4.5%' }),
    dividend_yield: num(cells, 'dividend_yield', { min: -0.1, max: 0.5, hint: 'an annual fraction' }),
  };
  for (const v of Object.values(fields)) if (typeof v === 'string') return v;
  const f = fields as { [K in keyof typeof fields]: number | null };
  if (f.bid !== null && f.ask !== null && f.ask < f.bid) return `ask ${f.ask} is below bid ${f.bid}`;
  if (f.delta !== null && (right === 'C' ? f.delta < 0 : f.delta > 0)) return `delta ${f.delta} has the wrong sign for a ${right === 'C' ? 'call' : 'put'} (puts negative)`;
  return {
    ts,
    symbol,
    spot: f.spot as number,
    expiry,
    strike: f.strike as number,
    right,
    bid: f.bid,
    ask: f.ask,
    iv: f.iv,
    delta: f.delta,
    gamma: f.gamma,
    theta: f.theta,
    vega: f.vega,
    open_interest: f.open_interest,
    vix: f.vix,
    rate: f.rate,
    dividend_yield: f.dividend_yield,
  };
}
