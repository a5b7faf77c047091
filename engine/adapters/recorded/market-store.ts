import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChainWindow, ExpiryInfo, IvPoint, OptionQuote } from '../../market/market-data';
import type { Right } from '../../model/leg';
import type { MarketDataType } from '../../model/market-data-type';
import { ConfigError } from '../../shared/errors';

/** "TDMK": tells a market recording from a journal or any other SQLite file. */
const APPLICATION_ID = 0x54444d4b;
const FORMAT = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS spots (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, symbol TEXT NOT NULL, spot REAL NOT NULL);
CREATE INDEX IF NOT EXISTS spots_at ON spots (symbol, ts);
CREATE TABLE IF NOT EXISTS vix (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, vix REAL NOT NULL);
CREATE INDEX IF NOT EXISTS vix_at ON vix (ts);
CREATE TABLE IF NOT EXISTS change_1h (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, symbol TEXT NOT NULL, pct REAL NOT NULL);
CREATE INDEX IF NOT EXISTS change_1h_at ON change_1h (symbol, ts);
CREATE TABLE IF NOT EXISTS chains (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, symbol TEXT NOT NULL, spot REAL NOT NULL,
  dte_min INTEGER NOT NULL, dte_max INTEGER NOT NULL, strike_min REAL, strike_max REAL, expiries TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chains_at ON chains (symbol, ts);
CREATE TABLE IF NOT EXISTS quotes (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, symbol TEXT NOT NULL, expiry TEXT NOT NULL,
  "right" TEXT NOT NULL, strike REAL NOT NULL, bid REAL, ask REAL, mid REAL, iv REAL, delta REAL, gamma REAL, theta REAL,
  vega REAL, open_interest REAL, con_id INTEGER, data_type TEXT,
  -- 1: taken by the recorder itself (the strikes around the configured windows), 0: an answer the engine received.
  captured INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS quotes_contract ON quotes (symbol, expiry, "right", strike, ts);
CREATE INDEX IF NOT EXISTS quotes_at ON quotes (symbol, ts);
CREATE TABLE IF NOT EXISTS iv_points (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, symbol TEXT NOT NULL, date TEXT NOT NULL, iv REAL NOT NULL);
CREATE INDEX IF NOT EXISTS iv_points_at ON iv_points (symbol, date, ts);
`;

export interface StoredChain {
  readonly ts: number;
  readonly spot: number;
  readonly window: ChainWindow;
  readonly expiries: readonly ExpiryInfo[];
}

interface QuoteRow {
  ts: number;
  symbol: string;
  expiry: string;
  right: Right;
  strike: number;
  bid: number | null;
  ask: number | null;
  mid: number | null;
  iv: number | null;
  delta: number | null;
  gamma: number | null;
  theta: number | null;
  vega: number | null;
  open_interest: number | null;
  con_id: number | null;
  data_type: MarketDataType | null;
}

export interface StoredQuote {
  readonly ts: number;
  readonly quote: OptionQuote;
}

function toQuote(r: QuoteRow): OptionQuote {
  const q: OptionQuote = { symbol: r.symbol, expiry: r.expiry, right: r.right, strike: r.strike, bid: r.bid, ask: r.ask, mid: r.mid, iv: r.iv, delta: r.delta, gamma: r.gamma, theta: r.theta, vega: r.vega, open_interest: r.open_interest, con_id: r.con_id };
  return r.data_type === null ? q : { ...q, data_type: r.data_type };
}

/**
 * A market recording (#16): every answer a run's market gave, stamped with the clock time it was
 * asked at, in its own SQLite file (never the journal). Values are stored as the doubles they were,
 * so a replay serves the engine bit-identical numbers.
 */
export class MarketStore {
  private readonly db: Database.Database;
  private readonly lastIv = new Map<string, number>();

  private constructor(
    readonly file: string,
    db: Database.Database,
  ) {
    this.db = db;
  }

  /** A new recording; an existing file is refused (a recording is one run's, appending another would mix them). */
  static create(file: string, source: string, startedAt: number): MarketStore {
    if (fs.existsSync(file)) throw new ConfigError('E_RECORDING_EXISTS', `recording ${file} exists: each run records into a new file; pick a new path or move the old one`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // A recording lost at a crash loses replay data, not money: no fsync per answer.
    db.pragma('synchronous = NORMAL');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.exec(SCHEMA);
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    meta.run('format', String(FORMAT));
    meta.run('source', source);
    meta.run('started_at', new Date(startedAt).toISOString());
    return new MarketStore(file, db);
  }

  /** An existing recording, read-only. */
  static open(file: string): MarketStore {
    if (!fs.existsSync(file)) throw new ConfigError('E_RECORDING_MISSING', `recording ${file} does not exist; record one with \`thetadesk demo --record ${file}\` or \`thetadesk run --record\``);
    const db = new Database(file, { readonly: true, fileMustExist: true });
    if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID) {
      db.close();
      throw new ConfigError('E_RECORDING_FORMAT', `${file} is not a thetadesk market recording (made by --record)`);
    }
    return new MarketStore(file, db);
  }

  meta(key: string): string | null {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  }

  close(): void {
    this.db.close();
  }

  // ---- writing

  putSpot(ts: number, symbol: string, spot: number): void {
    this.db.prepare('INSERT INTO spots (ts, symbol, spot) VALUES (?, ?, ?)').run(ts, symbol, spot);
  }

  putVix(ts: number, vix: number): void {
    this.db.prepare('INSERT INTO vix (ts, vix) VALUES (?, ?)').run(ts, vix);
  }

  putChange1h(ts: number, symbol: string, pct: number): void {
    this.db.prepare('INSERT INTO change_1h (ts, symbol, pct) VALUES (?, ?, ?)').run(ts, symbol, pct);
  }

  putChain(ts: number, symbol: string, spot: number, w: ChainWindow, expiries: readonly ExpiryInfo[]): void {
    this.db.prepare('INSERT INTO chains (ts, symbol, spot, dte_min, dte_max, strike_min, strike_max, expiries) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(ts, symbol, spot, w.dte_min, w.dte_max, w.strike_min ?? null, w.strike_max ?? null, JSON.stringify(expiries));
  }

  putQuotes(ts: number, quotes: readonly OptionQuote[], captured: boolean): void {
    const ins = this.db.prepare(
      'INSERT INTO quotes (ts, symbol, expiry, "right", strike, bid, ask, mid, iv, delta, gamma, theta, vega, open_interest, con_id, data_type, captured) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const q of quotes) ins.run(ts, q.symbol, q.expiry, q.right, q.strike, q.bid, q.ask, q.mid, q.iv, q.delta, q.gamma, q.theta, q.vega, q.open_interest, q.con_id, q.data_type ?? null, captured ? 1 : 0);
    })();
  }

  /**
   * Only the points that changed since the last answer (a year of history is asked many times a
   * day), and always the last one: its time says when the history was last asked.
   */
  putIvHistory(ts: number, symbol: string, points: readonly IvPoint[]): void {
    const ins = this.db.prepare('INSERT INTO iv_points (ts, symbol, date, iv) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const [i, p] of points.entries()) {
        const k = `${symbol}|${p.date}`;
        if (this.lastIv.get(k) === p.iv && i < points.length - 1) continue;
        this.lastIv.set(k, p.iv);
        ins.run(ts, symbol, p.date, p.iv);
      }
    })();
  }

  // ---- reading (every read: the latest at or before t)

  spotAt(symbol: string, t: number): { ts: number; spot: number } | null {
    const a = this.db.prepare('SELECT ts, spot FROM spots WHERE symbol = ? AND ts <= ? ORDER BY ts DESC, id DESC LIMIT 1').get(symbol, t) as { ts: number; spot: number } | undefined;
    const b = this.db.prepare('SELECT ts, spot FROM chains WHERE symbol = ? AND ts <= ? ORDER BY ts DESC, id DESC LIMIT 1').get(symbol, t) as { ts: number; spot: number } | undefined;
    if (!a || !b) return a ?? b ?? null;
    return b.ts > a.ts ? b : a;
  }

  firstSpot(symbol: string): number | null {
    return (this.db.prepare('SELECT MIN(ts) FROM spots WHERE symbol = ?').pluck().get(symbol) as number | null) ?? null;
  }

  vixAt(t: number): { ts: number; vix: number } | null {
    return (this.db.prepare('SELECT ts, vix FROM vix WHERE ts <= ? ORDER BY ts DESC, id DESC LIMIT 1').get(t) as { ts: number; vix: number } | undefined) ?? null;
  }

  change1hAt(symbol: string, t: number): { ts: number; pct: number } | null {
    return (this.db.prepare('SELECT ts, pct FROM change_1h WHERE symbol = ? AND ts <= ? ORDER BY ts DESC, id DESC LIMIT 1').get(symbol, t) as { ts: number; pct: number } | undefined) ?? null;
  }

  /** The chains recorded at the latest instant at or before t that has any. */
  chainsAt(symbol: string, t: number): StoredChain[] {
    const ts = this.db.prepare('SELECT MAX(ts) FROM chains WHERE symbol = ? AND ts <= ?').pluck().get(symbol, t) as number | null;
    if (ts === null) return [];
    const rows = this.db.prepare('SELECT ts, spot, dte_min, dte_max, strike_min, strike_max, expiries FROM chains WHERE symbol = ? AND ts = ? ORDER BY id').all(symbol, ts) as Array<{ ts: number; spot: number; dte_min: number; dte_max: number; strike_min: number | null; strike_max: number | null; expiries: string }>;
    return rows.map((r) => ({ ts: r.ts, spot: r.spot, window: { dte_min: r.dte_min, dte_max: r.dte_max, ...(r.strike_min === null ? {} : { strike_min: r.strike_min }), ...(r.strike_max === null ? {} : { strike_max: r.strike_max }) }, expiries: JSON.parse(r.expiries) as ExpiryInfo[] }));
  }

  quoteAt(symbol: string, expiry: string, right: Right, strike: number, t: number): StoredQuote | null {
    const r = this.db.prepare('SELECT * FROM quotes WHERE symbol = ? AND expiry = ? AND "right" = ? AND strike = ? AND ts <= ? ORDER BY ts DESC, id DESC LIMIT 1').get(symbol, expiry, right, strike, t) as QuoteRow | undefined;
    return r ? { ts: r.ts, quote: toQuote(r) } : null;
  }

  /** The latest quote of each contract of a symbol recorded in [from, to]: the IV surface a modelled quote comes from. */
  surface(symbol: string, from: number, to: number): OptionQuote[] {
    const rows = this.db.prepare('SELECT * FROM quotes WHERE symbol = ? AND ts >= ? AND ts <= ? ORDER BY ts, id').all(symbol, from, to) as QuoteRow[];
    const latest = new Map<string, QuoteRow>();
    for (const r of rows) latest.set(`${r.expiry}|${r.right}|${r.strike}`, r);
    return [...latest.values()].map(toQuote);
  }

  /** When the IV history of a symbol was last asked at or before t. */
  ivAskedAt(symbol: string, t: number): number | null {
    return (this.db.prepare('SELECT MAX(ts) FROM iv_points WHERE symbol = ? AND ts <= ?').pluck().get(symbol, t) as number | null) ?? null;
  }

  /** Per date up to `date`, the IV as last recorded at or before t. */
  ivHistoryAt(symbol: string, date: string, t: number): IvPoint[] {
    const rows = this.db.prepare('SELECT date, iv, ts, id FROM iv_points WHERE symbol = ? AND date <= ? AND ts <= ? ORDER BY date, ts, id').all(symbol, date, t) as Array<{ date: string; iv: number }>;
    const by = new Map<string, number>();
    for (const r of rows) by.set(r.date, r.iv);
    return [...by.entries()].map(([d, iv]) => ({ date: d, iv }));
  }

  /** Rows per table: what a recording holds. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of ['spots', 'vix', 'change_1h', 'chains', 'quotes', 'iv_points']) out[t] = this.db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
    return out;
  }
}
