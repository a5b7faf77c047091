import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../helpers/cli';
import { configDirWith, replaceOnce } from '../../helpers/config';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-replay-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const rec = path.join(dir, 'market.db');
// 2026-01-26, seed 1, QQQ: a bear call opens and take_profit closes it the same day.
const day = ['demo', '--days', '1', '--start', '2026-01-26', '--symbols', 'QQQ', '--json'];

/** What the engine decided and did, without ids that differ per run (autoincrement ids, none here but `id`). */
function journalRows(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    return {
      decisions: db.prepare('SELECT at, kind, subject, action, rule, reason, trace_json FROM decisions ORDER BY at, id').all(),
      intents: db.prepare('SELECT id, kind, position_id, symbol, strategy, quantity, legs_json, context_json, created_at, status FROM order_intents ORDER BY created_at, id').all(),
      executions: db.prepare('SELECT exec_id, intent_id, symbol, quantity, price, commission, time FROM executions ORDER BY time, exec_id').all(),
      candidates: db.prepare('SELECT symbol, rank, strategy, expiry, score, candidate_json FROM candidates ORDER BY analysis_id, symbol, rank').all(),
    };
  } finally {
    db.close();
  }
}

describe('when a demo day is recorded and replayed with the same config', () => {
  it('should make the same decisions, orders and fills from the recording, nothing modelled', async () => {
    const a = await run([...day, '--dir', path.join(dir, 'live'), '--record', rec], { timeoutMs: 120_000 });
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const b = await run([...day, '--dir', path.join(dir, 'replay'), '--market', `recorded:${rec}`], { timeoutMs: 120_000 });
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    const ra = JSON.parse(a.stdout) as Record<string, unknown>;
    const rb = JSON.parse(b.stdout) as Record<string, unknown>;
    expect(ra.trades).toBeGreaterThanOrEqual(1);
    expect(rb.market_modelled).toEqual({ quote: 0, spot: 0, vix: 0, change_1h: 0, chain: 0, iv_history: 0, no_quote: 0 });
    const strip = (r: Record<string, unknown>): Record<string, unknown> => {
      const { journal: _j, paper_state: _p, market: _m, market_modelled: _mm, recording: _r, ...rest } = r;
      return rest;
    };
    expect(strip(rb)).toEqual(strip(ra));
    const ja = journalRows(path.join(dir, 'live', 'journal.db'));
    const jb = journalRows(path.join(dir, 'replay', 'journal.db'));
    expect(ja.decisions!.length).toBeGreaterThan(10);
    expect(ja.executions!.length).toBeGreaterThanOrEqual(2);
    expect(jb).toEqual(ja);
  }, 240_000);
});

describe('when the recorded day is replayed under a changed config', () => {
  it('should decide differently where the change says, and count what it had to model', async () => {
    expect(fs.existsSync(rec)).toBe(true);
    const cfg = configDirWith((f) => {
      f['rules/exit.yaml'] = replaceOnce(f['rules/exit.yaml'] as string, '- { fact: profit_pct, operator: greaterThanInclusive, value: 50 }', '- { fact: profit_pct, operator: greaterThanInclusive, value: 90 }');
    });
    try {
      const r = await run([...day, '--dir', path.join(dir, 'changed'), '--market', `recorded:${rec}`, '--config', cfg], { timeoutMs: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const rep = JSON.parse(r.stdout) as { trades: number; market_modelled: Record<string, number> };
      // The same entry; take_profit at 90% does not close it that day.
      const live = journalRows(path.join(dir, 'live', 'journal.db'));
      const changed = journalRows(path.join(dir, 'changed', 'journal.db'));
      expect(changed.intents!.filter((i) => (i as { kind: string }).kind === 'open')).toEqual(live.intents!.filter((i) => (i as { kind: string }).kind === 'open'));
      expect(rep.trades).toBe(0);
      expect(changed.decisions!.filter((d) => (d as { rule: string | null }).rule === 'take_profit')).toEqual([]);
      // Held past the original exit: its legs were only captured every 30 minutes since, so later marks are modelled, and counted.
      expect(rep.market_modelled.quote).toBeGreaterThan(0);
    } finally {
      fs.rmSync(cfg, { recursive: true, force: true });
    }
  }, 240_000);
});
