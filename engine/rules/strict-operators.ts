import { Engine } from 'json-rules-engine';
import { ConfigError } from '../shared/errors';

/**
 * Strict replacements for json-rules-engine's built-in operators. The built-ins compare strings
 * lexically ("9" > "10"), coerce with `==`, and let `in` match substrings, so a fact of the wrong
 * type silently yields a wrong decision. Facts are validated against the catalogue before a run,
 * so a non-number reaching a comparison means a rule compares a non-numeric fact: a config error.
 * null (a nullable fact with no value, e.g. days_to_earnings for an ETF) compares false.
 */
type Cmp = (a: number, b: number) => boolean;

function numeric(name: string, cmp: Cmp): (fact: unknown, value: unknown) => boolean {
  return (fact, value) => {
    if (fact === null) return false;
    if (typeof fact !== 'number' || !Number.isFinite(fact) || typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ConfigError(
        'rules.operator_type',
        `operator ${name} needs two finite numbers, got ${JSON.stringify(fact)} and ${JSON.stringify(value)}; fix the rule or the fact's type`,
        { operator: name },
      );
    }
    return cmp(fact, value);
  };
}

function membership(name: string, wanted: boolean): (fact: unknown, value: unknown) => boolean {
  return (fact, value) => {
    if (!Array.isArray(value)) {
      throw new ConfigError('rules.operator_type', `operator ${name} needs an array value, got ${JSON.stringify(value)}`, {
        operator: name,
      });
    }
    return value.includes(fact) === wanted;
  };
}

export const STRICT_OPERATORS: ReadonlyArray<readonly [string, (fact: unknown, value: unknown) => boolean]> = [
  ['equal', (a, b) => a === b],
  ['notEqual', (a, b) => a !== b],
  ['lessThan', numeric('lessThan', (a, b) => a < b)],
  ['lessThanInclusive', numeric('lessThanInclusive', (a, b) => a <= b)],
  ['greaterThan', numeric('greaterThan', (a, b) => a > b)],
  ['greaterThanInclusive', numeric('greaterThanInclusive', (a, b) => a >= b)],
  ['in', membership('in', true)],
  ['notIn', membership('notIn', false)],
];

/** Replaces every built-in operator (and their decorated variants) with the strict set. */
export function installStrictOperators(engine: Engine): void {
  for (const name of ['contains', 'doesNotContain']) engine.removeOperator(name);
  for (const [name, fn] of STRICT_OPERATORS) {
    engine.removeOperator(name);
    engine.addOperator(name, fn);
  }
}
