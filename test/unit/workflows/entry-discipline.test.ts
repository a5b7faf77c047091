import { exchangeDate } from '../../../engine/shared/exchange-time';
import { tradingDaysBetween } from '../../../engine/shared/market-calendar';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { legsKey } from '../../../engine/workflows/entry-journal-facts';
import { shippedConfig } from '../../helpers/config';
import { playDays } from '../../helpers/play-days';
import { testEngine, type TestEngine } from '../../helpers/workflow-context';

interface EntryRow {
  subject: string;
  action: string;
  reason: string;
  trace_json: string;
  at: number;
}

/**
 * The shipped config trading the simulated market for six weeks (seed 1): no entry inside the
 * cool-down after a losing exit on its symbol, never two open positions with the same legs, at most
 * one entry per symbol a day, no entry with a negative expected return, and every refusal journaled.
 */
describe('when the shipped entry gates run for six weeks on the simulated market', () => {
  let e: TestEngine;
  beforeAll(async () => {
    e = testEngine({ at: '2026-01-05T14:00:00Z', execute: true, config: shippedConfig(), seed: 1 });
    await playDays(e, { from: '2026-01-05', days: 30, monitorEveryMin: 30 });
  }, 300_000);
  afterAll(() => e.close());

  const positions = () => new PositionsRepo(e.db).list();

  it('should trade: entries and exits happened (the gates are not simply closed)', () => {
    expect(positions().length).toBeGreaterThanOrEqual(5);
    expect(positions().filter((p) => p.status === 'closed').length).toBeGreaterThanOrEqual(3);
  });

  it('should enter no symbol within 2 trading days of a losing exit on it', () => {
    const all = positions();
    const violations = all.flatMap((p) =>
      all
        .filter((x) => x.symbol === p.symbol && x.status === 'closed' && (x.realized_pnl ?? 0) < 0 && (x.closed_at ?? Infinity) <= p.entry_time)
        .filter((x) => tradingDaysBetween(exchangeDate(x.closed_at ?? 0), exchangeDate(p.entry_time)) < 2)
        .map((x) => `${p.id} entered ${exchangeDate(p.entry_time)} after ${x.id} lost ${x.realized_pnl} on ${exchangeDate(x.closed_at ?? 0)}`),
    );
    expect(violations).toEqual([]);
  });

  it('should never hold two open positions with the same legs at once', () => {
    const all = positions();
    const overlaps = all.flatMap((a, i) =>
      all.slice(i + 1).filter((b) => b.symbol === a.symbol && legsKey(b.legs) === legsKey(a.legs) && b.entry_time < (a.closed_at ?? Infinity) && a.entry_time < (b.closed_at ?? Infinity)).map((b) => `${a.id} & ${b.id}`),
    );
    expect(overlaps).toEqual([]);
  });

  it('should enter each symbol at most once a day', () => {
    const perDay = new Map<string, number>();
    for (const p of positions()) perDay.set(`${p.symbol} ${exchangeDate(p.entry_time)}`, (perDay.get(`${p.symbol} ${exchangeDate(p.entry_time)}`) ?? 0) + 1);
    expect([...perDay.entries()].filter(([, n]) => n > 1)).toEqual([]);
  });

  it('should journal every entry decision with the gates it saw: entries with er_pct ≥ 0, refusals naming the gate', () => {
    const rows = e.db.prepare("SELECT subject, action, reason, trace_json, at FROM decisions WHERE kind = 'entry' ORDER BY id").all() as EntryRow[];
    const gatesOf = (r: EntryRow) => (JSON.parse(r.trace_json) as { gates: Array<{ gate: string; passed: boolean; facts: Record<string, unknown> }> }).gates;
    const entered = rows.filter((r) => r.action === 'enter');
    expect(entered.length).toBeGreaterThanOrEqual(5);
    for (const r of entered) expect(gatesOf(r).find((g) => g.gate === 'min_expected_return')?.facts.er_pct).toBeGreaterThanOrEqual(0);
    for (const r of rows.filter((x) => x.action === 'skip')) {
      const failed = gatesOf(r).filter((g) => !g.passed).map((g) => g.gate);
      for (const g of failed) expect(r.reason).toContain(`gate ${g} failed`);
    }
    // The discipline gates are live: over six weeks at least one of them refused an entry.
    const discipline = rows.filter((r) => /gate (loss_cooldown|no_duplicate_position|max_entries_per_symbol_per_day|min_expected_return) failed/.test(r.reason));
    expect(discipline.length).toBeGreaterThanOrEqual(1);
  });
});
