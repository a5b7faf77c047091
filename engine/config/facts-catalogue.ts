/**
 * The facts catalogue: every fact a rule or gate may name, with its type, unit and range.
 * Lint checks rules/*.yaml against it (a delta written as 30 where 0.30 is meant is an error);
 * the rules engine validates the facts it is given against it before every evaluation.
 */

export type FactType = 'number' | 'boolean' | 'string';
export type FactScope = 'position' | 'entry';

export interface FactSpec {
  readonly name: string;
  readonly type: FactType;
  readonly unit: string;
  /** Inclusive bounds for numbers (null = unbounded on that side). */
  readonly min: number | null;
  readonly max: number | null;
  /** Allowed values for strings. */
  readonly values: readonly string[] | null;
  /** True when null is a legitimate value (e.g. no earnings date known). */
  readonly nullable: boolean;
  readonly scopes: readonly FactScope[];
  readonly description: string;
}

const POS: readonly FactScope[] = ['position'];
const ENTRY: readonly FactScope[] = ['entry'];
const BOTH: readonly FactScope[] = ['position', 'entry'];

function num(
  name: string,
  unit: string,
  min: number | null,
  max: number | null,
  scopes: readonly FactScope[],
  description: string,
  nullable = false,
): FactSpec {
  return { name, type: 'number', unit, min, max, values: null, nullable, scopes, description };
}

function bool(name: string, scopes: readonly FactScope[], description: string): FactSpec {
  return { name, type: 'boolean', unit: 'boolean', min: null, max: null, values: null, nullable: false, scopes, description };
}

const SPECS: readonly FactSpec[] = [
  {
    name: 'strategy',
    type: 'string',
    unit: 'name',
    min: null,
    max: null,
    values: ['iron_condor', 'bull_put', 'bear_call'],
    nullable: false,
    scopes: BOTH,
    description: 'Strategy of the position or candidate.',
  },
  num('dte', 'calendar days', 0, 3650, BOTH, 'Calendar days from the exchange date (America/New_York) to expiry.'),
  num('profit_pct', 'percent of entry credit', -10000, 100, POS, '(credit − cost to close) / credit × 100; 100 = full credit kept, −200 = loss of twice the credit.'),
  num('peak_profit_pct', 'percent of entry credit', -10000, 100, POS, 'Highest profit_pct seen since entry (persisted).'),
  num('retained_of_peak_pct', 'percent', -1000000, 1000000, POS, 'profit_pct / peak_profit_pct × 100; 100 when the peak is ≤ 0. Derived, never passed in.'),
  num('underlying_change_1h_pct', 'percent', -100, 1000, BOTH, "The underlying's change over the last hour, in percent."),
  num('iv_change_pct', 'percent', -100, 10000, POS, "Relative change of the position's IV since entry, in percent."),
  num('iv_rank', 'percent (0..100)', 0, 100, BOTH, '(iv − min)/(max − min) × 100 over the lookback.'),
  num('iv_percentile', 'percent (0..100)', 0, 100, BOTH, 'Share of lookback days with a lower IV, in percent.'),
  num('vix', 'index points', 0, 200, BOTH, 'VIX level.'),
  num('vix_change_since_entry', 'index points', -200, 200, POS, 'VIX points gained since entry.'),
  num('short_delta_max', 'delta (fraction 0..1)', 0, 1, BOTH, 'Largest absolute delta among the short legs, as a fraction (0.30, not 30).'),
  bool('spot_beyond_short_strike', BOTH, 'True when spot is at or through a short strike.'),
  num('position_gamma_abs', 'gamma per contract set', 0, 100, BOTH, 'Absolute net gamma of one set of legs (per share).'),
  bool('partial_taken', POS, 'True once a REDUCE has been done on this position.'),
  num('days_held', 'calendar days', 0, 3650, POS, 'Calendar days since entry.'),
  num('score', 'points (0..100)', 0, 100, ENTRY, "The candidate's score."),
  num('credit_to_width_pct', 'percent of width', -1000, 1000, ENTRY, 'Net credit at mid as percent of the spread width.'),
  num('spot_move_since_analysis_pct', 'percent (absolute)', 0, 1000, ENTRY, 'Absolute move of spot since the analysis, in percent.'),
  num('combo_spread_pct_of_mid', 'percent of mid', 0, 100000, ENTRY, "Combo bid/ask width as percent of the combo's mid."),
  num('open_positions_for_symbol', 'count', 0, 100000, ENTRY, 'Open strategy positions on this underlying.'),
  num('days_to_earnings', 'calendar days', 0, 3650, ENTRY, 'Days to the next earnings date; null where none (ETFs).', true),
];

export const FACTS: Readonly<Record<string, FactSpec>> = Object.freeze(
  Object.fromEntries(SPECS.map((s) => [s.name, Object.freeze(s)])),
);

export function factSpec(name: string): FactSpec | undefined {
  return Object.prototype.hasOwnProperty.call(FACTS, name) ? FACTS[name] : undefined;
}

export function factsInScope(scope: FactScope): readonly FactSpec[] {
  return SPECS.filter((s) => s.scopes.includes(scope));
}
