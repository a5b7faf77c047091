import { factSpec, factsInScope, type FactScope } from '../config/facts-catalogue';
import { didYouMean } from '../shared/closest-name';
import { ConfigError } from '../shared/errors';
import { quoteValue } from '../shared/quote-value';

export type FactValue = number | boolean | string | null;
/** undefined (or an absent key) is a missing fact: reported, never run. */
export type Facts = Readonly<Record<string, FactValue | undefined>>;

/**
 * Checks facts against the catalogue before a run. Returns the names of required facts that are
 * missing or non-finite (the caller turns those into an `alert`, never a silent hold). A fact of
 * the wrong type, out of its catalogue range, unknown, or outside the scope is an input error.
 */
export function validateFacts(facts: Readonly<Record<string, unknown>>, required: readonly string[], scope: FactScope): string[] {
  for (const [name, value] of Object.entries(facts)) {
    const spec = factSpec(name);
    if (!spec || !spec.scopes.includes(scope)) {
      const known = factsInScope(scope).map((f) => f.name);
      throw new ConfigError('facts.unknown', `unknown ${scope} fact ${quoteValue(name)}${didYouMean(name, known)}; known facts are listed in engine/config/facts-catalogue.ts`, { field: name });
    }
    if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) continue;
    if (value === null) {
      if (spec.nullable) continue;
      throw new ConfigError('facts.type', `fact "${name}" is null but must be a ${spec.type}`, { field: name });
    }
    if (typeof value !== spec.type) {
      throw new ConfigError('facts.type', `fact "${name}" must be a ${spec.type} (${spec.unit}), got ${quoteValue(value)}`, { field: name });
    }
    if (typeof value === 'number' && ((spec.min !== null && value < spec.min) || (spec.max !== null && value > spec.max))) {
      throw new ConfigError('facts.range', `fact "${name}" = ${value} is outside ${spec.min ?? '-∞'}..${spec.max ?? '∞'} (${spec.unit})`, { field: name });
    }
    if (typeof value === 'string' && spec.values !== null && !spec.values.includes(value)) {
      throw new ConfigError('facts.value', `fact "${name}" = ${quoteValue(value)} must be one of ${spec.values.join(', ')}`, { field: name });
    }
  }
  const missing: string[] = [];
  for (const name of required) {
    const v = facts[name];
    if (v === undefined || (typeof v === 'number' && !Number.isFinite(v)) || (v === null && !factSpec(name)?.nullable)) missing.push(name);
  }
  return missing;
}
