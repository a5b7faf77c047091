import { exchangeDate } from '../../../engine/shared/exchange-time';
import { nextTradingDay } from '../../../engine/shared/market-calendar';
import { demoReport } from '../../../engine/backtest/demo-report';
import { reportLines } from '../../../engine/cli/demo-format';
import { calculateDailyStatistics, type DailyStats } from '../../../engine/workflows/calculate-daily-statistics';
import { DecisionsRepo } from '../../../engine/store/decisions-repo';
import { ExecutionsRepo } from '../../../engine/store/executions-repo';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { RollsRepo } from '../../../engine/store/rolls-repo';
import type { MonitorResult } from '../../../engine/workflows/unified-monitor';
import { unifiedMonitor } from '../../../engine/workflows/unified-monitor';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';
import { openNearExpiry, withMinScore } from './roll-scenario';

// Seed 1: an 18-DTE SPY bear call on 2026-02-03; the next day its 44-DTE roll scores about 84 and passes every gate.
const OPEN_AT = '2026-02-03T15:00:00Z';
const nextDayAt = (e: TestEngine): void => e.clock.set(Date.parse(`${nextTradingDay(exchangeDate(e.clock.now()))}T15:00:00Z`));

async function monitorOnce(e: TestEngine): Promise<MonitorResult> {
  const r = await unifiedMonitor(e.ctx, jobFor('unified_monitor', e.clock));
  const rows = (r.data as { positions: MonitorResult[] }).positions;
  if (rows.length !== 1 || !rows[0]) throw new Error(`expected one position, got ${rows.length}`);
  return rows[0];
}

describe('unified_monitor on a position at the roll DTE', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  it('should roll it as one combo order: old closed, new opened at the target DTE, linked in the journal', async () => {
    e = testEngine({ at: OPEN_AT, execute: true, config: withMinScore(70) });
    const old = await openNearExpiry(e);
    nextDayAt(e);
    const row = await monitorOnce(e);
    expect(row.decision.rule).toBe('dte_manage');
    expect(row.roll).toMatchObject({ action: 'roll', mode: 'combo' });
    const positions = new PositionsRepo(e.db);
    expect(positions.get(old)?.status).toBe('closed');
    const to = row.roll?.to_position_id ?? '';
    const next = positions.get(to);
    expect(next).toMatchObject({ status: 'open', symbol: 'SPY', strategy: 'bear_call', quantity: 2 });
    expect(next?.legs.every((l) => l.expiry > (positions.get(old)?.legs[0]?.expiry ?? ''))).toBe(true);
    expect(new RollsRepo(e.db).rolledTo(old)).toEqual([expect.objectContaining({ to_position_id: to, mode: 'combo' })]);
    const [intent] = new IntentsRepo(e.db).forPosition(old);
    expect(intent).toMatchObject({ kind: 'roll', status: 'filled', quantity: 2 });
    expect(intent?.legs).toHaveLength(4);
    // The one net price splits into the old position's close and the new one's entry credit.
    const fills = new ExecutionsRepo(e.db);
    const rollFills = fills.forIntent(intent?.id ?? '');
    const avg = rollFills.reduce((a, f) => a + f.price * f.quantity, 0) / 2;
    const closePart = avg + (next?.entry_credit ?? 0);
    // The paper broker reports each leg's price: the close is the closing legs' own (BUY the short back, SELL the long).
    const legPrices = fills.legPricesFor(intent?.id ?? '', 4) ?? [];
    expect(closePart).toBeCloseTo((intent?.legs ?? []).slice(0, 2).reduce((a, l, i) => a + (l.action === 'BUY' ? 1 : -1) * (legPrices[i] ?? NaN), 0), 6);
    const fees = rollFills.reduce((a, f) => a + f.commission, 0) / 2 + fills.forIntent(positions.get(old)?.opened_by_intent ?? '').reduce((a, f) => a + f.commission, 0);
    expect(next?.entry_credit).toBeGreaterThan(0);
    expect(positions.get(old)?.realized_pnl).toBeCloseTo(((positions.get(old)?.entry_credit ?? 0) - closePart) * 100 * 2 - fees, 6);
    const roll = new DecisionsRepo(e.db).since(0).filter((d) => d.kind === 'roll');
    expect(roll).toEqual([expect.objectContaining({ subject: old, action: 'roll', rule: 'dte_manage' })]);
    // The reports count it: the demo's closing report and the day's statistics.
    const report = await demoReport(e.db, e.market, e.ctx.config, e.clock.now(), { seed: 1, days: ['2026-02-03', '2026-02-04'], starting_cash: 100_000, max_drawdown: 0 });
    expect([report.rolls, report.roll_fallbacks]).toEqual([1, 0]);
    expect(reportLines(report)).toContain('  rolls 1 (positions closed into a new one), roll decisions that fell back to a close 0');
    const day = await calculateDailyStatistics(e.ctx, jobFor('calculate_daily_statistics', e.clock));
    expect((day.data as DailyStats).rolls).toBe(1);
    expect(day.summary).toContain(', 1 rolled, 1 open with ');
    expect(roll[0]?.reason).toMatch(/^roll to SPY bear_call \d{4}-\d\d-\d\d \(\d+ DTE\) \d+C: scored [\d.]+ ≥ min_score 70, gates hold, risk allows the net change/);
  });

  it('should fall back to close when the candidate is below min_score, journaling its score', async () => {
    e = testEngine({ at: OPEN_AT, execute: true, config: withMinScore(100) });
    const old = await openNearExpiry(e);
    nextDayAt(e);
    const row = await monitorOnce(e);
    expect(row.roll?.action).toBe('close');
    expect(row.roll?.reason).toMatch(/^fallback close: roll candidate SPY bear_call .* scored [\d.]+ < min_score 100$/);
    expect(new IntentsRepo(e.db).forPosition(old).map((i) => [i.kind, i.status])).toEqual([['close', 'filled']]);
    expect(new PositionsRepo(e.db).list('open')).toEqual([]);
    expect(new RollsRepo(e.db).all()).toEqual([]);
    expect(new DecisionsRepo(e.db).since(0).filter((d) => d.kind === 'roll').map((d) => d.action)).toEqual(['close']);
    const report = await demoReport(e.db, e.market, e.ctx.config, e.clock.now(), { seed: 1, days: [], starting_cash: 100_000, max_drawdown: 0 });
    expect([report.rolls, report.roll_fallbacks]).toEqual([0, 1]);
  });

  it('should fall back to close when an entry gate refuses the new spread (already entered SPY today)', async () => {
    e = testEngine({ at: OPEN_AT, execute: true, config: withMinScore(0) });
    const old = await openNearExpiry(e);
    e.clock.advance(30 * 60_000);
    const row = await monitorOnce(e);
    expect(row.roll?.action).toBe('close');
    expect(row.roll?.reason).toContain('the entry gates refused it (gate max_entries_per_symbol_per_day failed: already entered this symbol today)');
    expect(new PositionsRepo(e.db).get(old)?.status).toBe('closed');
  });
});
