import { CircuitBreaker } from '../../../engine/risk/circuit-breaker';
import { InMemoryEngineStateStore } from '../../../engine/risk/engine-state-store';
import { KillSwitch } from '../../../engine/risk/kill-switch';
import { checkRisk, type PortfolioSnapshot } from '../../../engine/risk/risk-manager';
import { openJournal } from '../../../engine/store/journal';
import { EngineStateRepo } from '../../../engine/store/engine-state-repo';
import { shippedConfig } from '../../helpers/config';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const risk = shippedConfig().strategies.risk;
const CB = risk.circuit_breaker; // 5 failures / 60 s, cool-down 300 s, 3 successes

describe('CircuitBreaker', () => {
  it('should open after 5 failures within 60 s, not after 5 spread wider', () => {
    const b = new CircuitBreaker(CB, new InMemoryEngineStateStore());
    for (const t of [0, 20_000, 40_000, 60_000, 80_000]) b.recordFailure(t); // never 5 inside 60 s
    expect(b.state(80_000)).toBe('closed');
    const c = new CircuitBreaker(CB, new InMemoryEngineStateStore());
    for (const t of [0, 10_000, 20_000, 30_000]) expect(c.recordFailure(t)).toBe('closed');
    expect(c.recordFailure(59_999)).toBe('open');
    expect(c.allowsOpening(60_000)).toBe(false);
  });

  describe('across a restart (a new instance on the same journal)', () => {
    it('should open, half-open after the cool-down, and close after 3 successes', () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-breaker-')), 'j.db');
      const db1 = openJournal(file);
      const b1 = new CircuitBreaker(CB, new EngineStateRepo(db1));
      for (let i = 0; i < 5; i++) b1.recordFailure(1_000 + i);
      expect(b1.state(2_000)).toBe('open');
      db1.close();
      const db2 = openJournal(file);
      const b2 = new CircuitBreaker(CB, new EngineStateRepo(db2));
      expect(b2.state(1_004 + 299_999)).toBe('open');
      expect(b2.state(1_004 + 300_000)).toBe('half_open');
      expect(b2.recordSuccess(400_000)).toBe('half_open');
      expect(b2.recordSuccess(400_001)).toBe('half_open');
      db2.close();
      const b3 = new CircuitBreaker(CB, new EngineStateRepo(openJournal(file)));
      expect(b3.state(400_002)).toBe('half_open');
      expect(b3.recordSuccess(400_002)).toBe('closed');
      expect(b3.state(400_003)).toBe('closed');
    });

    it('should open again on a failure while half-open', () => {
      const b = new CircuitBreaker(CB, new InMemoryEngineStateStore());
      for (let i = 0; i < 5; i++) b.recordFailure(i);
      expect(b.state(300_004)).toBe('half_open');
      expect(b.recordFailure(300_005)).toBe('open');
      expect(b.state(300_006)).toBe('open');
    });
  });
});

describe('KillSwitch', () => {
  it('should stay halted across a restart until resumed', () => {
    const store = new InMemoryEngineStateStore();
    new KillSwitch(store).halt('manual: earnings week', 5);
    expect(new KillSwitch(store).get()).toEqual({ halted: true, reason: 'manual: earnings week', since: 5 });
    new KillSwitch(store).resume(6);
    expect(new KillSwitch(store).get().halted).toBe(false);
  });
});

describe('checkRisk', () => {
  const calm: PortfolioSnapshot = { net_liquidation: 100_000, buying_power: 90_000, start_of_day_net_liquidation: 100_000, open_positions: { SPY: 1 }, open_max_loss: 5_000 };
  const open = { kind: 'open' as const, symbol: 'SPY', max_loss: 380 };
  const none = { halted: false, breaker_open: false };

  it.each([
    ['a calm book', calm, none, []],
    ['5 SPY positions already', { ...calm, open_positions: { SPY: 5 } }, none, ['SPY already has 5 open positions (limit 5)']],
    ['10 positions in total', { ...calm, open_positions: { SPY: 2, QQQ: 4, IWM: 4 } }, none, ['10 positions are open (limit 10)']],
    ['portfolio risk over 20%', { ...calm, open_max_loss: 19_700 }, none, ['portfolio risk would be 20.1% of net liquidation (limit 20%)']],
    ['no buying power', { ...calm, buying_power: 100 }, none, ['needs 380.00 of buying power, 100.00 available']],
    ['a 2% day loss', { ...calm, net_liquidation: 98_000 }, none, ["today's loss is 2.00% of the day's starting net liquidation (limit 2%)"]],
    ['a halt', calm, { halted: true, breaker_open: false }, ['trading is halted (thetadesk resume to lift)']],
    ['an open breaker', calm, { halted: false, breaker_open: true }, ['the circuit breaker is open after repeated failures']],
  ] as const)('should judge an entry with %s', (_name, p, flags, reasons) => {
    const v = checkRisk(open, p, risk, flags);
    expect(v.reasons).toEqual(reasons);
    expect(v.allowed).toBe(reasons.length === 0);
  });

  it('should always let a close or a reduce through, halted or not', () => {
    const bad = { ...calm, net_liquidation: 50_000, open_positions: { SPY: 9 } };
    expect(checkRisk({ kind: 'close', symbol: 'SPY', max_loss: 0 }, bad, risk, { halted: true, breaker_open: true }).allowed).toBe(true);
    expect(checkRisk({ kind: 'reduce', symbol: 'SPY', max_loss: 0 }, bad, risk, { halted: true, breaker_open: true }).allowed).toBe(true);
  });
});
