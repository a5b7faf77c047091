import type { MarketDataType } from '../model/market-data-type';
import type { AlertsConfig, MaintenanceWindow, CompiledConfig, Condition, EntryGate, ExitRule, OrderUrgency, RuleAction, SchedulesConfig, Severity, WatchdogConfig, SourceFile, StrategiesConfig, StrategyParams, StrategyTemplate, TaskConfig, TaskName, WalkPolicy, Requirement, Operator } from './types';
import type { StrategyName, Urgency } from '../model/strategy-names';
import { ORDER_PLACING_TASKS } from './types';
import { STRATEGY_NAMES } from '../model/strategy-names';
import type { RawCondition, RawEntryFile, RawExitFile, RawMaintenanceWindow, RawSchedules, RawStrategies, RawTask } from './raw-types';
import { WEEKDAYS } from './types';
import { parseDuration, parseHhmm } from './duration';
import { canonicalJson, deepFreeze, sha256Hex } from './canonical';

// Defaults documented in the schemas' descriptions.
const DEFAULT_MISFIRE_GRACE = '5m';
const DEFAULT_TIMEOUT = '5m';
const DEFAULT_MAX_ATTEMPTS = 3;

const ms = (text: string): number => {
  const v = parseDuration(text);
  if (v === null) throw new Error(`unchecked duration ${text}`);
  return v;
};

function compileCondition(c: RawCondition, named: Record<string, RawCondition>, depth = 0): Condition {
  if (depth > 50) throw new Error('condition nesting too deep');
  if ('all' in c) return { all: c.all.map((x) => compileCondition(x, named, depth + 1)) };
  if ('any' in c) return { any: c.any.map((x) => compileCondition(x, named, depth + 1)) };
  if ('not' in c) return { not: compileCondition(c.not, named, depth + 1) };
  if ('condition' in c) {
    const target = named[c.condition];
    if (!target) throw new Error(`unchecked condition reference ${c.condition}`);
    return compileCondition(target, named, depth + 1);
  }
  return { fact: c.fact, operator: c.operator as Operator, value: c.value as Condition extends { value: infer V } ? V : never };
}

function compileStrategies(raw: RawStrategies): StrategiesConfig {
  const strategies = {} as Record<StrategyName, StrategyTemplate>;
  for (const name of STRATEGY_NAMES) {
    const t = raw.strategies[name];
    if (!t) {
      strategies[name] = { name, enabled: false, dte: { min: 35, target: 45, max: 60 }, short_delta: { min: 0.12, target: 0.16, max: 0.2 }, per_underlying: {} };
      continue;
    }
    const per: Record<string, StrategyParams> = {};
    for (const sym of Object.keys(raw.underlyings)) {
      const o = t.overrides?.[sym];
      per[sym] = { dte: { ...(o?.dte ?? t.dte) }, short_delta: { ...(o?.short_delta ?? t.short_delta) } };
    }
    strategies[name] = { name, enabled: t.enabled ?? true, dte: { ...t.dte }, short_delta: { ...t.short_delta }, per_underlying: per };
  }
  const policies = {} as Record<OrderUrgency, WalkPolicy>;
  for (const u of ['normal', 'high', 'immediate'] as const) {
    const p = raw.orders.policies[u];
    policies[u] = { start: 'mid', step_pct: p.step_pct, interval_ms: ms(p.interval), steps: p.steps, timeout_ms: ms(p.timeout), marketable_at_end: p.marketable_at_end };
  }
  const cb = raw.risk.circuit_breaker;
  const alerts: AlertsConfig = {
    min_severity: raw.alerts.min_severity as Severity,
    dedup_window_ms: ms(raw.alerts.dedup_window),
    webhook: raw.alerts.webhook
      ? { url_env: raw.alerts.webhook.url_env, timeout_ms: ms(raw.alerts.webhook.timeout ?? '5s'), retries: raw.alerts.webhook.retries ?? 3 }
      : null,
  };
  return {
    schema_version: 1,
    underlyings: Object.fromEntries(Object.entries(raw.underlyings).map(([symbol, u]) => [symbol, { symbol, wing_width: u.wing_width, strike_step: u.strike_step }])),
    strategies,
    scoring: {
      min_score: raw.scoring.min_score,
      weights: { ...raw.scoring.weights },
      risk_reward: { ...raw.scoring.risk_reward },
      probability: { ...raw.scoring.probability },
      expected_return: { ...raw.scoring.expected_return },
      iv_rank: { bands: raw.scoring.iv_rank.bands.map((b) => ({ ...b })), otherwise: raw.scoring.iv_rank.otherwise },
    },
    risk: {
      max_positions_per_symbol: raw.risk.max_positions_per_symbol,
      contracts_per_entry: raw.risk.contracts_per_entry ?? 1,
      max_positions: raw.risk.max_positions,
      max_portfolio_risk_pct: raw.risk.max_portfolio_risk_pct,
      daily_loss_limit_pct: raw.risk.daily_loss_limit_pct,
      circuit_breaker: { failures: cb.failures, window_ms: ms(cb.window), cooldown_ms: ms(cb.cooldown), half_open_successes: cb.half_open_successes },
    },
    orders: {
      policies,
      tick_size: raw.orders.tick_size,
      floor: { ...raw.orders.floor },
      on_shutdown: { open: raw.orders.on_shutdown?.open ?? 'cancel', close: raw.orders.on_shutdown?.close ?? 'leave' },
      missing_ask_on_close: raw.orders.missing_ask_on_close ?? 'model',
    },
    alerts,
    broker: { allow_live: raw.broker?.allow_live ?? false },
    market: {
      iv_lookback_days: raw.market?.iv_lookback_days ?? 252,
      risk_free_rate: raw.market?.risk_free_rate ?? 0.045,
      data_type: (raw.market?.data_type ?? 'live') as MarketDataType,
      allow_delayed_entries: raw.market?.allow_delayed_entries ?? false,
    },
  };
}

function compileExit(raw: RawExitFile): ExitRule[] {
  const named = raw.conditions ?? {};
  return raw.rules
    .map((r) => ({
      name: r.name,
      priority: r.priority,
      strategies: r.strategies ? (r.strategies as StrategyName[]) : null,
      conditions: compileCondition(r.conditions, named),
      decision: { action: r.decision.action as RuleAction, urgency: r.decision.urgency as Urgency, reason: r.decision.reason, params: { ...(r.decision.params ?? {}) } },
    }))
    .sort((a, b) => a.priority - b.priority);
}

function compileEntry(raw: RawEntryFile): EntryGate[] {
  const named = raw.conditions ?? {};
  return raw.gates.map((g) => ({ name: g.name, conditions: compileCondition(g.conditions, named), reason: g.reason }));
}

function compileTask(t: RawTask): TaskConfig {
  const placesOrders = ORDER_PLACING_TASKS.includes(t.name as TaskName);
  return {
    name: t.name as TaskName,
    cron: t.cron === undefined ? [] : Array.isArray(t.cron) ? [...t.cron] : [t.cron],
    every: t.every && t.window ? { interval_ms: ms(t.every), window: { start_min: parseHhmm(t.window.start) ?? 0, end_min: parseHhmm(t.window.end) ?? 0 } } : null,
    after: t.after ? { task: t.after.task as TaskName, delay_ms: ms(t.after.delay) } : null,
    on: t.on ? (t.on as 'fill'[]) : [],
    priority: t.priority,
    requires: (t.requires ?? 'trading_day') as Requirement,
    misfire_grace_ms: ms(t.misfire_grace ?? DEFAULT_MISFIRE_GRACE),
    max_attempts: t.max_attempts ?? (placesOrders ? 1 : DEFAULT_MAX_ATTEMPTS),
    timeout_ms: ms(t.timeout ?? DEFAULT_TIMEOUT),
    enabled: t.enabled ?? true,
    needs_broker: t.needs_broker ?? true,
  };
}

/** A window's length: `duration`, or from start to `end` (an end at or before the start is the next day). */
export function windowDurationMs(w: RawMaintenanceWindow): number | null {
  if (w.duration !== undefined) return parseDuration(w.duration);
  const s = parseHhmm(w.start);
  const e = w.end === undefined ? null : parseHhmm(w.end);
  if (s === null || e === null) return null;
  return ((e - s + 1440) % 1440 || 1440) * 60_000;
}

function compileWindow(w: RawMaintenanceWindow): MaintenanceWindow {
  return {
    name: w.name,
    days: (w.days ?? [...WEEKDAYS]).map((d) => WEEKDAYS.indexOf(d as (typeof WEEKDAYS)[number]) + 1).sort((a, b) => a - b),
    start_min: parseHhmm(w.start) ?? 0,
    duration_ms: windowDurationMs(w) ?? 0,
  };
}

export const WATCHDOG_DEFAULTS = { intervals: 2, check_every: '30s' } as const;

function compileSchedules(raw: RawSchedules): SchedulesConfig {
  const tasks = raw.tasks.map(compileTask);
  const w = raw.watchdog ?? {};
  const monitor = tasks.find((t) => t.name === 'unified_monitor' && t.enabled);
  const intervals = w.intervals ?? WATCHDOG_DEFAULTS.intervals;
  const interval = monitor?.every?.interval_ms ?? 0;
  const watchdog: WatchdogConfig = {
    enabled: (w.enabled ?? true) && monitor !== undefined,
    task: 'unified_monitor',
    intervals,
    interval_ms: interval,
    limit_ms: Math.round(intervals * interval),
    check_every_ms: ms(w.check_every ?? WATCHDOG_DEFAULTS.check_every),
  };
  return { timezone: raw.timezone, broker_maintenance: (raw.broker_maintenance ?? []).map(compileWindow), tasks, watchdog };
}

export interface RawFiles {
  readonly strategies: RawStrategies;
  readonly exit: RawExitFile;
  readonly entry: RawEntryFile;
  readonly schedules: RawSchedules;
}

/** Raw (validated, checked) YAML data → the frozen, hashed CompiledConfig. */
export function compileConfig(raw: RawFiles, dir: string, sources: readonly SourceFile[]): CompiledConfig {
  const body = {
    strategies: compileStrategies(raw.strategies),
    exit_rules: compileExit(raw.exit),
    entry_gates: compileEntry(raw.entry),
    schedules: compileSchedules(raw.schedules),
  };
  const hash = sha256Hex(canonicalJson(body));
  return deepFreeze({ hash, dir, ...body, sources: sources.map((s) => ({ ...s })) });
}
