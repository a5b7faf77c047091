import { exchangeMinuteOfDay } from '../shared/exchange-time';
import type { SnapshotRecord } from '../store/snapshots-repo';
import type { IndexSnapshot } from './collect-futures-data';
import type { OptionSnapshot } from './collect-option-data';

export interface DataIssue {
  readonly kind: 'no_data' | 'gap' | 'stale' | 'crossed' | 'outlier';
  readonly source: 'option' | 'index';
  readonly symbol: string;
  readonly at: number | null;
  readonly detail: string;
}

export interface QualityLimits {
  /** Expected spacing of snapshots, ms (a gap is more than twice it). */
  readonly interval_ms: number;
  /** Identical bid/ask in this many consecutive snapshots is stale. */
  readonly stale_after: number;
  /** Price move between consecutive snapshots, percent, beyond which it is an outlier. */
  readonly max_spot_move_pct: number;
  readonly iv_min: number;
  readonly iv_max: number;
  /** Index symbols exempt from the move check: VIX moving 5% in five minutes is an ordinary day, not bad data. */
  readonly move_exempt: readonly string[];
}

export const DEFAULT_LIMITS: QualityLimits = { interval_ms: 5 * 60_000, stale_after: 6, max_spot_move_pct: 5, iv_min: 0.01, iv_max: 5, move_exempt: ['VIX'] };

const OPEN_MIN = 9 * 60 + 30;
const CLOSE_MIN = 16 * 60;

type Source = DataIssue['source'];
type Quote = OptionSnapshot['quotes'][number];

/** Pure: the problems in one day's option snapshots (no data, gaps within market hours, stale, crossed, outliers). */
export function findDataIssues(snaps: ReadonlyArray<SnapshotRecord<OptionSnapshot>>, symbols: readonly string[], limits: QualityLimits = DEFAULT_LIMITS): DataIssue[] {
  return symbols.flatMap((symbol) => {
    const series = seriesOf(snaps, symbol);
    if (series.length === 0) return [noData('option', symbol)];
    return [
      ...gapIssues('option', symbol, series, limits),
      ...moveIssues('option', symbol, series.map((s) => ({ at: s.at, level: s.data.spot })), limits),
      ...series.flatMap((s) => s.data.quotes.flatMap((q) => quoteIssues(symbol, s.at, s.data.expiry, q, limits))),
      ...staleIssues(symbol, series, limits),
    ];
  });
}

/** Pure: the problems in one day's index levels (no data, gaps, impossible levels, jumps). */
export function findIndexIssues(snaps: ReadonlyArray<SnapshotRecord<IndexSnapshot>>, symbols: readonly string[], limits: QualityLimits = DEFAULT_LIMITS): DataIssue[] {
  return symbols.flatMap((symbol) => {
    const series = seriesOf(snaps, symbol);
    if (series.length === 0) return [noData('index', symbol)];
    const levels = series.map((s) => ({ at: s.at, level: s.data.level }));
    const moves = limits.move_exempt.includes(symbol) ? levels.flatMap((l) => badLevel('index', symbol, l)) : moveIssues('index', symbol, levels, limits);
    return [...gapIssues('index', symbol, series, limits), ...moves];
  });
}

function seriesOf<T>(snaps: ReadonlyArray<SnapshotRecord<T>>, symbol: string): Array<SnapshotRecord<T>> {
  return snaps.filter((s) => s.symbol === symbol).sort((a, b) => a.at - b.at);
}

const noData = (source: Source, symbol: string): DataIssue => ({ kind: 'no_data', source, symbol, at: null, detail: 'no snapshots today' });

const inHours = (t: number): boolean => {
  const m = exchangeMinuteOfDay(t);
  return m >= OPEN_MIN && m <= CLOSE_MIN;
};

/** Snapshots outside 09:30–16:00 ET are not expected every interval, so only in-hours pairs count. */
function gapIssues(source: Source, symbol: string, series: ReadonlyArray<{ at: number }>, limits: QualityLimits): DataIssue[] {
  const out: DataIssue[] = [];
  series.forEach((s, i) => {
    const prev = series[i - 1];
    if (prev && inHours(prev.at) && inHours(s.at) && s.at - prev.at > 2 * limits.interval_ms) {
      out.push({ kind: 'gap', source, symbol, at: s.at, detail: `${Math.round((s.at - prev.at) / 60_000)} min without a snapshot` });
    }
  });
  return out;
}

function badLevel(source: Source, symbol: string, l: { at: number; level: number }): DataIssue[] {
  return Number.isFinite(l.level) && l.level > 0 ? [] : [{ kind: 'outlier', source, symbol, at: l.at, detail: `price ${l.level} is not a price` }];
}

function moveIssues(source: Source, symbol: string, levels: ReadonlyArray<{ at: number; level: number }>, limits: QualityLimits): DataIssue[] {
  const out: DataIssue[] = levels.flatMap((l) => badLevel(source, symbol, l));
  levels.forEach((l, i) => {
    const prev = levels[i - 1];
    if (!prev || !(prev.level > 0) || !Number.isFinite(l.level)) return;
    const move = (Math.abs(l.level - prev.level) / prev.level) * 100;
    if (move > limits.max_spot_move_pct) out.push({ kind: 'outlier', source, symbol, at: l.at, detail: `price moved ${move.toFixed(1)}% between snapshots (${prev.level} → ${l.level})` });
  });
  return out;
}

const contractId = (expiry: string | null, q: Quote): string => `${expiry ?? '?'} ${q.strike}${q.right}`;

function quoteIssues(symbol: string, at: number, expiry: string | null, q: Quote, limits: QualityLimits): DataIssue[] {
  const out: DataIssue[] = [];
  const id = contractId(expiry, q);
  if (q.bid !== null && q.ask !== null && q.bid > q.ask) out.push({ kind: 'crossed', source: 'option', symbol, at, detail: `${id} bid ${q.bid} > ask ${q.ask}` });
  if (q.iv !== null && (q.iv < limits.iv_min || q.iv > limits.iv_max)) out.push({ kind: 'outlier', source: 'option', symbol, at, detail: `${id} IV ${q.iv} outside ${limits.iv_min}..${limits.iv_max}` });
  return out;
}

/** One issue per run of identical quotes; a contract missing from a snapshot (the ATM strike moved) ends its run. */
function staleIssues(symbol: string, series: ReadonlyArray<SnapshotRecord<OptionSnapshot>>, limits: QualityLimits): DataIssue[] {
  const out: DataIssue[] = [];
  let runs = new Map<string, { key: string; count: number }>();
  for (const s of series) {
    const next = new Map<string, { key: string; count: number }>();
    for (const q of s.data.quotes) {
      const id = contractId(s.data.expiry, q);
      const key = `${q.bid}/${q.ask}`;
      const r = runs.get(id);
      const count = r && r.key === key ? r.count + 1 : 1;
      next.set(id, { key, count });
      if (count === limits.stale_after) out.push({ kind: 'stale', source: 'option', symbol, at: s.at, detail: `${id} bid/ask ${key} unchanged in ${count} snapshots` });
    }
    runs = next;
  }
  return out;
}
