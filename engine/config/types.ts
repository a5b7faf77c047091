/**
 * The compiled configuration: what every part of the engine reads. Produced only by the loader
 * (raw YAML → Ajv → semantic checks → compile → deep freeze); nothing downstream reads raw YAML.
 * Key names mirror the YAML so a trader can find them; units are canonical: durations in ms
 * (`*_ms`), times of day as minutes after exchange midnight (`*_min`), percentages in percent,
 * deltas as fractions 0..1, prices per share in dollars.
 */

import type { StrategyName, Urgency } from '../model/strategy-names';
import type { MarketDataType } from '../model/market-data-type';

export const ACTIONS = ['close', 'reduce', 'roll', 'hold', 'alert'] as const;
export type RuleAction = (typeof ACTIONS)[number];


/** Urgencies with an order price-walk policy (a `low` decision walks like `normal`). */
export const ORDER_URGENCIES = ['normal', 'high', 'immediate'] as const;
export type OrderUrgency = (typeof ORDER_URGENCIES)[number];

export const OPERATORS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const TASK_NAMES = [
  'load_historical_data',
  'sync_positions',
  'validate_ib_connection',
  'strategy_analysis',
  'execute_strategies',
  'unified_monitor',
  'collect_option_data',
  'collect_futures_data',
  'calculate_daily_statistics',
  'validate_data_quality',
  'health_check',
] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/** Tasks that may place orders: lint confines them to 09:30–16:00 ET on trading days. */
export const ORDER_PLACING_TASKS: readonly TaskName[] = ['execute_strategies', 'unified_monitor'];

export const SEVERITIES = ['debug', 'info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

// ---------------------------------------------------------------- strategies.yaml

export interface UnderlyingConfig {
  readonly symbol: string;
  /** Wing width in points (strike distance between short and long leg). */
  readonly wing_width: number;
  /** Strike grid step in points used when picking wings. */
  readonly strike_step: number;
}

export interface Range3 {
  readonly min: number;
  readonly target: number;
  readonly max: number;
}

export interface StrategyParams {
  /** Calendar days to expiry window and target. */
  readonly dte: Range3;
  /** Absolute delta of the short leg(s), fractions 0..1. */
  readonly short_delta: Range3;
}

export interface StrategyTemplate extends StrategyParams {
  readonly name: StrategyName;
  readonly enabled: boolean;
  /** Per-underlying overrides, already merged over the template's own values. */
  readonly per_underlying: Readonly<Record<string, StrategyParams>>;
}

export interface ScoreBand {
  readonly min: number;
  readonly max: number;
  readonly score: number;
}

export interface ScoringConfig {
  readonly min_score: number;
  readonly weights: {
    readonly risk_reward: number;
    readonly probability: number;
    readonly expected_return: number;
    readonly iv_rank: number;
  };
  /** rr at or below full_at scores 100, at or above zero_at scores 0, linear between. */
  readonly risk_reward: { readonly full_at: number; readonly zero_at: number };
  /** POP (percent) at or below zero_at scores 0, at or above full_at scores 100. */
  readonly probability: { readonly zero_at: number; readonly full_at: number };
  /** er_pct (percent) at or below zero_at scores 0, at or above full_at scores 100. */
  readonly expected_return: { readonly zero_at: number; readonly full_at: number };
  /** First band containing the IV rank (edges inclusive) gives the score, else `otherwise`. */
  readonly iv_rank: { readonly bands: readonly ScoreBand[]; readonly otherwise: number };
}

export interface CircuitBreakerConfig {
  readonly failures: number;
  readonly window_ms: number;
  readonly cooldown_ms: number;
  readonly half_open_successes: number;
}

export interface RiskConfig {
  readonly max_positions_per_symbol: number;
  /** Sets of legs per entry (1 by default; a REDUCE needs 2 or more to take part of a position). */
  readonly contracts_per_entry: number;
  readonly max_positions: number;
  /** Sum of max losses of open positions as percent of net liquidation. */
  readonly max_portfolio_risk_pct: number;
  /** Realized + unrealized loss today as percent of start-of-day net liquidation. */
  readonly daily_loss_limit_pct: number;
  readonly circuit_breaker: CircuitBreakerConfig;
}

export interface WalkPolicy {
  /** Where the first limit sits: at mid. */
  readonly start: 'mid';
  /** Each step moves this percent of the mid-to-natural distance toward natural. */
  readonly step_pct: number;
  readonly interval_ms: number;
  readonly steps: number;
  /** Cancel the order (intent `unfilled`) this long after it was first sent. */
  readonly timeout_ms: number;
  /** After the last step, price at natural (marketable). Only sensible for `immediate` closes. */
  readonly marketable_at_end: boolean;
}

export interface OrdersConfig {
  readonly policies: Readonly<Record<OrderUrgency, WalkPolicy>>;
  /** Minimum price increment for combo limit prices, dollars per share. */
  readonly tick_size: number;
  readonly floor: {
    /** An opening credit is never priced below this percent of the width (the entry gate's minimum). */
    readonly min_credit_pct_of_width: number;
    /** A closing debit is never above the spread's width. */
    readonly max_close_debit_pct_of_width: number;
  };
  /** What a stop signal does to an order being walked: cancel it, or leave it resting for adoption. */
  readonly on_shutdown: { readonly open: ShutdownPolicy; readonly close: ShutdownPolicy };
  /** How a closing order prices a bought-back leg with no ask (opens never send without one). */
  readonly missing_ask_on_close: 'model' | 'last_ask' | 'refuse';
}

export type ShutdownPolicy = 'cancel' | 'leave';

export interface AlertsConfig {
  readonly min_severity: Severity;
  readonly dedup_window_ms: number;
  readonly webhook: {
    /** Name of the environment variable holding the URL; the URL itself is never in YAML. */
    readonly url_env: string;
    readonly timeout_ms: number;
    readonly retries: number;
  } | null;
}

export interface MarketSettings {
  /** Trading days of IV history for IV rank and percentile. */
  readonly iv_lookback_days: number;
  /** Annual risk-free rate as a fraction (0.045 = 4.5%). */
  readonly risk_free_rate: number;
  /** IB's market data type to ask for (reqMarketDataType). */
  readonly data_type: MarketDataType;
  /** Whether entries may be priced on delayed (or frozen) quotes; false refuses them (gate live_quotes). */
  readonly allow_delayed_entries: boolean;
}

export interface BrokerSettings {
  /** Necessary (with --live) to trade an account that is not a paper account. */
  readonly allow_live: boolean;
}

export interface StrategiesConfig {
  readonly schema_version: 1;
  readonly underlyings: Readonly<Record<string, UnderlyingConfig>>;
  readonly strategies: Readonly<Record<StrategyName, StrategyTemplate>>;
  readonly scoring: ScoringConfig;
  readonly risk: RiskConfig;
  readonly orders: OrdersConfig;
  readonly alerts: AlertsConfig;
  readonly broker: BrokerSettings;
  readonly market: MarketSettings;
}

// ---------------------------------------------------------------- rules/*.yaml

export interface FactCondition {
  readonly fact: string;
  readonly operator: Operator;
  readonly value: number | boolean | string | readonly (number | string | boolean)[];
}

/** A compiled condition tree: `condition: NAME` references are already inlined. */
export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | FactCondition;

export interface Decision {
  readonly action: RuleAction;
  readonly urgency: Urgency;
  readonly reason: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface ExitRule {
  readonly name: string;
  /** 1..12, 1 highest; unique. */
  readonly priority: number;
  /** Optional: only for these strategies (absent = all). */
  readonly strategies: readonly StrategyName[] | null;
  readonly conditions: Condition;
  readonly decision: Decision;
}

export interface EntryGate {
  readonly name: string;
  readonly conditions: Condition;
  readonly reason: string;
}

// ---------------------------------------------------------------- schedules.yaml

export const REQUIREMENTS = ['trading_day', 'market_open', 'any'] as const;
export type Requirement = (typeof REQUIREMENTS)[number];

export interface EveryTrigger {
  readonly interval_ms: number;
  /** Inclusive window in minutes after exchange midnight (09:30 → 570). */
  readonly window: { readonly start_min: number; readonly end_min: number };
}

export interface AfterTrigger {
  readonly task: TaskName;
  readonly delay_ms: number;
}

export interface TaskConfig {
  readonly name: TaskName;
  /** Cron expressions (5 fields), evaluated in the schedule's time zone. Empty when none. */
  readonly cron: readonly string[];
  readonly every: EveryTrigger | null;
  readonly after: AfterTrigger | null;
  /** Broker events that enqueue the task. */
  readonly on: readonly 'fill'[];
  /** BullMQ priority: lower runs first (1 is highest). */
  readonly priority: number;
  readonly requires: Requirement;
  readonly misfire_grace_ms: number;
  readonly max_attempts: number;
  readonly timeout_ms: number;
  readonly enabled: boolean;
  /** Inside a broker maintenance window the task waits for its end (journaled deferred). */
  readonly needs_broker: boolean;
}

/** ISO weekday numbers, 1 = Monday … 7 = Sunday. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A weekly-recurring window when the broker is down by design (IB's restarts and maintenance). */
export interface MaintenanceWindow {
  readonly name: string;
  /** ISO weekdays (1 Mon … 7 Sun) on which it starts, in the schedule's time zone. */
  readonly days: readonly number[];
  /** Start, minutes after midnight in the schedule's time zone. */
  readonly start_min: number;
  readonly duration_ms: number;
}

/**
 * The watchdog: a timer in every `run`/`worker` process, independent of Redis, raising a `critical`
 * alert when the monitor has not completed for longer than `limit_ms` during market hours.
 */
export interface WatchdogConfig {
  readonly enabled: boolean;
  /** The task it watches (the one that manages open positions). */
  readonly task: 'unified_monitor';
  /** How many of the monitor's intervals may pass without a completed run. */
  readonly intervals: number;
  /** The monitor's `every` interval, ms (0 when it has none; lint refuses that while enabled). */
  readonly interval_ms: number;
  /** intervals × interval_ms. */
  readonly limit_ms: number;
  /** How often each process checks, ms. */
  readonly check_every_ms: number;
}

export interface SchedulesConfig {
  readonly timezone: string;
  readonly broker_maintenance: readonly MaintenanceWindow[];
  readonly tasks: readonly TaskConfig[];
  readonly watchdog: WatchdogConfig;
}

// ---------------------------------------------------------------- the whole

export interface SourceFile {
  /** Path relative to the config directory, forward slashes. */
  readonly file: string;
  readonly text: string;
}

export interface CompiledConfig {
  /** SHA-256 (hex) of the canonical JSON of everything below except `sources` and `dir`. */
  readonly hash: string;
  readonly dir: string;
  readonly strategies: StrategiesConfig;
  /** Sorted by priority, 1 first. */
  readonly exit_rules: readonly ExitRule[];
  readonly entry_gates: readonly EntryGate[];
  readonly schedules: SchedulesConfig;
  /** The YAML texts the config was built from, for the journal's config snapshots. */
  readonly sources: readonly SourceFile[];
}
