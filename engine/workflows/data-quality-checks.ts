import { exchangeMinuteOfDay } from '../shared/exchange-time';
import type { SnapshotRecord } from '../store/snapshots-repo';
import type { OptionSnapshot } from './collect-option-data';

export interface DataIssue {
  readonly kind: 'no_data' | 'gap' | 'stale' | 'crossed' | 'outlier';
  readonly symbol: string;
  readonly at: number | null;
  readonly detail: string;
}

export interface QualityLimits {
  /** Expected spacing of snapshots, ms (a gap is more than twice it). */
  readonly interval_ms: number;
  /** Identical bid/ask in this many consecutive snapshots is stale. */
  readonly stale_after: number;
  /** Spot move between consecutive snapshots, percent, beyond which it is an outlier. */
  readonly max_spot_move_pct: number;
  readonly iv_min: number;
  readonly iv_max: number;
}

export const DEFAULT_LIMITS: QualityLimits = { interval_ms: 5 * 60_000, stale_after: 6, max_spot_move_pct: 5, iv_min: 0.01, iv_max: 5 };

const OPEN_MIN = 9 * 60 + 30;
const CLOSE_MIN = 16 * 60;

/** Pure: the problems in one day's option snapshots (gaps within market hours, stale, crossed, outliers). */
export function findDataIssues(snaps: ReadonlyArray<SnapshotRecord<OptionSnapshot>>, symbols: readonly string[], limits: QualityLimits = DEFAULT_LIMITS): DataIssue[] {
  const out: DataIssue[] = [];
  for (const symbol of symbols) {
    const mine = snaps.filter((s) => s.symbol === symbol).sort((a, b) => a.at - b.at);
    if (mine.length === 0) {
      out.push({ kind: 'no_data', symbol, at: null, detail: 'no snapshots today' });
      continue;
    }
    const runs = new Map<string, { key: string; count: number }>();
    mine.forEach((s, i) => {
      const prev = mine[i - 1];
      if (prev) {
        const inHours = (t: number): boolean => exchangeMinuteOfDay(t) >= OPEN_MIN && exchangeMinuteOfDay(t) <= CLOSE_MIN;
        if (inHours(prev.at) && inHours(s.at) && s.at - prev.at > 2 * limits.interval_ms) out.push({ kind: 'gap', symbol, at: s.at, detail: `${Math.round((s.at - prev.at) / 60_000)} min without a snapshot` });
        const move = (Math.abs(s.data.spot - prev.data.spot) / prev.data.spot) * 100;
        if (move > limits.max_spot_move_pct) out.push({ kind: 'outlier', symbol, at: s.at, detail: `spot moved ${move.toFixed(1)}% between snapshots` });
      }
      for (const q of s.data.quotes) {
        const id = `${q.right}${q.strike}`;
        if (q.bid !== null && q.ask !== null && q.bid > q.ask) out.push({ kind: 'crossed', symbol, at: s.at, detail: `${id} bid ${q.bid} > ask ${q.ask}` });
        if (q.iv !== null && (q.iv < limits.iv_min || q.iv > limits.iv_max)) out.push({ kind: 'outlier', symbol, at: s.at, detail: `${id} IV ${q.iv} outside ${limits.iv_min}..${limits.iv_max}` });
        const key = `${q.bid}/${q.ask}`;
        const r = runs.get(id);
        const next = r && r.key === key ? { key, count: r.count + 1 } : { key, count: 1 };
        runs.set(id, next);
        if (next.count === limits.stale_after) out.push({ kind: 'stale', symbol, at: s.at, detail: `${id} quote ${key} unchanged in ${limits.stale_after} snapshots` });
      }
    });
  }
  return out;
}
