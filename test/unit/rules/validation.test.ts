import { decidePosition } from '../../../engine/rules/position-decision';
import { ConfigError } from '../../../engine/shared/errors';
import { CALM } from './fixtures';
import { EXITS, facts } from './helpers';

describe('when facts are missing or non-finite', () => {
  it.each([
    [['profit_pct'], {}],
    [['dte', 'vix'], {}],
    [['iv_change_pct'], { iv_change_pct: NaN }],
    [['short_gamma_1pct'], { short_gamma_1pct: Infinity }],
    [['short_delta_vs_entry'], { short_delta_vs_entry: NaN }],
  ] as const)('should alert with data incomplete naming %j, flagged, never hold', async (names, over) => {
    const f: Record<string, unknown> = { ...facts(), ...over };
    for (const n of names) if (!(n in over)) delete f[n];
    const d = await decidePosition(EXITS, f as never);
    expect(d.action).toBe('alert');
    expect(d.reason).toBe(`data incomplete: ${names.join(', ')}`);
    expect(d.flagged).toBe(true);
    expect(d.rule).toBeNull();
    expect(d.trace).toEqual([]);
  });
});

describe('when a fact has the wrong type, is out of range or unknown', () => {
  it.each([
    [{ dte: '30' }, 'dte', /must be a number/],
    [{ spot_beyond_short_strike: 'false' }, 'spot_beyond_short_strike', /must be a boolean/],
    [{ short_delta_max: 30 }, 'short_delta_max', /outside 0..1/],
    [{ strategy: 'straddle' }, 'strategy', /must be one of/],
    [{ profit_pct: null }, 'profit_pct', /is null/],
    [{ bogus: 1 }, 'bogus', /unknown position fact "bogus"/],
    [{ score: 80 }, 'score', /unknown position fact "score"/],
  ] as const)('should throw a ConfigError for %j naming %s', async (over, field, msg) => {
    const err = await decidePosition(EXITS, { ...CALM, ...over } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).details.field).toBe(field);
    expect((err as Error).message).toMatch(msg);
  });
});

describe('when the result is built', () => {
  it('should carry action, rule, priority, urgency, reason, params, trace and config hash', async () => {
    const d = await decidePosition(EXITS, facts({ dte: 20 }));
    expect(d).toMatchObject({ action: 'roll', rule: 'dte_manage', priority: 12, urgency: 'high', params: { target_dte: 45, min_score: 70 }, config_hash: EXITS.hash });
    expect(d.trace[11]).toEqual({ rule: 'dte_manage', priority: 12, fired: true, facts: { dte: 20 } });
    expect(d.trace[0]?.facts).toEqual({ underlying_change_1h_pct: 0.2, iv_change_pct: 5 });
  });
});
