import type { Queue } from 'bullmq';
import type { CompiledConfig } from '../config/types';
import type { MarketData } from '../market/market-data';
import type { Clock } from '../shared/clock';
import { addDays, exchangeDate, exchangeInstant } from '../shared/exchange-time';
import { PositionsRepo } from '../store/positions-repo';
import type { StrategyPositionRecord } from '../model/position';
import type { Db } from '../store/journal';
import { OperatorActionsRepo } from '../store/operator-actions-repo';
import type { PositionView } from '../workflows/position-facts-gather';
import { backtestFile, listBacktests, type BacktestReport } from './backtests';
import { candidatesOn, type DayCandidates } from './candidates';
import { listDecisions, type DecisionsFilter } from './decisions';
import { dryRunTask, enqueueTask, resolveTask, type TaskEngine } from './enqueue';
import { halt, resume } from './halt';
import { listOrders, withWalks, type OrderDetail, type OrdersFilter } from './orders';
import { overview, type Overview } from './overview';
import { lastDecision, pnlSeries, type ExplainedDecision, type PnlPoint } from './position-detail';
import { listPositions } from './positions';
import { journalVersion, queuesFingerprint } from './queues';
import type { HaltState } from '../risk/kill-switch';
import type { DecisionRecord } from '../store/decisions-repo';

export type { StrategyPositionRecord };
export type { BacktestReport, DayCandidates, DecisionRecord, DecisionsFilter, ExplainedDecision, HaltState, OrderDetail, OrdersFilter, Overview, PnlPoint, PositionView };

export interface AccountInfo {
  readonly live: boolean;
  readonly label: string;
  readonly summary: unknown;
}

export interface OperationsDeps {
  /** The journal, opened once for the life of the server (WAL: readers never block the engine). */
  readonly db: Db;
  readonly config: CompiledConfig;
  readonly lint: { readonly ok: boolean; readonly problems: readonly string[] };
  /** Marks positions (the sim market at --at, or IB). */
  readonly market: MarketData;
  readonly clock: Clock;
  /** The broker account (paper state or IB), asked on each overview. */
  readonly account: () => Promise<AccountInfo>;
  /** The prefix's queues (Bull Board and live updates); null without Redis, with why. */
  readonly queues: readonly Queue[] | null;
  readonly queuesProblem: string | null;
  readonly backtestsDir: string;
  /** An engine for dry runs and ad-hoc jobs, opened per action and closed after it. */
  readonly openEngine: () => Promise<{ readonly engine: TaskEngine; readonly close: () => Promise<void> }>;
}

/** A recently closed position: why (its last decision, full trace) and its P&L line. */
export interface ClosedPanel {
  readonly position: StrategyPositionRecord;
  readonly decision: ExplainedDecision | null;
  readonly pnl: PnlPoint[];
}

export interface PositionPanel {
  readonly view: PositionView;
  readonly decision: ExplainedDecision | null;
  readonly pnl: PnlPoint[];
}

/**
 * Everything the dashboard shows and does, over the same functions the CLI calls: the page and
 * `thetadesk positions/orders/journal decisions/status/halt` cannot disagree.
 */
export class Operations {
  constructor(private readonly d: OperationsDeps) {}

  get config(): CompiledConfig {
    return this.d.config;
  }

  get queues(): readonly Queue[] | null {
    return this.d.queues;
  }

  get queuesProblem(): string | null {
    return this.d.queuesProblem;
  }

  now(): number {
    return this.d.clock.now();
  }

  async positions(): Promise<PositionPanel[]> {
    const views = await listPositions(this.d.db, this.d.market, this.d.config, this.now());
    return views.map((view) => ({ view, decision: lastDecision(this.d.db, view.position.id), pnl: pnlSeries(this.d.db, view.position) }));
  }

  /** Positions closed in the last `days` calendar days (exchange dates) up to now, newest first, with the decision that closed them. */
  recentlyClosed(days = 7): ClosedPanel[] {
    const from = exchangeInstant(addDays(exchangeDate(this.now()), -days), '00:00');
    const to = this.now();
    return new PositionsRepo(this.d.db)
      .list('closed')
      .filter((p) => p.closed_at !== null && p.closed_at >= from && p.closed_at <= to)
      .reverse()
      .map((position) => ({ position, decision: lastDecision(this.d.db, position.id), pnl: pnlSeries(this.d.db, position) }));
  }

  async overview(): Promise<Overview> {
    const views = await listPositions(this.d.db, this.d.market, this.d.config, this.now());
    const unrealized = views.some((v) => v.unrealized_pnl === null) ? null : views.reduce((s, v) => s + (v.unrealized_pnl ?? 0), 0);
    let account: AccountInfo;
    try {
      account = await this.d.account();
    } catch (e) {
      account = { live: false, label: `account unavailable: ${e instanceof Error ? e.message : String(e)}`, summary: null };
    }
    return overview(this.d.db, { config: this.d.config, lint: this.d.lint, account, unrealized, nowMs: this.now() });
  }

  candidates(date: string = exchangeDate(this.now())): DayCandidates {
    return candidatesOn(this.d.db, date);
  }

  decisions(f: DecisionsFilter): DecisionRecord[] {
    return listDecisions(this.d.db, f);
  }

  orders(f: OrdersFilter): OrderDetail[] {
    return withWalks(this.d.db, listOrders(this.d.db, f));
  }

  backtests(): BacktestReport[] {
    return listBacktests(this.d.backtestsDir);
  }

  backtestFile(rel: string): string | null {
    return backtestFile(this.d.backtestsDir, rel);
  }

  halt(reason: string, origin: string): HaltState {
    return halt(this.d.db, reason, origin, Date.now());
  }

  resume(origin: string): HaltState {
    return resume(this.d.db, origin, Date.now());
  }

  /** The task's dry run (nothing sent or journaled): what the operator confirms before enqueueing. */
  async plan(task: string, params: Readonly<Record<string, unknown>>): Promise<unknown> {
    const r = resolveTask(this.d.config, task, params);
    const e = await this.d.openEngine();
    try {
      return await dryRunTask(e.engine, this.d.config, r.task, r.params, this.now());
    } finally {
      await e.close();
    }
  }

  /** Adds the ad-hoc job and journals who asked. */
  async enqueue(task: string, params: Readonly<Record<string, unknown>>, origin: string): Promise<{ job_id: string | undefined; task: string }> {
    const r = resolveTask(this.d.config, task, params);
    const e = await this.d.openEngine();
    try {
      const now = this.now();
      const out = await enqueueTask(e.engine, this.d.config, r.task, r.params, now);
      new OperatorActionsRepo(this.d.db).record({ at: Date.now(), action: 'enqueue', origin, detail: { task: r.task.name, params: r.params, job_id: out.job_id } });
      return out;
    } finally {
      await e.close();
    }
  }

  journalVersion(): string {
    return journalVersion(this.d.db);
  }

  async queuesVersion(): Promise<string> {
    return this.d.queues ? queuesFingerprint(this.d.queues) : '';
  }
}
