import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configDirWith, replaceOnce, REPO_ROOT } from '../../helpers/config';

const BIN = path.join(REPO_ROOT, 'bin/thetadesk.js');
const AT = '2026-11-24T15:00:00Z';

function thetadesk(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'thetadesk-score-'));
function inputFile(name: string, value: unknown): string {
  const f = path.join(tmp, name);
  writeFileSync(f, typeof value === 'string' ? value : JSON.stringify(value));
  return f;
}

const EXAMPLE = {
  strategy: 'bull_put',
  iv_rank: 40,
  legs: [
    { right: 'P', strike: 500, action: 'SELL', bid: 2.6, ask: 2.7, delta: -0.3 },
    { right: 'P', strike: 495, action: 'BUY', bid: 0.95, ask: 1.05, delta: -0.22 },
  ],
};

describe('thetadesk score', () => {
  describe('when given the DESIGN.md example', () => {
    it('should print score 80.6 with components and metrics as JSON', () => {
      const r = thetadesk(['score', '--input', inputFile('ok.json', EXAMPLE), '--json']);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { score: number; components: Record<string, number>; metrics: Record<string, number> };
      expect(out.score).toBe(80.6);
      expect(Object.keys(out.components)).toEqual(['risk_reward', 'probability', 'expected_return', 'iv_rank']);
      expect(Object.keys(out.metrics)).toEqual(['credit', 'width', 'max_risk', 'rr', 'pop', 'er', 'er_pct', 'credit_to_width_pct']);
      expect(out.metrics.credit).toBe(1.65);
      expect(out.metrics.max_risk).toBe(3.35);
    });

    it('should print a readable summary without --json', () => {
      const r = thetadesk(['score', '--input', inputFile('ok2.json', EXAMPLE)]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^bull_put score 80\.6 \(meets min_score 70\)\n/);
    });
  });

  describe('when the candidate is malformed', () => {
    const legs = EXAMPLE.legs;
    it.each([
      ['a debit "bull put"', { ...EXAMPLE, legs: [{ ...legs[0], strike: 490 }, legs[1]] }, /short put \(490\) must be above the long put \(495\)/],
      ['crossed quotes', { ...EXAMPLE, legs: [{ ...legs[0], bid: 2.8, ask: 2.7 }, legs[1]] }, /crossed quote on SELL P 500/],
      ['a missing delta', { ...EXAMPLE, legs: [legs[0], { ...legs[1], delta: undefined }] }, /leg 2: missing delta/],
      ['legs of another strategy', { ...EXAMPLE, strategy: 'bear_call' }, /bear_call: legs must all be calls/],
      ['an unknown strategy', { ...EXAMPLE, strategy: 'strangle' }, /strategy must be one of iron_condor, bull_put, bear_call/],
      ['a net debit at mid', { ...EXAMPLE, legs: [legs[0], { ...legs[1], bid: 2.9, ask: 3.0 }] }, /net debit .* where a credit is expected/],
      ['broken JSON', '{"strategy": ', /is not valid JSON/],
    ])('should exit 1 naming %s', (_n, value, message) => {
      const r = thetadesk(['score', '--input', inputFile(`bad-${_n.replace(/\W+/g, '-')}.json`, value)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  });
});

describe('thetadesk analyze', () => {
  describe('when run on the simulated market', () => {
    it('should print a ranked table and a pick for SPY, QQQ and IWM', () => {
      const r = thetadesk(['analyze', '--market', 'sim', '--seed', '1', '--at', AT]);
      expect(r.code).toBe(0);
      for (const s of ['SPY', 'QQQ', 'IWM']) expect(r.stdout).toMatch(new RegExp(`^${s} \\d+\\.\\d\\d  IV`, 'm'));
      expect(r.stdout).toMatch(/strategy +expiry +dte +strikes +credit +max risk +POP +ER% +IV rank +score/);
      expect(r.stdout).toMatch(/pick: (bull_put|bear_call|iron_condor) /);
    });

    it('should print the same JSON for the same seed and time', () => {
      const a = thetadesk(['analyze', '--symbols', 'SPY', '--seed', '3', '--at', AT, '--json']);
      const b = thetadesk(['analyze', '--symbols', 'SPY', '--seed', '3', '--at', AT, '--json']);
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
      const out = JSON.parse(a.stdout) as { symbols: Array<{ symbol: string; candidates: unknown[] }> };
      expect(out.symbols.map((s) => s.symbol)).toEqual(['SPY']);
    });
  });

  describe('when nothing reaches min_score', () => {
    const dir = configDirWith((f) => {
      f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', 'min_score: 70', 'min_score: 99');
    });
    it('should say No strategies meet execution threshold', () => {
      const r = thetadesk(['analyze', '--symbols', 'IWM', '--at', AT, '--config', dir]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ {2}No strategies meet execution threshold$/m);
    });
  });

  describe('when the input is wrong', () => {
    it.each([
      [['--market', 'nyse'], /unknown --market "nyse"; choose one of: sim/],
      [['--symbols', 'TSLA'], /no underlying TSLA in strategies.yaml/],
      [['--at', 'yesterday'], /--at must be an ISO time/],
    ])('should exit 1 for %j', (args, message) => {
      const r = thetadesk(['analyze', ...args]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
    });
  });
});
