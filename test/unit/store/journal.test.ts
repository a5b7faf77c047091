import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { migrate, openJournal } from '../../../engine/store/journal';
import { MIGRATIONS } from '../../../engine/store/migrations';
import { SqlitePositionStateStore } from '../../../engine/store/position-state-sqlite';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { ExecutionsRepo } from '../../../engine/store/executions-repo';
import { EngineStateRepo } from '../../../engine/store/engine-state-repo';

function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-journal-')), 'journal.db');
}

// Versions are numbered by branch and may have gaps while branches are merged: the newest one counts.
const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));

const POSITION = {
  id: 'pos-1',
  opened_by_intent: 'open:2026-11-24:SPY:iron_condor:c1',
  symbol: 'SPY',
  strategy: 'iron_condor' as const,
  legs: [
    { right: 'P' as const, strike: 540, expiry: '2027-01-08', action: 'SELL' as const, ratio: 1, con_id: null },
    { right: 'P' as const, strike: 535, expiry: '2027-01-08', action: 'BUY' as const, ratio: 1, con_id: null },
  ],
  quantity: 2,
  entry_credit: 1.2,
  entry_iv: 0.16,
  entry_vix: 17.4,
  entry_time: Date.parse('2026-11-24T15:00:00Z'),
};

describe('the journal', () => {
  describe('when opened twice', () => {
    it('should migrate once, in WAL mode, and keep its data', () => {
      const file = tempFile();
      const a = openJournal(file);
      expect(a.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(a.pragma('user_version', { simple: true })).toBe(LATEST);
      new PositionsRepo(a).open(POSITION);
      a.close();
      const b = openJournal(file);
      expect(migrate(b)).toBe(LATEST);
      expect(new PositionsRepo(b).get('pos-1')?.legs).toEqual(POSITION.legs);
      b.close();
    });
  });

  it('should refuse a journal written by a newer thetadesk', () => {
    const file = tempFile();
    const db = openJournal(file);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openJournal(file)).toThrow(`journal ${file}: its schema version 999 is newer than this thetadesk knows (${LATEST}): upgrade thetadesk, never downgrade a journal`);
  });

  describe('when the engine restarts', () => {
    it('should keep the trailing peak and the partial-taken flag, and never lower the peak', () => {
      const file = tempFile();
      const db1 = openJournal(file);
      new PositionsRepo(db1).open(POSITION);
      const s1 = new SqlitePositionStateStore(db1);
      s1.observeProfit('pos-1', 30);
      s1.observeProfit('pos-1', 45);
      s1.observeProfit('pos-1', 12);
      s1.markPartialTaken('pos-1');
      db1.close();
      const s2 = new SqlitePositionStateStore(openJournal(file));
      expect(s2.get('pos-1')).toEqual({ peak_profit_pct: 45, partial_taken: true });
      expect(s2.observeProfit('pos-1', Number.NaN)).toEqual({ peak_profit_pct: 45, partial_taken: true });
      expect(s2.get('unknown')).toEqual({ peak_profit_pct: null, partial_taken: false });
    });
  });

  it('should record a position once per opening intent', () => {
    const repo = new PositionsRepo(openJournal(':memory:'));
    expect(repo.open(POSITION)).toBe(true);
    expect(repo.open({ ...POSITION, id: 'pos-2' })).toBe(false);
    expect(repo.openCountFor('SPY')).toBe(1);
    repo.close('pos-1', POSITION.entry_time + 1000, 180);
    expect(repo.list('open')).toEqual([]);
    expect(repo.get('pos-1')).toMatchObject({ status: 'closed', realized_pnl: 180 });
  });

  it('should ignore a replayed execution', () => {
    const repo = new ExecutionsRepo(openJournal(':memory:'));
    const e = { exec_id: 'x1', broker_order_id: '7', order_ref: 'i1', symbol: 'SPY', quantity: 1, price: -1.2, leg_prices: [], time: 1, commission: 2.6 };
    expect(repo.record(e, 'i1')).toBe(true);
    expect(repo.record({ ...e, quantity: 5 }, 'i1')).toBe(false);
    expect(repo.forIntent('i1')).toEqual([{ exec_id: 'x1', quantity: 1, price: -1.2, commission: 2.6, time: 1 }]);
  });

  it('should keep engine state across a reopen', () => {
    const file = tempFile();
    const db = openJournal(file);
    new EngineStateRepo(db).set('halt', { halted: true, reason: 'manual' }, 5);
    db.close();
    expect(new EngineStateRepo(openJournal(file)).get('halt')).toEqual({ halted: true, reason: 'manual' });
  });
});

describe('thetadesk journal decisions', () => {
  it('should list recorded decisions since a date, with traces in --json', () => {
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const { DecisionsRepo } = require('../../../engine/store/decisions-repo') as typeof import('../../../engine/store/decisions-repo');
    const file = tempFile();
    const db = openJournal(file);
    const repo = new DecisionsRepo(db);
    const trace = [{ rule: 'take_profit', priority: 8, fired: true, facts: { profit_pct: 55 } }];
    repo.record({ at: Date.parse('2026-11-23T15:00:00Z'), config_hash: 'h', kind: 'exit', subject: 'pos-old', action: 'hold', rule: null, reason: 'no rule matched', trace: [] });
    repo.record({ at: Date.parse('2026-11-24T15:00:00Z'), config_hash: 'h', kind: 'exit', subject: 'pos-1', action: 'close', rule: 'take_profit', reason: 'take profit', trace });
    db.close();
    const bin = path.join(__dirname, '../../../bin/thetadesk.js');
    const r = spawnSync(process.execPath, [bin, 'journal', 'decisions', '--journal', file, '--since', '2026-11-24', '--json'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const rows = JSON.parse(r.stdout) as Array<{ subject: string; rule: string; trace: unknown }>;
    expect(rows.map((x) => [x.subject, x.rule])).toEqual([['pos-1', 'take_profit']]);
    expect(rows[0]?.trace).toEqual(trace);
    const text = spawnSync(process.execPath, [bin, 'journal', 'decisions', '--journal', file], { encoding: 'utf8' });
    expect(text.stdout).toBe('2026-11-23T15:00:00.000Z  exit pos-old  hold: no rule matched\n2026-11-24T15:00:00.000Z  exit pos-1  close by take_profit: take profit\n');
  });
});

describe('config snapshots', () => {
  it('should keep the YAML of a config hash once', () => {
    const { ConfigSnapshotsRepo } = require('../../../engine/store/config-snapshots-repo') as typeof import('../../../engine/store/config-snapshots-repo');
    const { shippedConfig } = require('../../helpers/config') as typeof import('../../helpers/config');
    const repo = new ConfigSnapshotsRepo(openJournal(':memory:'));
    const c = shippedConfig();
    repo.save(c, 1);
    repo.save(c, 2);
    expect(repo.sources(c.hash)?.map((s) => s.file)).toEqual(['strategies.yaml', 'rules/exit.yaml', 'rules/entry.yaml', 'schedules.yaml']);
    expect(repo.sources(c.hash)?.[1]?.text).toContain('take_profit');
    expect(repo.sources('nope')).toBeNull();
  });
});
