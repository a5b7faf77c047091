import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { configDirWith, replaceOnce, REPO_ROOT } from '../../helpers/config';

const BIN = path.join(REPO_ROOT, 'bin/thetadesk.js');

function thetadesk(args: string[], cwd = REPO_ROOT): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('thetadesk lint', () => {
  describe('when the shipped files are linted from the repository root', () => {
    it('should exit 0 with one summary line', () => {
      const r = thetadesk(['lint']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ok: 4 files, 12 rules, 10 gates, 11 tasks; config hash [0-9a-f]{64}\n$/);
    });
  });

  describe('when a copy has several problems', () => {
    const dir = configDirWith((f) => {
      f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', 'iv_rank: 0.15 }', 'iv_rank: 0.20 }');
      f['rules/exit.yaml'] = replaceOnce(f['rules/exit.yaml'] ?? '', '{ fact: short_delta_vs_entry, operator: greaterThanInclusive, value: 2 }', '{ fact: short_delta_max, operator: greaterThanInclusive, value: 30 }');
    });

    it('should exit 1 and print every problem as FILE:LINE:COL severity CODE message', () => {
      const r = thetadesk(['lint', '--config', dir]);
      expect(r.code).toBe(1);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^rules\/exit\.yaml:54:\d+ error E_FACT_RANGE value 30 is outside the range of fact "short_delta_max"/);
      expect(lines[1]).toBe('strategies.yaml:28:3 error E_WEIGHTS_SUM scoring weights must sum to 1; they sum to 1.05');
      expect(r.stderr).toBe('');
    });

    it('should print a JSON array with --json', () => {
      const r = thetadesk(['lint', '--config', dir, '--json']);
      expect(r.code).toBe(1);
      const problems = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
      expect(problems.map((p) => Object.keys(p).sort())).toEqual([
        ['code', 'col', 'file', 'line', 'message', 'severity'],
        ['code', 'col', 'file', 'line', 'message', 'severity'],
      ]);
      expect(problems[1]).toEqual({ file: 'strategies.yaml', line: 28, col: 3, severity: 'error', code: 'E_WEIGHTS_SUM', message: 'scoring weights must sum to 1; they sum to 1.05' });
    });
  });

  it('should exit 2 on a usage error', () => {
    expect(thetadesk(['lint', '--no-such-flag']).code).toBe(2);
    expect(thetadesk(['no-such-command']).code).toBe(2);
  });

  it('should list every command in --help', () => {
    const r = thetadesk(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['lint', 'config', 'decide']) expect(r.stdout).toContain(`  ${cmd}`);
  });
});

describe('thetadesk config show', () => {
  it('should print the compiled config with its hash and no webhook URL', () => {
    const r = spawnSync(process.execPath, [BIN, 'config', 'show', '--json'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, THETADESK_WEBHOOK_URL: 'https://hooks.example.invalid/secret-token' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('secret-token');
    const shown = JSON.parse(r.stdout) as { hash: string; strategies: { alerts: { webhook: { url: string } } } };
    expect(shown.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(shown.strategies.alerts.webhook.url).toBe('[redacted]');
  });

  it('should exit 1 naming the problems when the config is broken', () => {
    const dir = configDirWith((f) => {
      f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', 'iv_rank: 0.15 }', 'iv_rank: 0.20 }');
    });
    const r = thetadesk(['config', 'show', '--config', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('strategies.yaml:28:3 error E_WEIGHTS_SUM');
  });
});
