import { Engine } from 'json-rules-engine';
import { compileExitRules } from '../../../engine/rules/compile-rules';
import { decidePosition } from '../../../engine/rules/position-decision';
import { STRICT_OPERATORS, installStrictOperators } from '../../../engine/rules/strict-operators';
import { ConfigError } from '../../../engine/shared/errors';
import { facts } from './helpers';

const op = (name: string): ((a: unknown, b: unknown) => boolean) => {
  const found = STRICT_OPERATORS.find(([n]) => n === name);
  if (!found) throw new Error(name);
  return found[1];
};

describe('when operators meet values of the wrong type', () => {
  it.each([
    ['equal', '5', 5, false],
    ['equal', 5, 5, true],
    ['equal', 0, false, false],
    ['notEqual', '5', 5, true],
    ['in', 'bull_put', ['bull_put', 'bear_call'], true],
    ['in', 'bull', ['bull_put'], false],
    ['notIn', 'iron_condor', ['bull_put'], true],
    ['lessThan', 9, 10, true],
    ['greaterThanInclusive', 0.3, 0.3, true],
    ['lessThan', null, 10, false],
  ] as const)('should evaluate %s(%j, %j) to %s without coercion', (name, a, b, want) => {
    expect(op(name)(a, b)).toBe(want);
  });

  it.each([
    ['lessThan', '9', 10],
    ['greaterThan', 5, '4'],
    ['lessThanInclusive', NaN, 1],
    ['greaterThanInclusive', true, 0],
    ['in', 'bull_put', 'bull_put,bear_call'],
    ['notIn', 'x', 'xyz'],
  ] as const)('should reject %s(%j, %j) with a ConfigError', (name, a, b) => {
    expect(() => op(name)(a, b)).toThrow(ConfigError);
  });

  it('should remove the substring operators from the engine', async () => {
    const engine = new Engine(undefined, { allowUndefinedFacts: false });
    installStrictOperators(engine);
    engine.addRule({ conditions: { all: [{ fact: 'x', operator: 'contains', value: 'a' }] }, event: { type: 'e' } });
    await expect(engine.run({ x: 'abc' })).rejects.toThrow(/Unknown operator: contains/);
  });

  it('should fail the run when a rule compares a string fact numerically', async () => {
    const set = compileExitRules([
      { name: 'bad', priority: 1, strategies: null, conditions: { all: [{ fact: 'strategy', operator: 'greaterThan', value: 1 }] }, decision: { action: 'close', urgency: 'high', reason: 'x', params: {} } },
    ]);
    await expect(decidePosition(set, facts())).rejects.toThrow(/greaterThan needs two finite numbers/);
  });
});
