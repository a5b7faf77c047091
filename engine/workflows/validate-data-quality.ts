import { exchangeDate } from '../shared/exchange-time';
import { SnapshotsRepo } from '../store/snapshots-repo';
import type { IndexSnapshot } from './collect-futures-data';
import type { OptionSnapshot } from './collect-option-data';
import { findDataIssues, findIndexIssues, type DataIssue } from './data-quality-checks';
import type { Workflow } from './workflow-context';

export interface DataQualityReport {
  readonly trading_date: string;
  /** Snapshots read (option and index). */
  readonly checked: number;
  readonly checked_by_kind: { readonly option: number; readonly index: number };
  readonly issues: readonly DataIssue[];
}

/** After the close: the day's snapshots checked for gaps, stale, crossed and outlying data; any issue is alerted once. */
export const validateDataQuality: Workflow = async (ctx, job) => {
  const day = exchangeDate(ctx.clock.now());
  const repo = new SnapshotsRepo(ctx.db);
  const symbols = Object.keys(ctx.config.strategies.underlyings);
  const options = repo.ofDay<OptionSnapshot>(day, 'option');
  const indexes = repo.ofDay<IndexSnapshot>(day, 'index');
  const issues = [...findDataIssues(options, symbols), ...findIndexIssues(indexes, ['VIX', ...symbols])];
  const counts = issues.reduce<Record<string, number>>((m, i) => ({ ...m, [i.kind]: (m[i.kind] ?? 0) + 1 }), {});
  const text = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ');
  const report: DataQualityReport = { trading_date: day, checked: options.length + indexes.length, checked_by_kind: { option: options.length, index: indexes.length }, issues };
  // A dry run sends nothing, alerts included: the report is in `data`.
  if (issues.length > 0 && !job.dry_run) {
    await ctx.alerts.raise({ severity: 'warning', kind: 'data_quality', message: `data quality ${day}: ${text}; 'thetadesk enqueue validate_data_quality --dry-run --json' lists each issue` });
  }
  const seen = `${options.length} snapshots`;
  return { summary: issues.length === 0 ? `${day}: ${seen}, no issues` : `${day}: ${seen}; ${text}`, data: report };
};
