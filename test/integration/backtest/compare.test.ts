import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configDirWith, replaceOnce } from '../../helpers/config';
import { run } from '../../helpers/cli';

interface Trade { position_id: string; symbol: string; exit_rule: string | null; exit_time: string | null; entry_time: string; status: string }
interface Diff { date: string; position: string; symbol: string; kind: 'exit' | 'entry'; a: string; b: string; rule_a: string | null; rule_b: string | null }
interface Doc {
  trades: Trade[];
  compare: { config_dir: string; diff: Diff[]; by_change: Array<{ change: string; positions: number; pnl_diff: number }>; trades?: never; entries_only_b: number };
}

describe('when --compare plays the shipped config against a copy with take_profit at 70 instead of 50', () => {
  const dir = configDirWith((f) => {
    const rule = (pct: number): string => `- { fact: profit_pct, operator: greaterThanInclusive, value: ${pct} }\n    decision: { action: close, urgency: normal, reason: "take profit: ${pct}% of the credit kept" }`;
    f['rules/exit.yaml'] = replaceOnce(f['rules/exit.yaml'] as string, rule(50), rule(70));
  });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-compare-out-'));
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('should differ exactly on the positions take_profit closed in A, and on entries only where B still held that symbol', async () => {
    const r = await run(['backtest', '--from', '2026-01-13', '--to', '2026-01-23', '--seed', '1', '--compare', dir, '--out', out, '--json'], { timeoutMs: 240_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    const c = doc.compare;
    expect(c.config_dir).toBe(dir);
    const exits = c.diff.filter((d) => d.kind === 'exit');
    expect(exits.length).toBeGreaterThanOrEqual(3);
    // Every exit that differed was a take_profit in A, and B (needing 70%) closed it later or not at all.
    for (const d of exits) {
      expect(d.rule_a).toBe('take_profit');
      const a = doc.trades.find((t) => t.position_id === d.position) as Trade;
      expect(d.b === 'held (open at the end)' || d.b.slice(-10) > (a.exit_time as string).slice(0, 10) || d.rule_b !== 'take_profit').toBe(true);
    }
    // …and every take_profit exit of A differs in B: none of them had reached 70% yet.
    const tookProfit = doc.trades.filter((t) => t.exit_rule === 'take_profit').map((t) => t.position_id).sort();
    expect(exits.map((d) => d.position).sort()).toEqual(tookProfit);
    // B never entered anything A did not; an entry only A took is on a symbol where B still held a position A had closed.
    expect(c.entries_only_b).toBe(0);
    for (const d of c.diff.filter((x) => x.kind === 'entry')) {
      expect(d.a).toBe('entered');
      expect(exits.some((e) => e.symbol === d.symbol && e.date <= d.date)).toBe(true);
    }
    expect(c.by_change.map((g) => g.change).every((ch) => ch.startsWith('take_profit →') || ch === '(entered) → (not entered)')).toBe(true);
    // report.json carries B's curve beside A's (report.html draws both) and the HTML lists every diff row.
    const written = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as { equity: Array<{ date: string }>; compare: { equity: Array<{ date: string }> } };
    expect(written.compare.equity.map((e) => e.date)).toEqual(written.equity.map((e) => e.date));
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html.match(/<table id="diff-table">.*?<\/table>/s)?.[0].match(/<tr>/g)).toHaveLength(c.diff.length + 1);
  }, 300_000);
});
