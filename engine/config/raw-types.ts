/** Shapes of the YAML after schema validation (before compilation). */
export type RawCondition =
  | { all: RawCondition[] }
  | { any: RawCondition[] }
  | { not: RawCondition }
  | { condition: string }
  | { fact: string; operator: string; value: unknown };

export interface RawRule {
  name: string;
  priority: number;
  strategies?: string[];
  conditions: RawCondition;
  decision: { action: string; urgency: string; reason: string; params?: Record<string, unknown> };
}

export interface RawExitFile {
  schema_version: 1;
  conditions?: Record<string, RawCondition>;
  rules: RawRule[];
}

export interface RawGate {
  name: string;
  conditions: RawCondition;
  reason: string;
}

export interface RawEntryFile {
  schema_version: 1;
  conditions?: Record<string, RawCondition>;
  gates: RawGate[];
}

export interface RawTask {
  name: string;
  cron?: string | string[];
  every?: string;
  window?: { start: string; end: string };
  after?: { task: string; delay: string };
  on?: string[];
  priority: number;
  requires?: string;
  misfire_grace?: string;
  max_attempts?: number;
  timeout?: string;
  enabled?: boolean;
  needs_broker?: boolean;
}

export interface RawMaintenanceWindow {
  name: string;
  days?: string[];
  start: string;
  end?: string;
  duration?: string;
}

export interface RawWatchdog {
  enabled?: boolean;
  intervals?: number;
  check_every?: string;
}

export interface RawSchedules {
  schema_version: 1;
  timezone: string;
  broker_maintenance?: RawMaintenanceWindow[];
  tasks: RawTask[];
  watchdog?: RawWatchdog;
}

export interface RawRange3 {
  min: number;
  target: number;
  max: number;
}

export interface RawStrategyTemplate {
  enabled?: boolean;
  dte: RawRange3;
  short_delta: RawRange3;
  overrides?: Record<string, { dte?: RawRange3; short_delta?: RawRange3 }>;
}

export interface RawStrategies {
  schema_version: 1;
  underlyings: Record<string, { wing_width: number; strike_step: number }>;
  strategies: Record<string, RawStrategyTemplate>;
  scoring: {
    min_score: number;
    weights: Record<'risk_reward' | 'probability' | 'expected_return' | 'iv_rank', number>;
    risk_reward: { full_at: number; zero_at: number };
    probability: { zero_at: number; full_at: number };
    expected_return: { zero_at: number; full_at: number };
    iv_rank: { bands: { min: number; max: number; score: number }[]; otherwise: number };
  };
  risk: {
    max_positions_per_symbol: number;
    contracts_per_entry?: number;
    max_positions: number;
    max_portfolio_risk_pct: number;
    daily_loss_limit_pct: number;
    circuit_breaker: { failures: number; window: string; cooldown: string; half_open_successes: number };
  };
  orders: {
    tick_size: number;
    floor: { min_credit_pct_of_width: number; max_close_debit_pct_of_width: number };
    policies: Record<'normal' | 'high' | 'immediate', { start: 'mid'; step_pct: number; interval: string; steps: number; timeout: string; marketable_at_end: boolean }>;
    on_shutdown?: { open?: 'cancel' | 'leave'; close?: 'cancel' | 'leave' };
    missing_ask_on_close?: 'model' | 'last_ask' | 'refuse';
  };
  alerts: { min_severity: string; dedup_window: string; webhook?: { url_env: string; timeout?: string; retries?: number } };
  broker?: { allow_live?: boolean };
  market?: { iv_lookback_days?: number; risk_free_rate?: number; data_type?: string; allow_delayed_entries?: boolean };
}

/** Every condition node with its path, depth first; `condition:` references are not followed. */
export function walkConditions(c: RawCondition, path: readonly (string | number)[], visit: (c: RawCondition, path: readonly (string | number)[]) => void): void {
  visit(c, path);
  if ('all' in c) c.all.forEach((x, i) => walkConditions(x, [...path, 'all', i], visit));
  else if ('any' in c) c.any.forEach((x, i) => walkConditions(x, [...path, 'any', i], visit));
  else if ('not' in c) walkConditions(c.not, [...path, 'not'], visit);
}
