import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { lintConfig } from '../../../engine/config/load-config';
import { configDirWith, configWith, replaceOnce, REPO_ROOT, shippedConfig } from '../../helpers/config';

describe('the shipped configuration', () => {
  it('should lint clean', () => {
    const r = lintConfig(REPO_ROOT);
    expect(r.problems).toEqual([]);
    expect(r.config).not.toBeNull();
  });

  it.each([
    ['strategies.yaml', 'engine/config/schemas/strategies.schema.json'],
    ['schedules.yaml', 'engine/config/schemas/schedules.schema.json'],
    ['rules/exit.yaml', '../engine/config/schemas/exit-rules.schema.json'],
    ['rules/entry.yaml', '../engine/config/schemas/entry-gates.schema.json'],
  ])('%s should name %s for the editor and validate against it directly', (file, schemaRef) => {
    const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${schemaRef}`);
    const schemaPath = path.resolve(path.dirname(path.join(REPO_ROOT, file)), schemaRef);
    const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(parse(text))).toBe(true);
    expect(validate.errors ?? null).toBeNull();
  });

  it('should hold DESIGN.md defaults in canonical units', () => {
    const c = shippedConfig();
    expect(c.exit_rules.map((r) => `${r.priority}:${r.name}`)).toEqual([
      '1:catastrophe', '2:expiry_exit', '3:hard_stop', '4:accelerated_stop', '5:vix_exit', '6:short_strike_breach',
      '7:gamma_risk', '8:take_profit', '9:trailing_profit', '10:iv_crush', '11:iv_percentile_exit', '12:dte_manage',
    ]);
    expect(c.strategies.strategies.iron_condor.short_delta).toEqual({ min: 0.12, target: 0.16, max: 0.2 });
    expect(c.strategies.strategies.bull_put.per_underlying.SPY?.dte).toEqual({ min: 35, target: 45, max: 60 });
    expect(c.strategies.risk.circuit_breaker).toEqual({ failures: 5, window_ms: 60_000, cooldown_ms: 300_000, half_open_successes: 3 });
    const exec = c.schedules.tasks.find((t) => t.name === 'execute_strategies');
    expect(exec?.after).toEqual({ task: 'strategy_analysis', delay_ms: 900_000 });
    const mon = c.schedules.tasks.find((t) => t.name === 'unified_monitor');
    expect(mon?.every).toEqual({ interval_ms: 300_000, window: { start_min: 570, end_min: 960 } });
    const sync = c.schedules.tasks.find((t) => t.name === 'sync_positions');
    expect(sync?.cron).toEqual(['0 8 * * 1-5', '15 16 * * 1-5']);
    expect(sync?.on).toEqual(['fill']);
  });

  it('should inline named conditions', () => {
    const c = configWith((f) => {
      let t = f['rules/exit.yaml'] ?? '';
      t = replaceOnce(t, 'schema_version: 1\n', 'schema_version: 1\n\nconditions:\n  short_leg_tested:\n    any:\n      - { fact: short_delta_vs_entry, operator: greaterThanInclusive, value: 1.8 }\n');
      t = replaceOnce(t, '- { fact: short_delta_vs_entry, operator: greaterThanInclusive, value: 2 }\n    decision', '- condition: short_leg_tested\n    decision');
      f['rules/exit.yaml'] = t;
    });
    const breach = c.exit_rules.find((r) => r.name === 'short_strike_breach');
    expect(JSON.stringify(breach?.conditions)).not.toContain('"condition"');
    expect(JSON.stringify(breach?.conditions)).toContain('"value":1.8');
  });

  it('should be deeply frozen', () => {
    const c = shippedConfig();
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.strategies.scoring.weights)).toBe(true);
    expect(Object.isFrozen(c.exit_rules[0]?.conditions)).toBe(true);
  });

  describe('when hashing', () => {
    it('should give the same hash for the same content, whatever the comments', () => {
      const a = shippedConfig().hash;
      const b = configWith((f) => {
        f['strategies.yaml'] = `# a comment\n${f['strategies.yaml'] ?? ''}`.replace('# a comment\n# yaml', '# yaml');
        f['strategies.yaml'] = `${f['strategies.yaml'] ?? ''}\n# trailing comment\n`;
      }).hash;
      expect(b).toBe(a);
      expect(a).toMatch(/^[0-9a-f]{64}$/);
    });

    it('should change when a threshold changes', () => {
      const changed = configWith((f) => {
        f['rules/exit.yaml'] = replaceOnce(f['rules/exit.yaml'] ?? '', 'operator: greaterThanInclusive, value: 50 }\n    decision: { action: close, urgency: normal', 'operator: greaterThanInclusive, value: 60 }\n    decision: { action: close, urgency: normal');
      });
      expect(changed.hash).not.toBe(shippedConfig().hash);
    });
  });

  it('should keep a copy of the YAML sources for the journal', () => {
    const dir = configDirWith();
    const r = lintConfig(dir);
    expect(r.config?.sources.map((s) => s.file)).toEqual(['strategies.yaml', 'rules/exit.yaml', 'rules/entry.yaml', 'schedules.yaml']);
  });
});
