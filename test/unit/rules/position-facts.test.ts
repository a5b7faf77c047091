import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileExitRules } from '../../../engine/rules/compile-rules';
import { decidePosition } from '../../../engine/rules/position-decision';
import { buildPositionFacts, type LegQuote, type MarketContext, type PositionSnapshot } from '../../../engine/rules/position-facts';
import { InMemoryPositionStateStore } from '../../../engine/rules/position-state';
import { exchangeInstant } from '../../../engine/shared/exchange-time';
import { EXIT_RULES, PARTIAL_RULE } from './fixtures';
import { FileStateStore } from './file-state-store';

const ENTRY = exchangeInstant('2026-01-02', '10:00');
const NOW = exchangeInstant('2026-01-17', '11:00');

// SPY iron condor 450/455 puts, 500/505 calls, expiring 2026-02-16 (30 DTE on 2026-01-17), credit 1.60.
const CONDOR: PositionSnapshot = {
  id: 'pos-1',
  symbol: 'SPY',
  strategy: 'iron_condor',
  legs: [
    { right: 'P', strike: 450, expiry: '2026-02-16', action: 'BUY', ratio: 1 },
    { right: 'P', strike: 455, expiry: '2026-02-16', action: 'SELL', ratio: 1 },
    { right: 'C', strike: 500, expiry: '2026-02-16', action: 'SELL', ratio: 1 },
    { right: 'C', strike: 505, expiry: '2026-02-16', action: 'BUY', ratio: 1 },
  ],
  quantity: 2,
  entry_credit: 1.6,
  entry_iv: 0.2,
  entry_vix: 17,
  entry_time_ms: ENTRY,
};

const q = (mid: number, delta: number, gamma: number, iv: number): LegQuote => ({ bid: mid - 0.02, ask: mid + 0.02, mid, delta, gamma, iv });
// Cost to close at mid: 0.60 + 0.50 − 0.25 − 0.20 = 0.65 → profit (1.60 − 0.65) / 1.60 = 59.375%.
const QUOTES = [q(0.25, -0.08, 0.01, 0.22), q(0.6, -0.15, 0.02, 0.21), q(0.5, 0.14, 0.018, 0.19), q(0.2, 0.07, 0.009, 0.18)];
const MARKET: MarketContext = { spot: 478, vix: 18, iv_rank: 40, iv_percentile: 50, underlying_change_1h_pct: 0.1 };

describe('when facts are built from a position, quotes and market', () => {
  it('should compute every position fact in DESIGN.md units', () => {
    const f = buildPositionFacts(CONDOR, QUOTES, MARKET, NOW, new InMemoryPositionStateStore());
    expect(f.strategy).toBe('iron_condor');
    expect(f.dte).toBe(30);
    expect(f.days_held).toBe(15);
    expect(f.profit_pct).toBeCloseTo(59.375, 10);
    expect(f.peak_profit_pct).toBeCloseTo(59.375, 10);
    expect(f.retained_of_peak_pct).toBeCloseTo(100, 10);
    expect(f.iv_change_pct).toBeCloseTo(0, 10); // mean short IV (0.21 + 0.19) / 2 = 0.20
    expect(f.vix_change_since_entry).toBe(1);
    expect(f.short_delta_max).toBe(0.15);
    expect(f.spot_beyond_short_strike).toBe(false);
    expect(f.position_gamma_abs).toBeCloseTo(Math.abs(0.01 - 0.02 - 0.018 + 0.009), 12);
  });

  it('should put the short strikes in percent, expected moves and gamma per 1%, and each short leg against its entry delta', () => {
    const f = buildPositionFacts({ ...CONDOR, entry_deltas: [-0.07, -0.12, 0.1, 0.05] }, QUOTES, MARKET, NOW, new InMemoryPositionStateStore());
    // The 500 call is the nearer short strike: (500 − 478) / 478 = 4.60% of spot.
    expect(f.short_strike_distance_pct).toBeCloseTo(4.6025, 4);
    // Expected move to 2026-02-16 16:00 ET (30 days 5 hours): the 455 put at 21% IV is nearer in EMs.
    const years = (30 + 5 / 24) / 365;
    expect(f.short_strike_distance_em).toBeCloseTo((23 / 478) / (0.21 * Math.sqrt(years)), 6);
    expect(f.short_strike_distance_em).toBeCloseTo(0.7965, 3);
    // The 455 put's gamma 0.02 × 478 / 100: a 1% move shifts its delta by 0.0956.
    expect(f.short_gamma_1pct).toBeCloseTo(0.0956, 10);
    // Net gamma −0.019 per share × 478² / 100 × 100: short $4,341 of delta per 1% move.
    expect(f.position_gamma_usd_1pct).toBeCloseTo(-0.019 * 478 * 478, 6);
    // The call short went 0.10 → 0.14 (×1.4), the put short 0.12 → 0.15 (×1.25).
    expect(f.short_delta_vs_entry).toBeCloseTo(1.4, 10);
  });

  it('should never read more than 100% kept when far wings quote the spread below zero', () => {
    // Both puts at 0.00 × 0.02 and 0.00 × 0.01: the mids say closing pays a credit; it cannot.
    const wings = [q(0.01, -0.01, 0.001, 0.4), q(0.005, -0.01, 0.001, 0.38), q(0.005, 0.01, 0.001, 0.3), q(0.005, 0.01, 0.001, 0.3)];
    const f = buildPositionFacts(CONDOR, wings, MARKET, NOW, new InMemoryPositionStateStore());
    expect(f.profit_pct).toBe(100);
  });

  it('should leave short_delta_vs_entry null when the entry deltas are not recorded', () => {
    expect(buildPositionFacts(CONDOR, QUOTES, MARKET, NOW, new InMemoryPositionStateStore()).short_delta_vs_entry).toBeNull();
    expect(buildPositionFacts({ ...CONDOR, entry_deltas: [null, null, 0.1, null] }, QUOTES, MARKET, NOW, new InMemoryPositionStateStore()).short_delta_vs_entry).toBeNull();
  });

  it.each([
    [455, -0, true],
    [450, -(5 / 450) * 100, true],
    [505, -(5 / 505) * 100, true],
  ])('should measure spot %d through a short strike as a distance of %d%%', (spot, pct, beyond) => {
    const f = buildPositionFacts(CONDOR, QUOTES, { ...MARKET, spot }, NOW, new InMemoryPositionStateStore());
    expect(f.short_strike_distance_pct).toBeCloseTo(pct, 10);
    expect(f.short_strike_distance_em).toBeLessThanOrEqual(0);
    expect(f.spot_beyond_short_strike).toBe(beyond);
  });

  it.each([
    [455, true],
    [455.01, false],
    [500, true],
    [499.99, false],
  ])('should mark spot %d beyond a short strike: %s', (spot, beyond) => {
    const f = buildPositionFacts(CONDOR, QUOTES, { ...MARKET, spot }, NOW, new InMemoryPositionStateStore());
    expect(f.spot_beyond_short_strike).toBe(beyond);
  });

  it('should alert with data incomplete when a leg quote is missing', async () => {
    const f = buildPositionFacts(CONDOR, [QUOTES[0], undefined, QUOTES[2], QUOTES[3]], MARKET, NOW, new InMemoryPositionStateStore());
    const d = await decidePosition(compileExitRules(EXIT_RULES), f);
    expect(d.action).toBe('alert');
    expect(d.reason).toMatch(/^data incomplete: .*profit_pct/);
    expect(d.flagged).toBe(true);
  });
});

describe('when the state port restarts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'thetadesk-rules-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should keep the peak so the trailing stop still fires', async () => {
    const file = join(dir, 'state.json');
    const exits = compileExitRules(EXIT_RULES);
    // 0.64 to close → 60% profit observed before the restart.
    const high = buildPositionFacts(CONDOR, [q(0.25, -0.08, 0.01, 0.22), q(0.59, -0.15, 0.02, 0.21), q(0.5, 0.14, 0.018, 0.19), q(0.2, 0.07, 0.009, 0.18)], MARKET, NOW, new FileStateStore(file));
    expect(high.profit_pct).toBeCloseTo(60, 10);
    // After the restart: 1.28 to close → 20% profit, 33% of the 60% peak retained.
    const restarted = new FileStateStore(file);
    const low = buildPositionFacts(CONDOR, [q(0.25, -0.08, 0.01, 0.22), q(1.23, -0.15, 0.02, 0.21), q(0.5, 0.14, 0.018, 0.19), q(0.2, 0.07, 0.009, 0.18)], MARKET, NOW, restarted);
    expect(low.peak_profit_pct).toBeCloseTo(60, 10);
    expect(low.retained_of_peak_pct).toBeCloseTo(33.333, 2);
    expect((await decidePosition(exits, low)).rule).toBe('trailing_profit');
    // Without the persisted peak the same facts would hold: the v6 defect.
    const forgotten = buildPositionFacts(CONDOR, [q(0.25, -0.08, 0.01, 0.22), q(1.23, -0.15, 0.02, 0.21), q(0.5, 0.14, 0.018, 0.19), q(0.2, 0.07, 0.009, 0.18)], MARKET, NOW, new InMemoryPositionStateStore());
    expect((await decidePosition(exits, forgotten)).action).toBe('hold');
  });

  it('should fire a configured partial take-profit once', async () => {
    const exits = compileExitRules([...EXIT_RULES, PARTIAL_RULE]);
    const store = new FileStateStore(join(dir, 'state.json'));
    // 1.12 to close → 30% profit.
    const quotes = [q(0.25, -0.08, 0.01, 0.22), q(1.07, -0.15, 0.02, 0.21), q(0.5, 0.14, 0.018, 0.19), q(0.2, 0.07, 0.009, 0.18)];
    const first = await decidePosition(exits, buildPositionFacts(CONDOR, quotes, MARKET, NOW, store));
    expect(first).toMatchObject({ action: 'reduce', rule: 'partial_take_profit', params: { fraction: 0.5 } });
    store.markPartialTaken(CONDOR.id);
    const second = await decidePosition(exits, buildPositionFacts(CONDOR, quotes, MARKET, NOW, new FileStateStore(join(dir, 'state.json'))));
    expect(second.action).toBe('hold');
    expect(second.trace.find((t) => t.rule === 'partial_take_profit')?.facts.partial_taken).toBe(true);
  });
});
