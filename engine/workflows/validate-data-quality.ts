import { exchangeDate } from '../shared/exchange-time';
import { SnapshotsRepo } from '../store/snapshots-repo';
import type { OptionSnapshot } from './collect-option-data';
import { findDataIssues } from './data-quality-checks';
import type { Workflow } from './workflow-context';

/** After the close: the day's snapshots checked for gaps, stale, crossed and outlying data; any issue is alerted. */
export const validateDataQuality: Workflow = async (ctx) => {
  const day = exchangeDate(ctx.clock.now());
  const snaps = new SnapshotsRepo(ctx.db).ofDay<OptionSnapshot>(day, 'option');
  const issues = findDataIssues(snaps, Object.keys(ctx.config.strategies.underlyings));
  const counts = issues.reduce<Record<string, number>>((m, i) => ({ ...m, [i.kind]: (m[i.kind] ?? 0) + 1 }), {});
  const text = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ');
  if (issues.length > 0) await ctx.alerts.raise({ severity: 'warning', kind: 'data_quality', message: `data quality ${day}: ${text}` });
  return { summary: issues.length === 0 ? `${day}: ${snaps.length} snapshots, no issues` : `${day}: ${snaps.length} snapshots; ${text}`, data: { checked: snaps.length, issues } };
};
