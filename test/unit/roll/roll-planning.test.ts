import { capFor } from '../../../engine/execution/price-walk';
import { rollSplit } from '../../../engine/execution/roll-split';
import type { ComboLeg } from '../../../engine/model/leg';
import { checkRisk, type PortfolioSnapshot } from '../../../engine/risk/risk-manager';
import { rollCandidate, rollBuildParams } from '../../../engine/strategy/roll-candidate';
import { parseRollParams } from '../../../engine/config/roll-params';
import { decideRoll, rollMode, type RollInputs } from '../../../engine/workflows/roll-decision';
import { CONFIG, handChain } from '../strategy/fixtures';
import { formatProblem } from '../../../engine/config/problem';
import { lineOf, lintWith, replaceOnce } from '../../helpers/config';

const cfg = CONFIG.strategies;
const shipped = CONFIG.exit_rules.find((r) => r.name === 'dte_manage');

describe('roll params', () => {
  it('should read the shipped dte_manage params', () => {
    expect(shipped?.decision.action).toBe('roll');
    expect(parseRollParams(shipped?.decision.params ?? {})).toEqual({ ok: true, params: { target_dte: 45, min_score: 70, fallback: 'close' } });
  });

  it.each([
    [{ target_dte: 0, min_score: 70, fallback: 'close' }, 'target_dte must be a whole number of days ≥ 1 (got 0)'],
    [{ target_dte: 45, min_score: 170, fallback: 'close' }, 'min_score must be a number in 0..100 (got 170)'],
    [{ target_dte: 45, min_score: 70, fallback: 'hold' }, 'fallback must be close (got "hold")'],
    [{ target_dte: 45, min_score: 70, fallback: 'close', target: 3 }, 'unknown roll parameter target (known: target_dte, min_score, fallback)'],
  ])('should refuse %j naming the field', (params, reason) => {
    expect(parseRollParams(params)).toEqual({ ok: false, reason: `roll params in rules/exit.yaml: ${reason}`, problems: [reason] });
  });
});

describe('when thetadesk lint reads a roll rule', () => {
  const SHIPPED = 'params: { target_dte: 45, min_score: 70, fallback: close }';
  it('should refuse bad roll params at their line, one problem each', () => {
    const r = lintWith((f) => {
      f['rules/exit.yaml'] = replaceOnce(f['rules/exit.yaml'] ?? '', SHIPPED, 'params: { target_dte: 45.5, min_score: 70, fallbak: close }');
    });
    const line = lineOf('rules/exit.yaml', SHIPPED);
    expect(r.config).toBeNull();
    expect(r.problems.filter((p) => p.code === 'E_ROLL_PARAMS').map(formatProblem)).toEqual([
      `rules/exit.yaml:${line}:7 error E_ROLL_PARAMS rule "dte_manage" rolls: target_dte must be a whole number of days ≥ 1 (got 45.5)`,
      `rules/exit.yaml:${line}:7 error E_ROLL_PARAMS rule "dte_manage" rolls: fallback must be close (got undefined)`,
      `rules/exit.yaml:${line}:7 error E_ROLL_PARAMS rule "dte_manage" rolls: unknown roll parameter fallbak (known: target_dte, min_score, fallback)`,
    ]);
  });

  it('should pass the shipped rule', () => {
    expect(lintWith(() => undefined).problems.filter((p) => p.code === 'E_ROLL_PARAMS')).toEqual([]);
  });
});

describe('when the roll candidate is built', () => {
  it('should keep the template deltas and wing, move the DTE target and never reach back to the old expiry', () => {
    expect(rollBuildParams(cfg, { symbol: 'SPY', strategy: 'bull_put', dte: 10 }, 45)).toEqual({ strategy: 'bull_put', dte: { min: 35, target: 45, max: 60 }, short_delta: { target: 0.3, min: 0.25, max: 0.35 }, wing: 5 });
    expect(rollBuildParams(cfg, { symbol: 'SPY', strategy: 'bull_put', dte: 47 }, 45).dte).toEqual({ min: 48, target: 45, max: 60 });
    expect(rollBuildParams(cfg, { symbol: 'SPY', strategy: 'bull_put', dte: 10 }, 75).dte).toEqual({ min: 35, target: 75, max: 75 });
  });

  it('should take the expiry nearest the target with the template strikes, scored by the shipped scoring', () => {
    const r = rollCandidate(handChain(), cfg, { symbol: 'SPY', strategy: 'bull_put', dte: 10 }, 45, 50);
    if (!r.ok) throw new Error(r.reason);
    expect(r.candidate.expiry).toBe('2027-01-08');
    // Put delta 0.30 sits at 573 on the hand chain; the long put one wing (5) lower.
    expect(r.candidate.legs.map((l) => `${l.action} ${l.right} ${l.strike}`)).toEqual(['BUY P 568', 'SELL P 573']);
    expect(r.candidate.score).toBeGreaterThan(0);
  });

  it('should move past the old expiry when that is the one nearest the target', () => {
    const r = rollCandidate(handChain(), cfg, { symbol: 'SPY', strategy: 'bear_call', dte: 45 }, 45, 50);
    expect(r.ok && r.candidate.expiry).toBe('2027-01-15');
  });

  it('should say why when no expiry qualifies', () => {
    const r = rollCandidate(handChain(), cfg, { symbol: 'SPY', strategy: 'bear_call', dte: 52 }, 45, 50);
    expect(r).toEqual({ ok: false, reason: 'no bear_call to roll to on SPY: no expiry with DTE in 53–60' });
  });
});

describe('when a roll is decided', () => {
  const built = rollCandidate(handChain(), cfg, { symbol: 'SPY', strategy: 'bull_put', dte: 10 }, 45, 50);
  if (!built.ok) throw new Error(built.reason);
  const score = built.candidate.score;
  const base: RollInputs = { min_score: 0, candidate: built, entry: { action: 'enter', reason: 'all gates hold and the exit rules hold' }, risk: { allowed: true, reasons: [] }, net_max_loss: 120 };

  it('should roll when the candidate scores, the gates hold and risk allows the net change', () => {
    const d = decideRoll(base);
    expect(d).toEqual({ action: 'roll', refused_by: null, score, reason: `roll to SPY bull_put 2027-01-08 (45 DTE) 573P: scored ${score.toFixed(1)} ≥ min_score 0, gates hold, risk allows the net change, max loss +$120` });
  });

  it.each<[string, Partial<RollInputs>, string, string]>([
    ['no candidate', { candidate: { ok: false, reason: 'no bull_put to roll to on SPY: no expiry with DTE in 35–60' } }, 'candidate', 'fallback close: no bull_put to roll to on SPY: no expiry with DTE in 35–60'],
    ['a score below min_score', { min_score: score + 0.1 }, 'min_score', `fallback close: roll candidate SPY bull_put 2027-01-08 (45 DTE) 573P scored ${score.toFixed(1)} < min_score ${score + 0.1}`],
    ['a gate refusing', { entry: { action: 'skip', reason: 'gate loss_cooldown failed: a position on this symbol closed at a loss less than 2 trading days ago' } }, 'gates', 'the entry gates refused it (gate loss_cooldown failed: a position on this symbol closed at a loss less than 2 trading days ago)'],
    ['incomplete entry facts', { entry: { action: 'alert', reason: 'data incomplete: vix' } }, 'gates', 'the entry gates refused it (data incomplete: vix)'],
    ['the risk manager refusing', { risk: { allowed: false, reasons: ['trading is halted (thetadesk resume to lift)'] } }, 'risk', 'but the risk manager refused the net change (trading is halted (thetadesk resume to lift))'],
  ])('should fall back to close on %s, saying so', (_what, over, by, reason) => {
    const d = decideRoll({ ...base, ...over });
    expect(d.action).toBe('close');
    expect(d.refused_by).toBe(by);
    expect(d.reason).toContain(reason);
    expect(d.reason.startsWith('fallback close: ')).toBe(true);
  });
});

describe('when the order shape of a roll is chosen', () => {
  const leg = (expiry: string, right: 'P' | 'C', strike: number) => ({ expiry, right, strike });
  const vertical = [leg('2026-03-20', 'P', 570), leg('2026-03-20', 'P', 575)];
  const next = [leg('2026-04-17', 'P', 568), leg('2026-04-17', 'P', 573)];
  it.each([
    ['a vertical to a later vertical on a 4-leg broker', 'combo', vertical, next, 4],
    ['the same on a broker that takes no such combos', 'linked', vertical, next, 0],
    ['an iron condor (8 legs)', 'linked', [...vertical, ...vertical], [...next, ...next], 4],
    ['a contract both closed and opened', 'linked', vertical, [leg('2026-03-20', 'P', 575), leg('2026-03-20', 'P', 580)], 4],
  ] as const)('should send %s as %s', (_w, mode, close, open, max) => {
    expect(rollMode({ close, open }, max)).toBe(mode);
  });
});

describe('when a roll combo fills', () => {
  const legs: ComboLeg[] = [
    { symbol: 'SPY', expiry: '2026-03-20', right: 'P', strike: 570, ratio: 1, action: 'SELL', con_id: null },
    { symbol: 'SPY', expiry: '2026-03-20', right: 'P', strike: 575, ratio: 1, action: 'BUY', con_id: null },
    { symbol: 'SPY', expiry: '2026-04-17', right: 'P', strike: 568, ratio: 1, action: 'BUY', con_id: null },
    { symbol: 'SPY', expiry: '2026-04-17', right: 'P', strike: 573, ratio: 1, action: 'SELL', con_id: null },
  ];
  const rec = { id: 'r1', legs, context: { entry_iv: null, entry_vix: null, roll: { to_position_id: 'pos-r1', close_legs: 2, close_mid: 0.4, open_mid: -1.5 } } };

  it('should split the net price at the planned mids when no leg prices are reported, the difference shared equally', () => {
    const s = rollSplit(rec, -1.0);
    expect(s.close).toBeCloseTo(0.45, 10);
    expect(s.open).toBeCloseTo(-1.45, 10);
    expect(s.close + s.open).toBeCloseTo(-1.0, 10);
    expect(s.close_fee_share).toBe(0.5);
  });

  it('should take the close from the broker\'s leg prices when it reports them, the open as the rest', () => {
    // Closing legs: SELL the 570 at 0.20, BUY back the 575 at 0.75 — a 0.55 debit.
    const s = rollSplit(rec, -1.0, [0.2, 0.75, 1.1, 2.65]);
    expect(s.close).toBeCloseTo(-0.2 + 0.75, 10);
    expect(s.open).toBeCloseTo(-1.0 - 0.55, 10);
    expect(s.close + s.open).toBeCloseTo(-1.0, 10);
    // Leg prices for some legs only are not used.
    expect(rollSplit(rec, -1.0, [0.2, 0.75]).close).toBeCloseTo(0.45, 10);
  });

  it('should walk no further than the worst close plus the least opening credit', () => {
    const o = CONFIG.strategies.orders;
    expect(capFor('roll', 5, o)).toBeCloseTo(capFor('close', 5, o) + capFor('open', 5, o), 10);
    expect(capFor('roll', 5, o)).toBeCloseTo(5 - 1.65, 10);
  });
});

describe('when the risk manager is asked about a roll', () => {
  const p: PortfolioSnapshot = { net_liquidation: 100_000, buying_power: 50_000, start_of_day_net_liquidation: 100_000, open_positions: { SPY: 5 }, open_max_loss: 1_000 };
  it('should count no new position (the rolled one is replaced), while an open would be one too many', () => {
    const risk = { ...CONFIG.strategies.risk, max_positions_per_symbol: 5 };
    expect(checkRisk({ kind: 'roll', symbol: 'SPY', max_loss: -50 }, p, risk, { halted: false, breaker_open: false })).toEqual({ allowed: true, reasons: [] });
    expect(checkRisk({ kind: 'open', symbol: 'SPY', max_loss: 300 }, p, risk, { halted: false, breaker_open: false }).allowed).toBe(false);
  });

  it('should refuse a roll while trading is halted (it opens a position)', () => {
    expect(checkRisk({ kind: 'roll', symbol: 'SPY', max_loss: 0 }, p, CONFIG.strategies.risk, { halted: true, breaker_open: false }).reasons).toEqual(['trading is halted (thetadesk resume to lift)']);
  });
});
