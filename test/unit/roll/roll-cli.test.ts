import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { unifiedMonitor, type MonitorResult } from '../../../engine/workflows/unified-monitor';
import { run } from '../../helpers/cli';
import { REPO_ROOT } from '../../helpers/config';
import { jobFor, testEngine } from '../../helpers/workflow-context';
import { openNearExpiry, withMinScore } from './roll-scenario';

describe('thetadesk positions, orders and journal decisions after a roll', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-roll-cli-'));
  const journal = path.join(dir, 'journal.db');
  let old = '';
  let to = '';
  let rollId = '';
  const env = { ...process.env, THETADESK_JOURNAL: undefined, THETADESK_PAPER_STATE: undefined };

  beforeAll(async () => {
    const e = testEngine({ at: '2026-02-03T15:00:00Z', execute: true, config: withMinScore(70), journal });
    try {
      old = await openNearExpiry(e);
      e.clock.set(Date.parse('2026-02-04T15:00:00Z'));
      const r = await unifiedMonitor(e.ctx, jobFor('unified_monitor', e.clock));
      const row = (r.data as { positions: MonitorResult[] }).positions[0];
      to = row?.roll?.to_position_id ?? '';
      rollId = new IntentsRepo(e.db).forPosition(old)[0]?.id ?? '';
      expect(row?.roll?.action).toBe('roll');
    } finally {
      e.close();
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('should show the new position with the one it was rolled from', async () => {
    const r = await run(['positions', '--journal', journal, '--config', REPO_ROOT, '--at', '2026-02-04T16:00:00Z'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${to}  SPY bear_call`);
    expect(r.stdout).toMatch(new RegExp(`\\n  rolled_from ${old} \\(combo, 2026-02-04T\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\)\\n`));
    const json = await run(['positions', '--journal', journal, '--config', REPO_ROOT, '--at', '2026-02-04T16:00:00Z', '--json'], { cwd: dir, env });
    const views = (JSON.parse(json.stdout) as { positions: Array<{ position: { id: string }; rolled_from: { from_position_id: string } | null }> }).positions;
    expect(views.map((v) => [v.position.id, v.rolled_from?.from_position_id])).toEqual([[to, old]]);
  });

  it('should show the roll order with rolled_from and rolled_to', async () => {
    const r = await run(['orders', '--journal', journal], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`  ${rollId}  roll SPY bear_call x2 high  filled  #\\d+ filled @ -?\\d+\\.\\d\\d  rolled_from ${old} rolled_to ${to}\\n`));
    const json = JSON.parse((await run(['orders', '--journal', journal, '--json'], { cwd: dir, env })).stdout) as Array<{ intent_id: string; rolled_from: string | null; rolled_to: string | null; after_intent: string | null }>;
    expect(json.find((o) => o.intent_id === rollId)).toMatchObject({ rolled_from: old, rolled_to: to, after_intent: null });
  });

  it('should show the roll decision with its reason and the position it rolled to', async () => {
    const r = await run(['journal', 'decisions', '--journal', journal], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  exit ${old}  roll by dte_manage: DTE management: 21 days or less; roll to the 45-DTE expiry or close\n`);
    expect(r.stdout).toMatch(new RegExp(`  roll ${old}  roll by dte_manage: roll to SPY bear_call 2026-03-20 \\(44 DTE\\) 561C: scored [\\d.]+ ≥ min_score 70, gates hold, risk allows the net change, max loss \\+\\$\\d+ \\(rolled_to ${to}\\)\\n`));
  });
});
