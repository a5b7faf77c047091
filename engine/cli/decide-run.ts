import type { CompiledConfig } from '../config/types';
import { compileEntryGates, compileExitRules } from '../rules/compile-rules';
import { decideEntry } from '../rules/entry-decision';
import { formatEntryDecision, formatPositionDecision } from '../rules/format-decision';
import { decidePosition } from '../rules/position-decision';
import { retainedOfPeak } from '../rules/position-facts';
import type { Facts } from '../rules/validate-facts';
import { quoteValue } from '../shared/quote-value';
import { CliExit, EXIT } from './exit-codes';
import { readJsonInput } from './input-file';

export interface DecideOptions {
  readonly input: string;
  readonly entry?: boolean;
  readonly json?: boolean;
}

export type RulesConfig = Pick<CompiledConfig, 'exit_rules' | 'entry_gates' | 'hash'>;

/**
 * Reads the --input file: a flat JSON object whose values are scalars (or null). A number too large
 * for a double (1e400 parses to Infinity) is out of range here; inside the engine a non-finite fact
 * means data the market did not give (an alert), but in a file someone wrote it is a wrong value.
 */
export function readFactsFile(file: string): Record<string, unknown> {
  const parsed = readJsonInput('--input', file);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliExit(EXIT.INPUT, `--input ${quoteValue(file)} must be a flat JSON object of facts, not ${Array.isArray(parsed) ? 'an array' : quoteValue(parsed)}`);
  }
  for (const [k, v] of Object.entries(parsed)) {
    if (v !== null && typeof v === 'object') {
      throw new CliExit(EXIT.INPUT, `fact ${quoteValue(k)} must be a number, boolean or string, not ${Array.isArray(v) ? 'an array' : 'an object'}`);
    }
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new CliExit(EXIT.INPUT, `fact ${quoteValue(k)} is out of range: the number is too large for a double (it parses to ${v})`);
    }
  }
  return parsed as Record<string, unknown>;
}

/** retained_of_peak_pct is derived from profit and peak, exactly as the facts builder derives it. */
export function withDerivedFacts(facts: Record<string, unknown>): Facts {
  if ('retained_of_peak_pct' in facts) {
    throw new CliExit(EXIT.INPUT, 'fact "retained_of_peak_pct" is derived from profit_pct and peak_profit_pct; remove it from the input');
  }
  const out = { ...facts };
  const { profit_pct: p, peak_profit_pct: peak } = facts;
  if (typeof p === 'number' && typeof peak === 'number') out.retained_of_peak_pct = retainedOfPeak(p, peak);
  return out as Facts;
}

/** The text `thetadesk decide` prints. Input errors throw (CliExit or ConfigError → exit 1). */
export async function runDecide(opts: DecideOptions, config: RulesConfig): Promise<string> {
  const facts = readFactsFile(opts.input);
  const exits = compileExitRules(config.exit_rules, config.hash);
  if (opts.entry) {
    const d = await decideEntry(compileEntryGates(config.entry_gates, config.hash), exits, facts as Facts);
    return opts.json ? JSON.stringify(d) : formatEntryDecision(d);
  }
  const d = await decidePosition(exits, withDerivedFacts(facts));
  return opts.json ? JSON.stringify(d) : formatPositionDecision(d);
}
