import { scrub } from '../alerts/alert';
import type { CompiledConfig } from '../config/types';
import { nextRuns } from '../queue/next-runs';
import { addDays, exchangeDate, exchangeInstant } from '../shared/exchange-time';
import { AlertsRepo, type AlertRecord } from '../store/alerts-repo';
import { DailyStatsRepo } from '../store/daily-stats-repo';
import type { Db } from '../store/journal';
import { OperatorActionsRepo, type OperatorAction } from '../store/operator-actions-repo';
import { PositionsRepo } from '../store/positions-repo';
import { journalStatus, type JournalStatus } from './status';

export interface ScheduleRow {
  readonly task: string;
  readonly trigger: string;
  readonly next: number | null;
  /** How the latest run ended: ok, failed, missed, skipped, deferred, refused or running. */
  readonly last_status: string | null;
  readonly last_at: number | null;
  readonly last_detail: string | null;
  readonly last_ok_at: number | null;
}

export interface Overview {
  /** PAPER or LIVE, and the account as the broker describes it (account ids redacted). */
  readonly mode: 'PAPER' | 'LIVE';
  readonly account_label: string;
  readonly account: Readonly<Record<string, unknown>> | null;
  readonly config: { readonly hash: string; readonly lint_ok: boolean; readonly problems: readonly string[] };
  readonly state: JournalStatus;
  readonly today: { readonly date: string; readonly realized_pnl: number; readonly unrealized_pnl: number | null; readonly open_positions: number };
  readonly schedule: ScheduleRow[];
  readonly alerts: AlertRecord[];
  readonly actions: OperatorAction[];
  /** Net liquidation at each day's close (calculate_daily_statistics), oldest first. */
  readonly equity: Array<{ date: string; net_liquidation: number }>;
}

export interface OverviewInput {
  readonly config: CompiledConfig;
  readonly lint: { readonly ok: boolean; readonly problems: readonly string[] };
  readonly account: { readonly live: boolean; readonly label: string; readonly summary: unknown };
  /** Sum of the open positions' unrealized P&L (null when any could not be marked). */
  readonly unrealized: number | null;
  readonly nowMs: number;
}

/** The engine at a glance: mode, config, halt and breaker, today's P&L, the schedule with each task's last run, alerts, equity. */
export function overview(db: Db, o: OverviewInput): Overview {
  const state = journalStatus(db, o.config, o.nowMs);
  const date = exchangeDate(o.nowMs);
  const positions = new PositionsRepo(db);
  const realized = positions.realizedBetween(exchangeInstant(date, '00:00'), exchangeInstant(addDays(date, 1), '00:00'));
  const last = new Map(state.runs.map((r) => [r.task, r]));
  const schedule = nextRuns(o.config.schedules, o.nowMs).map((n): ScheduleRow => {
    const r = last.get(n.task);
    return { task: n.task, trigger: n.trigger, next: n.next, last_status: r?.last.status ?? null, last_at: r?.last.started_at ?? null, last_detail: r?.last.detail ?? null, last_ok_at: r?.last_ok?.started_at ?? null };
  });
  const summary = o.account.summary === null || typeof o.account.summary !== 'object' ? null : (JSON.parse(scrub(JSON.stringify(o.account.summary))) as Record<string, unknown>);
  return {
    mode: o.account.live ? 'LIVE' : 'PAPER',
    account_label: scrub(o.account.label),
    account: summary,
    config: { hash: o.config.hash, lint_ok: o.lint.ok, problems: o.lint.problems },
    state,
    today: { date, realized_pnl: realized, unrealized_pnl: o.unrealized, open_positions: positions.list('open').length },
    schedule,
    alerts: new AlertsRepo(db).latest(10),
    actions: new OperatorActionsRepo(db).latest(10),
    equity: new DailyStatsRepo(db)
      .all<{ net_liquidation?: number }>()
      .filter((d) => typeof d.stats.net_liquidation === 'number')
      .map((d) => ({ date: d.trading_date, net_liquidation: d.stats.net_liquidation as number })),
  };
}
