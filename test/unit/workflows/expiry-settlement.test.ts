import { intentId, type OrderIntent } from '../../../engine/model/order-intent';
import { exchangeInstant } from '../../../engine/shared/exchange-time';
import { nextTradingDay } from '../../../engine/shared/market-calendar';
import { DecisionsRepo } from '../../../engine/store/decisions-repo';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { SnapshotsRepo } from '../../../engine/store/snapshots-repo';
import { expiryVerdicts, intrinsicCloseValue, settlementPnl } from '../../../engine/workflows/expiry-settlement';
import type { ExpiryReport } from '../../../engine/workflows/settle-expired';
import { syncPositions, type SyncReport } from '../../../engine/workflows/sync-positions';
import { unifiedMonitor, type MonitorResult } from '../../../engine/workflows/unified-monitor';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';
import { openPaperBullPut, override } from '../../helpers/workflow-stubs';

const alertsOf = (e: TestEngine, kind: string): Array<{ severity: string; message: string }> =>
  e.alerts.filter((l) => l.includes(`"alert":"${kind}"`)).map((l) => JSON.parse(l.slice(l.indexOf('{'))) as { severity: string; message: string });

/** A bear call 8 points above spot on the same expiry as openPaperBullPut's: on seed 1 SPY ends above both strikes. */
async function openBearCall(e: TestEngine, quantity: number): Promise<{ position_id: string; expiry: string; short: number; long: number }> {
  const chain = await e.ctx.market.chain('SPY', { dte_min: 20, dte_max: 60 });
  const exp = [...chain.expiries].sort((a, b) => a.dte - b.dte)[0];
  const short = exp?.strikes.find((k) => k >= chain.spot + 8);
  if (!exp || short === undefined || !exp.strikes.includes(short + 5)) throw new Error('expected listed SPY calls 8 and 13 points above spot');
  const id = intentId({ task: 'test', trading_date: '2026-03-02', symbol: 'SPY', strategy: 'bear_call', subject: `${exp.expiry}-${short}` });
  const leg = (strike: number, action: 'SELL' | 'BUY') => ({ symbol: 'SPY', expiry: exp.expiry, right: 'C' as const, strike, ratio: 1, action, con_id: null });
  const intent: OrderIntent = { id, kind: 'open', position_id: `pos-${id}`, symbol: 'SPY', strategy: 'bear_call', legs: [leg(short, 'SELL'), leg(short + 5, 'BUY')], quantity, urgency: 'normal', width: 5, context: { entry_iv: 0.2, entry_vix: 18 }, config_hash: e.ctx.config.hash };
  await e.ctx.submit(intent);
  if (e.outcomes[e.outcomes.length - 1]?.status !== 'filled') throw new Error(`expected the paper open to fill: ${JSON.stringify(e.outcomes[e.outcomes.length - 1])}`);
  return { position_id: `pos-${id}`, expiry: exp.expiry, short, long: short + 5 };
}

describe('a position held through expiry', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  it('should be closed by the next sync_positions at the intrinsic value the paper broker settled at, with one alert', async () => {
    e = testEngine({ execute: true });
    const before = (await e.broker.accountSummary()).realized_pnl;
    const p = await openPaperBullPut(e, 2);
    // The demo's tick before the 16:15 sync: the paper broker settles the expired legs in cash.
    e.clock.set(exchangeInstant(p.expiry, '16:15'));
    const atSettle = (await e.broker.accountSummary()).realized_pnl;
    await e.broker.processAt(e.clock.now());
    expect(await e.broker.positions()).toEqual([]);
    const after = (await e.broker.accountSummary()).realized_pnl;

    const r = await syncPositions(e.ctx, jobFor('sync_positions', e.clock));
    const d = r.data as SyncReport;
    const pos = new PositionsRepo(e.db).get(p.position_id);
    expect(pos).toMatchObject({ status: 'closed', closed_at: e.clock.now() });
    // The position's round trip (opening fees included) is the paper account's realized change over its life…
    expect(pos?.realized_pnl).toBeCloseTo(after - before, 6);
    // …and its settlement part, the account's realized change at settlement.
    const spot = await e.market.spot('SPY');
    const value = intrinsicCloseValue(pos?.legs ?? [], spot);
    expect(d.expiry.settled).toEqual([expect.objectContaining({ position_id: p.position_id, quantity: 2, spot, intrinsic: value })]);
    expect((pos?.entry_credit ?? 0) * 100 * 2 - value * 100 * 2).toBeCloseTo(after - atSettle, 6);
    expect(d.mismatches).toEqual([]);
    expect(r.summary).toContain('1 expired position(s) settled at intrinsic');
    const decision = new DecisionsRepo(e.db).forSubject(p.position_id).find((x) => x.rule === 'expiry_settlement');
    expect(decision).toMatchObject({ kind: 'exit', action: 'close' });
    expect(decision?.reason).toContain(`intrinsic ${value.toFixed(2)}/share with SPY at ${spot.toFixed(2)} (spot after the ${p.expiry} close)`);
    const settled = alertsOf(e, 'expiry_settlement');
    expect(settled).toHaveLength(1);
    // On seed 1 the put spread expired out of the money: worth 0, the whole credit kept.
    expect(value).toBe(0);
    expect(settled[0]?.severity).toBe('warning');
    expect(settled[0]?.message).toContain('settled by the broker at intrinsic 0.00/share');
    expect(settled[0]?.message).not.toContain('In the money');
    expect(e.alerts).toHaveLength(1);

    // The next run finds nothing left to settle.
    e.clock.advance(60 * 60_000);
    const again = await syncPositions(e.ctx, jobFor('sync_positions', e.clock));
    expect((again.data as SyncReport).expiry.settled).toEqual([]);
    expect(e.alerts).toHaveLength(1);
  });

  it('should realize a loss beyond the credit when it expired in the money, and alert critical', async () => {
    e = testEngine({ execute: true });
    const before = (await e.broker.accountSummary()).realized_pnl;
    const p = await openBearCall(e, 2);
    e.clock.set(exchangeInstant(p.expiry, '16:15'));
    const atSettle = (await e.broker.accountSummary()).realized_pnl;
    await e.broker.processAt(e.clock.now());
    const after = (await e.broker.accountSummary()).realized_pnl;
    const spot = await e.market.spot('SPY');
    // The seed puts SPY above both strikes at expiry: the spread is worth its whole width.
    expect(spot).toBeGreaterThan(p.long);

    const r = await syncPositions(e.ctx, jobFor('sync_positions', e.clock));
    const pos = new PositionsRepo(e.db).get(p.position_id);
    const [s] = (r.data as SyncReport).expiry.settled;
    expect(s?.intrinsic).toBeCloseTo(5, 9);
    expect(pos?.status).toBe('closed');
    expect(pos?.realized_pnl).toBeCloseTo(after - before, 6);
    expect((pos?.entry_credit ?? 0) * 200 - 5 * 200).toBeCloseTo(after - atSettle, 6);
    expect(pos?.realized_pnl ?? 0).toBeLessThan(-(pos?.entry_credit ?? 0) * 200);
    const settled = alertsOf(e, 'expiry_settlement');
    expect(settled).toHaveLength(1);
    expect(settled[0]?.severity).toBe('critical');
    expect(settled[0]?.message).toContain(`In the money at expiry: ${p.short}C, ${p.long}C; where options settle in shares (IB), check the account for stock`);
  });

  it('should make the monitor send no order for it once its expiry close has passed', async () => {
    e = testEngine({ execute: true });
    const p = await openPaperBullPut(e, 1);
    // The settlement was missed (sync_positions did not run): the next morning's monitor must not
    // try to close contracts that no longer exist.
    e.clock.set(exchangeInstant(nextTradingDay(p.expiry), '10:00'));
    await e.broker.processAt(e.clock.now());
    const sent = e.submitted.length;
    const r = await unifiedMonitor(e.ctx, jobFor('unified_monitor', e.clock));
    expect(e.submitted.length).toBe(sent);
    const rows = (r.data as { positions: MonitorResult[] }).positions;
    expect(rows).toEqual([expect.objectContaining({ position_id: p.position_id, intent: null, sent: false })]);
    expect(rows[0]?.note).toContain('past its expiry close');
    expect(r.summary).toContain("1 past expiry, skipped (left to sync_positions' settlement)");
    expect(e.logs.some((l) => l.includes(`${p.position_id} SPY bull_put: skipped, past its expiry close (${p.expiry})`))).toBe(true);
  });

  it('should use the last collected spot of expiry day when it settles later, and the current spot (saying so) when there is none', async () => {
    e = testEngine({ execute: true });
    const a = await openPaperBullPut(e, 1, 'a');
    e.clock.set(exchangeInstant(nextTradingDay(a.expiry), '08:00'));
    await e.broker.processAt(e.clock.now());
    new SnapshotsRepo(e.db).add({ at: exchangeInstant(a.expiry, '15:55'), trading_date: a.expiry, kind: 'option', symbol: 'SPY', data: { spot: 512.34, expiry: null, quotes: [] } });
    const r = await syncPositions(e.ctx, jobFor('sync_positions', e.clock));
    expect((r.data as SyncReport).expiry.settled[0]).toMatchObject({ spot: 512.34, spot_source: `last collected spot on ${a.expiry} at 15:55 ET` });

    e.db.prepare('DELETE FROM market_snapshots').run();
    e.db.prepare("UPDATE strategy_positions SET status = 'open', closed_at = NULL, realized_pnl = NULL").run();
    const again = await syncPositions(e.ctx, jobFor('sync_positions', e.clock));
    expect((again.data as SyncReport).expiry.settled[0]?.spot_source).toContain(`current spot on ${nextTradingDay(a.expiry)}: the ${a.expiry} close was not available`);
  });

  it('should leave a position with an order still working to the order manager (its fills come first)', async () => {
    e = testEngine({ execute: true });
    const p = await openPaperBullPut(e, 1);
    e.clock.set(exchangeInstant(p.expiry, '16:15'));
    await e.broker.processAt(e.clock.now());
    const opener = e.db.prepare('SELECT opened_by_intent AS id FROM strategy_positions WHERE id = ?').get(p.position_id) as { id: string };
    // A state the lifecycle never moves back to: written directly to stage an intent still active.
    e.db.prepare("UPDATE order_intents SET status = 'working' WHERE id = ?").run(opener.id);
    const r = await syncPositions(e.ctx, jobFor('sync_positions', e.clock));
    expect((r.data as SyncReport).expiry).toMatchObject({ settled: [], awaiting_broker: [p.position_id] });
    expect(new PositionsRepo(e.db).get(p.position_id)?.status).toBe('open');
    expect(alertsOf(e, 'expiry_settlement')).toEqual([]);
  });

  it('should change nothing on a dry run but report what it would settle', async () => {
    e = testEngine({ execute: true });
    const p = await openPaperBullPut(e, 1);
    e.clock.set(exchangeInstant(p.expiry, '16:15'));
    await e.broker.processAt(e.clock.now());
    const r = await syncPositions(e.ctx, jobFor('sync_positions', e.clock, { dry_run: true }));
    expect((r.data as SyncReport).expiry.settled.map((s) => s.position_id)).toEqual([p.position_id]);
    expect(r.summary).toContain('would be settled');
    expect(new PositionsRepo(e.db).get(p.position_id)?.status).toBe('open');
    expect(e.alerts).toEqual([]);
  });
});

describe('a position with a leg still held at the broker past expiry', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  it('should wait on expiry evening (the broker processes expiry overnight), then stay open and alert critical once, naming the leg', async () => {
    e = testEngine({ execute: true });
    const p = await openPaperBullPut(e, 2);
    // As at IB after an assignment or a partial settlement: the short put is still on the books.
    const heldLeg = { symbol: 'SPY', expiry: p.expiry, right: 'P' as const, strike: p.short, con_id: null, quantity: -2, avg_cost: 1 };
    const ctx = { ...e.ctx, broker: override(e.broker, { positions: async () => [heldLeg] }) };

    e.clock.set(exchangeInstant(p.expiry, '16:15'));
    const evening = await syncPositions(ctx, jobFor('sync_positions', e.clock));
    expect((evening.data as SyncReport).expiry).toMatchObject({ settled: [], awaiting_broker: [p.position_id], held_past_expiry: [] });
    expect(alertsOf(e, 'expired_legs_held')).toEqual([]);

    for (const day of [nextTradingDay(p.expiry), nextTradingDay(nextTradingDay(p.expiry))]) {
      e.clock.set(exchangeInstant(day, '08:00'));
      const r = await syncPositions(ctx, jobFor('sync_positions', e.clock));
      const x: ExpiryReport = (r.data as SyncReport).expiry;
      expect(x.held_past_expiry).toEqual([{ position_id: p.position_id, legs: [`SPY ${p.expiry} ${p.short}P -2`] }]);
      expect(x.settled).toEqual([]);
    }
    expect(new PositionsRepo(e.db).get(p.position_id)).toMatchObject({ status: 'open', quantity: 2 });
    const critical = alertsOf(e, 'expired_legs_held');
    expect(critical).toHaveLength(1);
    expect(critical[0]?.severity).toBe('critical');
    expect(critical[0]?.message).toContain(`SPY ${p.expiry} ${p.short}P -2`);
    expect(alertsOf(e, 'expiry_settlement')).toEqual([]);
  });
});

describe('expiryVerdicts', () => {
  const leg = (strike: number, action: 'SELL' | 'BUY') => ({ right: 'P' as const, strike, expiry: '2026-04-17', action, ratio: 1, con_id: null });
  const pos = {
    id: 'p', opened_by_intent: 'i', symbol: 'SPY', strategy: 'bull_put' as const, quantity: 1, entry_credit: 1.5, entry_iv: null, entry_vix: null, entry_time: 0,
    peak_profit_pct: null, partial_taken: false, status: 'open' as const, closed_at: null, realized_pnl: null, legs: [leg(500, 'SELL'), leg(495, 'BUY')],
  };
  const held = (strike: number, quantity: number) => ({ symbol: 'SPY', expiry: '2026-04-17', right: 'P' as const, strike, con_id: null, quantity, avg_cost: 1 });

  it.each([
    ['should see nothing before the expiry close', '2026-04-17T15:59', [], []],
    ['should settle at the close when all legs are flat', '2026-04-17T16:00', [held(500, 0)], ['settle']],
    ['should wait for the broker on expiry evening with a leg still held', '2026-04-17T16:15', [held(500, -1)], ['awaiting_broker']],
    ['should report a leg still held the day after as held past expiry', '2026-04-20T08:00', [held(495, 1)], ['held_past_expiry']],
  ])('%s', (_name, at, broker, kinds) => {
    const [date, time] = at.split('T') as [string, string];
    expect(expiryVerdicts([pos], broker, exchangeInstant(date, time)).map((v) => v.kind)).toEqual(kinds);
  });

  it('should value a put spread at intrinsic and realize credit less that, less the opening fees', () => {
    expect(intrinsicCloseValue(pos.legs, 510)).toBe(0);
    expect(intrinsicCloseValue(pos.legs, 498)).toBe(2);
    expect(intrinsicCloseValue(pos.legs, 480)).toBe(5);
    expect(settlementPnl(1.5, 5, 2, 2.6)).toBeCloseTo(-702.6, 9);
  });
});
