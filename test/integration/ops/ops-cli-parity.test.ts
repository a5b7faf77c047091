import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMarketData } from '../../../engine/cli/market-factory';
import { listDecisions } from '../../../engine/ops/decisions';
import { halt, haltState, resume } from '../../../engine/ops/halt';
import { listOrders, withWalks } from '../../../engine/ops/orders';
import { paperHoldings } from '../../../engine/ops/broker-holdings';
import { listPositions, positionsReport } from '../../../engine/ops/positions';
import { journalStatus, queueStatus, statusReport } from '../../../engine/ops/status';
import { closeRedis, connectRedis } from '../../../engine/queue/redis-connection';
import { removeQueues } from '../../../engine/queue/remove-queues';
import { ManualClock } from '../../../engine/shared/clock';
import { openJournal } from '../../../engine/store/journal';
import { OperatorActionsRepo } from '../../../engine/store/operator-actions-repo';
import { run } from '../../helpers/cli';
import { shippedConfig } from '../../helpers/config';
import { twoDayDemo, type DemoFixture } from '../../helpers/demo-fixture';

/** JSON as the CLI printed it: what ops returns, serialised the same way (NaN → null, undefined dropped). */
const asPrinted = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('engine/ops, the layer the CLI and the dashboard share', () => {
  let demo: DemoFixture;
  beforeAll(async () => {
    demo = await twoDayDemo();
  }, 120_000);
  afterAll(() => demo?.remove());

  const cli = async (args: string[]): Promise<unknown> => {
    const r = await run(args, { timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`thetadesk ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };

  it('should return exactly what `thetadesk positions --json` prints', async () => {
    const printed = await cli(['positions', '--journal', demo.journal, '--paper-state', demo.paperState, '--at', demo.at, '--json']);
    const clock = new ManualClock(Date.parse(demo.at));
    const config = shippedConfig();
    const md = createMarketData('sim', { clock, seed: 1, symbols: Object.keys(config.strategies.underlyings), ib: {} });
    const db = openJournal(demo.journal);
    try {
      const views = await listPositions(db, md, config, clock.now());
      expect(views.length).toBeGreaterThan(0);
      const held = await paperHoldings(demo.paperState, md, clock, 1);
      expect(asPrinted(positionsReport(views, 'paper', held))).toEqual(printed);
    } finally {
      db.close();
    }
  }, 60_000);

  it('should return exactly what `thetadesk orders --json` and `journal decisions --json` print', async () => {
    const orders = await cli(['orders', '--journal', demo.journal, '--json']);
    const decisions = await cli(['journal', 'decisions', '--journal', demo.journal, '--since', '2026-01-14', '--json']);
    const db = openJournal(demo.journal);
    try {
      const rows = listOrders(db);
      expect(asPrinted(rows)).toEqual(orders);
      expect(asPrinted(listDecisions(db, { sinceMs: Date.parse('2026-01-14T05:00:00Z') }))).toEqual(decisions);
      // The walk of a filled order: its first limit and each step, then the fill at the last price.
      const filled = withWalks(db, rows).find((o) => o.status === 'filled');
      expect(filled?.walk[0]?.event).toBe('sent');
      expect(filled?.fills.length).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  }, 60_000);

  it('should filter decisions by symbol, rule and action', () => {
    const db = openJournal(demo.journal);
    try {
      const closes = listDecisions(db, { kind: 'exit', action: 'close' });
      expect(closes.length).toBeGreaterThan(0);
      expect(closes.every((d) => d.action === 'close' && d.rule !== null)).toBe(true);
      const rule = closes[0]?.rule ?? '';
      expect(listDecisions(db, { rule }).every((d) => d.rule === rule)).toBe(true);
      const spy = listDecisions(db, { symbol: 'SPY' });
      expect(spy.length).toBeGreaterThan(0);
      expect(spy.every((d) => d.subject.includes('SPY'))).toBe(true);
      expect(listDecisions(db, { symbol: 'NOPE' })).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('should return what `thetadesk status --json` prints', async () => {
    const prefix = `td-ops-status-${process.pid}`;
    const printed = await cli(['status', '--journal', demo.journal, '--prefix', prefix, '--json']);
    const redis = await connectRedis();
    const db = openJournal(demo.journal);
    try {
      const config = shippedConfig();
      const report = statusReport(prefix, config, await queueStatus(redis, prefix), { file: demo.journal, ...journalStatus(db, config, Date.now()) });
      expect(asPrinted(report)).toEqual(printed);
    } finally {
      db.close();
      await removeQueues(redis, prefix);
      closeRedis(redis);
    }
  }, 60_000);

  it("should return the journal part of `thetadesk status --json`, and journal every halt and resume with its origin", async () => {
    const copy = path.join(demo.dir, 'halt-copy.db');
    fs.copyFileSync(demo.journal, copy);
    const printed = (await cli(['halt', '--journal', copy, '--reason', 'parity', '--json'])) as { halted: boolean; reason: string };
    expect(printed).toMatchObject({ halted: true, reason: 'parity' });
    const db = openJournal(copy);
    try {
      expect(asPrinted(haltState(db))).toEqual(printed);
      expect(new OperatorActionsRepo(db).latest(1)[0]).toMatchObject({ action: 'halt', origin: 'cli', detail: { reason: 'parity' } });
      const st = journalStatus(db, shippedConfig(), Date.now());
      expect(st.halted.halted).toBe(true);
      expect(st.runs.length).toBeGreaterThan(0);
      resume(db, 'dashboard 127.0.0.1', Date.now());
      expect(haltState(db).halted).toBe(false);
      halt(db, 'again', 'dashboard 127.0.0.1', Date.now());
      expect(new OperatorActionsRepo(db).latest(3).map((a) => `${a.action} ${a.origin}`)).toEqual(['halt dashboard 127.0.0.1', 'resume dashboard 127.0.0.1', 'halt cli']);
    } finally {
      db.close();
    }
  }, 60_000);
});
