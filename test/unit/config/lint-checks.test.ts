import { lintConfig } from '../../../engine/config/load-config';
import { configDirWith, replaceOnce } from '../../helpers/config';

type Files = Record<string, string>;
type Mutation = (f: Files) => void;

const edit = (file: string, from: string, to: string): Mutation => (f) => {
  f[file] = replaceOnce(f[file] ?? '', from, to);
};

interface Case {
  readonly name: string;
  readonly mutate: Mutation;
  readonly file: string;
  /** Text on the reported line of the broken file. */
  readonly lineHas: string;
  readonly code: string;
  readonly message: string;
}

const CASES: readonly Case[] = [
  {
    name: 'an unknown fact',
    mutate: edit('rules/exit.yaml', 'fact: dte, operator: lessThanInclusive, value: 1 }', 'fact: days_to_expiry, operator: lessThanInclusive, value: 1 }'),
    file: 'rules/exit.yaml',
    lineHas: 'days_to_expiry',
    code: 'E_FACT_UNKNOWN',
    message: 'unknown fact "days_to_expiry": see engine/config/facts-catalogue.ts for the facts rules can read',
  },
  {
    name: 'a delta written as 30 where 0.30 is meant',
    mutate: edit('rules/exit.yaml', '{ fact: short_delta_vs_entry, operator: greaterThanInclusive, value: 2 }', '{ fact: short_delta_max, operator: greaterThanInclusive, value: 30 }'),
    file: 'rules/exit.yaml',
    lineHas: 'value: 30 }',
    code: 'E_FACT_RANGE',
    message: 'value 30 is outside the range of fact "short_delta_max" (delta (fraction 0..1): 0..1)',
  },
  {
    name: 'a boolean compared with greaterThan',
    mutate: edit('rules/exit.yaml', 'spot_beyond_short_strike, operator: equal, value: true', 'spot_beyond_short_strike, operator: greaterThan, value: 0'),
    file: 'rules/exit.yaml',
    lineHas: 'spot_beyond_short_strike',
    code: 'E_FACT_OPERATOR',
    message: 'fact "spot_beyond_short_strike" is a boolean: compare it only with equal or notEqual',
  },
  {
    name: 'a number fact compared with a string',
    mutate: edit('rules/entry.yaml', 'iv_rank, operator: greaterThanInclusive, value: 25', 'iv_rank, operator: greaterThanInclusive, value: "25"'),
    file: 'rules/entry.yaml',
    lineHas: 'value: "25"',
    code: 'E_FACT_TYPE',
    message: 'fact "iv_rank" is a number (percent (0..100)); got "25"',
  },
  {
    name: '`in` with a single value',
    mutate: edit('rules/exit.yaml', '{ fact: spot_beyond_short_strike, operator: equal, value: true }', '{ fact: strategy, operator: in, value: bull_put }'),
    file: 'rules/exit.yaml',
    lineHas: 'operator: in, value: bull_put',
    code: 'E_FACT_OPERATOR',
    message: 'operator "in" on fact "strategy" needs a list value, e.g. [a, b]',
  },
  {
    name: 'a duplicated priority',
    mutate: edit('rules/exit.yaml', 'priority: 12', 'priority: 11'),
    file: 'rules/exit.yaml',
    lineHas: 'priority: 11',
    code: 'E_PRIORITY_DUPLICATE',
    message: 'priority 11 of rule "dte_manage" is already used by rule "iv_percentile_exit"; priorities must be unique',
  },
  {
    name: 'priorities that are not exactly 1..12',
    mutate: edit('rules/exit.yaml', 'priority: 12', 'priority: 11'),
    file: 'rules/exit.yaml',
    lineHas: 'rules:',
    code: 'E_PRIORITY_SET',
    message: 'exit rules must have priorities exactly 1..12 (found 12 rules; missing 12)',
  },
  {
    name: 'a duplicated gate name',
    mutate: edit('rules/entry.yaml', 'name: max_vix', 'name: min_iv_rank'),
    file: 'rules/entry.yaml',
    lineHas: '- name: min_iv_rank',
    code: 'E_NAME_DUPLICATE',
    message: 'gate name "min_iv_rank" is used twice; names must be unique',
  },
  {
    name: 'a reference to an undeclared condition',
    mutate: (f) => {
      let t = f['rules/exit.yaml'] ?? '';
      t = replaceOnce(t, 'schema_version: 1\n', 'schema_version: 1\n\nconditions:\n  short_leg_tested:\n    any:\n      - { fact: short_delta_vs_entry, operator: greaterThanInclusive, value: 2 }\n');
      t = replaceOnce(t, '- { fact: short_delta_vs_entry, operator: greaterThanInclusive, value: 2 }\n    decision', '- condition: short_leg_testd\n    decision');
      f['rules/exit.yaml'] = t;
    },
    file: 'rules/exit.yaml',
    lineHas: 'condition: short_leg_testd',
    code: 'E_CONDITION_REF',
    message: 'condition "short_leg_testd" is not declared under conditions: (declared: short_leg_tested)',
  },
  {
    name: 'an entry fact in an exit rule',
    mutate: edit('rules/exit.yaml', 'fact: dte, operator: lessThanInclusive, value: 1 }', 'fact: er_pct, operator: lessThanInclusive, value: 1 }'),
    file: 'rules/exit.yaml',
    lineHas: 'fact: er_pct',
    code: 'E_FACT_SCOPE',
    message: 'fact "er_pct" is an entry fact: exit rules read position facts (engine/config/facts-catalogue.ts)',
  },
  {
    name: 'a position fact in an entry gate',
    mutate: edit('rules/entry.yaml', 'iv_rank, operator: greaterThanInclusive, value: 25', 'profit_pct, operator: greaterThanInclusive, value: 25'),
    file: 'rules/entry.yaml',
    lineHas: 'fact: profit_pct',
    code: 'E_FACT_SCOPE',
    message: 'fact "profit_pct" is a position fact: entry gates read entry facts (engine/config/facts-catalogue.ts)',
  },
  {
    name: "v6's dte <= 25 roll above the gamma exit",
    mutate: (f) => {
      let t = f['rules/exit.yaml'] ?? '';
      t = replaceOnce(t, '- name: gamma_risk\n    priority: 7', '- name: gamma_risk\n    priority: 99');
      t = replaceOnce(t, '- name: dte_manage\n    priority: 12', '- name: dte_manage\n    priority: 7');
      t = replaceOnce(t, 'priority: 99', 'priority: 12');
      t = replaceOnce(t, 'value: 21 }', 'value: 25 }');
      f['rules/exit.yaml'] = t;
    },
    file: 'rules/exit.yaml',
    lineHas: '- name: gamma_risk',
    code: 'E_SHADOWED_RULE',
    message: 'rule "gamma_risk" (priority 12) can never fire: rule "dte_manage" (priority 7) fires first whenever dte < 14 (it fires on dte <= 25)',
  },
  {
    name: "v6's roll above the expiry exit",
    mutate: (f) => {
      let t = f['rules/exit.yaml'] ?? '';
      t = replaceOnce(t, '- name: expiry_exit\n    priority: 2', '- name: expiry_exit\n    priority: 99');
      t = replaceOnce(t, '- name: dte_manage\n    priority: 12', '- name: dte_manage\n    priority: 2');
      t = replaceOnce(t, 'priority: 99', 'priority: 12');
      t = replaceOnce(t, 'value: 21 }', 'value: 25 }');
      f['rules/exit.yaml'] = t;
    },
    file: 'rules/exit.yaml',
    lineHas: '- name: expiry_exit',
    code: 'E_SHADOWED_RULE',
    message: 'rule "expiry_exit" (priority 12) can never fire: rule "dte_manage" (priority 2) fires first whenever dte <= 1 (it fires on dte <= 25)',
  },
  {
    name: 'a take-profit shadowed by a looser one inside an any',
    mutate: edit('rules/exit.yaml', '- { fact: vix, operator: greaterThan, value: 35 }', '- { fact: vix, operator: greaterThan, value: 35 }\n        - { fact: profit_pct, operator: greaterThanInclusive, value: 40 }'),
    file: 'rules/exit.yaml',
    lineHas: '- name: take_profit',
    code: 'E_SHADOWED_RULE',
    message: 'rule "take_profit" (priority 8) can never fire: rule "vix_exit" (priority 5) fires first whenever profit_pct >= 50 (it fires on profit_pct >= 40)',
  },
  {
    name: 'weights that do not sum to 1',
    mutate: edit('strategies.yaml', 'iv_rank: 0.15 }', 'iv_rank: 0.20 }'),
    file: 'strategies.yaml',
    lineHas: 'weights:',
    code: 'E_WEIGHTS_SUM',
    message: 'scoring weights must sum to 1; they sum to 1.05',
  },
  {
    name: 'risk/reward break-points out of order',
    mutate: edit('strategies.yaml', 'risk_reward: { full_at: 3, zero_at: 8 }', 'risk_reward: { full_at: 8, zero_at: 3 }'),
    file: 'strategies.yaml',
    lineHas: 'risk_reward: { full_at: 8',
    code: 'E_BREAKPOINTS_ORDER',
    message: 'scoring.risk_reward.full_at (8) must be below zero_at (3): a lower rr is better',
  },
  {
    name: 'probability break-points out of order',
    mutate: edit('strategies.yaml', 'probability: { zero_at: 50, full_at: 70 }', 'probability: { zero_at: 70, full_at: 50 }'),
    file: 'strategies.yaml',
    lineHas: 'probability: { zero_at: 70',
    code: 'E_BREAKPOINTS_ORDER',
    message: 'scoring.probability.zero_at (70) must be below full_at (50)',
  },
  {
    name: 'overlapping IV-rank bands',
    mutate: edit('strategies.yaml', '- { min: 75, max: 100, score: 75 }', '- { min: 50, max: 100, score: 75 }'),
    file: 'strategies.yaml',
    lineHas: '- { min: 50, max: 100',
    code: 'E_BANDS_OVERLAP',
    message: 'iv_rank band 2 (50..100) overlaps band 1 (25..75) beyond a shared edge',
  },
  {
    name: 'a DTE target outside its window',
    mutate: edit('strategies.yaml', 'dte: { min: 35, target: 45, max: 60 }\n    short_delta: { target: 0.16', 'dte: { min: 50, target: 45, max: 60 }\n    short_delta: { target: 0.16'),
    file: 'strategies.yaml',
    lineHas: 'dte: { min: 50',
    code: 'E_DTE_RANGE',
    message: 'strategies.iron_condor.dte must satisfy min ≤ target ≤ max (got 50 / 45 / 60)',
  },
  {
    name: 'a delta target outside its range',
    mutate: edit('strategies.yaml', 'short_delta: { target: 0.16, min: 0.12, max: 0.20 }', 'short_delta: { target: 0.25, min: 0.12, max: 0.20 }'),
    file: 'strategies.yaml',
    lineHas: 'short_delta: { target: 0.25, min: 0.12',
    code: 'E_DELTA_RANGE',
    message: 'strategies.iron_condor.short_delta must satisfy min ≤ target ≤ max (got 0.12 / 0.25 / 0.2)',
  },
  {
    name: 'an invalid cron',
    mutate: edit('schedules.yaml', 'cron: "45 9 * * 1-5"', 'cron: "75 9 * * 1-5"'),
    file: 'schedules.yaml',
    lineHas: 'cron: "75 9',
    code: 'E_CRON_INVALID',
    message: 'cron "75 9 * * 1-5" of task "strategy_analysis" is invalid: Constraint error, got value 75 expected range 0-59',
  },
  {
    name: 'a misspelt time zone',
    mutate: edit('schedules.yaml', 'timezone: America/New_York', 'timezone: America/New_Yrok'),
    file: 'schedules.yaml',
    lineHas: 'timezone:',
    code: 'E_TIMEZONE',
    message: 'timezone "America/New_Yrok" is not an IANA time zone name (e.g. America/New_York)',
  },
  {
    name: 'after naming a task not in the file',
    mutate: (f) => {
      let t = f['schedules.yaml'] ?? '';
      t = replaceOnce(t, '  - name: health_check\n    cron: "0 * * * *"\n    priority: 100\n    requires: any\n    misfire_grace: 30m\n    timeout: 1m\n', '');
      t = replaceOnce(t, 'name: validate_data_quality\n    cron: "0 18 * * 1-5"', 'name: validate_data_quality\n    after: { task: health_check, delay: 1m }');
      f['schedules.yaml'] = t;
    },
    file: 'schedules.yaml',
    lineHas: 'after: { task: health_check',
    code: 'E_AFTER_UNKNOWN',
    message: 'task "validate_data_quality" runs after "health_check", which is not in this file',
  },
  {
    name: 'a dependency cycle',
    mutate: edit('schedules.yaml', '- name: strategy_analysis\n    cron: "45 9 * * 1-5"', '- name: strategy_analysis\n    after: { task: execute_strategies, delay: 1m }'),
    file: 'schedules.yaml',
    lineHas: 'after: { task: execute_strategies',
    code: 'E_DEPENDENCY_CYCLE',
    message: 'task "strategy_analysis" depends on itself through after: (strategy_analysis → execute_strategies → strategy_analysis)',
  },
  {
    name: 'two triggers of one task at the same minute',
    mutate: edit('schedules.yaml', 'cron: ["0 8 * * 1-5", "15 16 * * 1-5"]', 'cron: ["0 8 * * 1-5", "0 8 * * *"]'),
    file: 'schedules.yaml',
    lineHas: 'cron: ["0 8 * * 1-5", "0 8 * * *"]',
    code: 'E_TRIGGER_COLLISION',
    message: 'cron "0 8 * * *" of task "sync_positions" fires at the same minute as cron "0 8 * * 1-5" (2026-01-05T13:00:00.000Z)',
  },
  {
    name: 'the monitor (places orders) starting before the open',
    mutate: edit('schedules.yaml', 'window: { start: "09:30", end: "16:00" }\n    priority: 28', 'window: { start: "09:00", end: "16:00" }\n    priority: 28'),
    file: 'schedules.yaml',
    lineHas: 'window: { start: "09:00"',
    code: 'E_ORDER_TASK_WINDOW',
    message: 'task "unified_monitor" places orders but would run at 09:00; order tasks may run only 09:30–16:00 ET on trading days',
  },
  {
    name: 'execution delayed past the close',
    mutate: edit('schedules.yaml', 'delay: 15m', 'delay: 7h'),
    file: 'schedules.yaml',
    lineHas: 'after: { task: strategy_analysis, delay: 7h }',
    code: 'E_ORDER_TASK_WINDOW',
    message: 'task "execute_strategies" places orders but would run at 16:45; order tasks may run only 09:30–16:00 ET on trading days',
  },
  {
    name: 'an order task that may run on any day',
    mutate: edit('schedules.yaml', 'priority: 26\n    requires: market_open', 'priority: 26\n    requires: any'),
    file: 'schedules.yaml',
    lineHas: 'requires: any',
    code: 'E_ORDER_TASK_CALENDAR',
    message: 'task "execute_strategies" places orders: set requires: market_open (or trading_day)',
  },
  {
    name: 'a task name with no handler',
    mutate: edit('schedules.yaml', 'name: health_check', 'name: heath_check'),
    file: 'schedules.yaml',
    lineHas: 'name: heath_check',
    code: 'E_SCHEMA',
    message:
      'tasks[10].name must be one of "load_historical_data", "sync_positions", "validate_ib_connection", "strategy_analysis", "execute_strategies", "unified_monitor", "collect_option_data", "collect_futures_data", "calculate_daily_statistics", "validate_data_quality", "health_check"',
  },
  {
    name: 'a duration that does not parse',
    mutate: edit('schedules.yaml', 'misfire_grace: 2h\n    timeout: 10m', 'misfire_grace: 2 hours\n    timeout: 10m'),
    file: 'schedules.yaml',
    lineHas: 'misfire_grace: 2 hours',
    code: 'E_SCHEMA',
    message: 'tasks[9].misfire_grace is not a duration like 30s, 15m, 1h',
  },
  {
    name: 'a watchdog that checks less often than the limit it enforces',
    mutate: edit('schedules.yaml', 'check_every: 30s', 'check_every: 15m'),
    file: 'schedules.yaml',
    lineHas: 'check_every: 15m',
    code: 'E_WATCHDOG_CHECK',
    message: 'check_every 15m is not shorter than the limit it enforces (2 × 5m = 600 s): the alert would come late',
  },
  {
    name: 'a watchdog check interval that does not parse',
    mutate: edit('schedules.yaml', 'check_every: 30s', 'check_every: 0s'),
    file: 'schedules.yaml',
    lineHas: 'check_every: 0s',
    code: 'E_DURATION',
    message: 'check_every "0s" is not a duration longer than zero, like 30s',
  },
  {
    name: 'a watchdog over a disabled monitor',
    mutate: edit('schedules.yaml', 'misfire_grace: 4m\n    max_attempts: 1\n    timeout: 4m', 'misfire_grace: 4m\n    max_attempts: 1\n    timeout: 4m\n    enabled: false'),
    file: 'schedules.yaml',
    lineHas: 'watchdog:',
    code: 'E_WATCHDOG_TASK',
    message: 'the watchdog watches unified_monitor, which is missing or disabled: enable it, or set watchdog: {enabled: false}',
  },
  {
    name: 'a watchdog over a monitor without an interval',
    mutate: edit('schedules.yaml', '  - name: unified_monitor\n    every: 5m\n    window: { start: "09:30", end: "16:00" }', '  - name: unified_monitor\n    cron: "*/5 10-15 * * 1-5"'),
    file: 'schedules.yaml',
    lineHas: 'name: unified_monitor',
    code: 'E_WATCHDOG_TASK',
    message: 'the watchdog counts intervals of unified_monitor, which has no every: give it every: + window:, or set watchdog: {enabled: false}',
  },
  {
    name: 'a watchdog allowing fewer than one interval',
    mutate: edit('schedules.yaml', 'watchdog:\n  intervals: 2', 'watchdog:\n  intervals: 0.5'),
    file: 'schedules.yaml',
    lineHas: 'intervals: 0.5',
    code: 'E_SCHEMA',
    message: 'watchdog.intervals must be >= 1',
  },
  {
    name: 'an unknown key',
    mutate: edit('strategies.yaml', 'min_score: 70', 'min_score: 70\n  max_score: 100'),
    file: 'strategies.yaml',
    lineHas: 'max_score: 100',
    code: 'E_SCHEMA',
    message: 'unknown key "max_score" at scoring',
  },
  {
    name: 'a missing required key',
    mutate: edit('strategies.yaml', '  min_score: 70\n', ''),
    file: 'strategies.yaml',
    lineHas: 'scoring:',
    code: 'E_SCHEMA',
    message: 'missing required key "min_score" at scoring',
  },
  {
    name: 'an unknown operator',
    mutate: edit('rules/exit.yaml', 'fact: dte, operator: lessThanInclusive, value: 1 }', 'fact: dte, operator: lte, value: 1 }'),
    file: 'rules/exit.yaml',
    lineHas: 'operator: lte',
    code: 'E_SCHEMA',
    message: 'rules[1].conditions.all[0].operator must be one of "equal", "notEqual", "lessThan", "lessThanInclusive", "greaterThan", "greaterThanInclusive", "in", "notIn"',
  },
  {
    name: 'a duplicate key',
    mutate: edit('strategies.yaml', 'min_score: 70', 'min_score: 70\n  min_score: 75'),
    file: 'strategies.yaml',
    lineHas: 'min_score: 75',
    code: 'E_YAML_DUPLICATE_KEY',
    message: 'Map keys must be unique',
  },
];

describe('thetadesk lint checks', () => {
  describe.each(CASES)('when the config has $name', (c) => {
    it(`should report ${c.code} at the offending line with its exact message`, () => {
      let broken: Files = {};
      const dir = configDirWith((f) => {
        c.mutate(f);
        broken = { ...f };
      });
      const r = lintConfig(dir);
      expect(r.config).toBeNull();
      const p = r.problems.find((x) => x.code === c.code && x.message === c.message);
      expect({ found: p ? 'yes' : 'no', problems: r.problems.map((x) => `${x.code} ${x.message}`) }).toMatchObject({ found: 'yes' });
      const lines = (broken[c.file] ?? '').split('\n');
      expect(p?.file).toBe(c.file);
      expect(p?.severity).toBe('error');
      expect(lines[(p?.line ?? 0) - 1]).toContain(c.lineHas);
    });
  });
});
