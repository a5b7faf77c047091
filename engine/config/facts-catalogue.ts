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
  num('retained_of_peak_pct', 'percent', null, null, POS, 'profit_pct / peak_profit_pct × 100; 100 when the peak is ≤ 0. Unbounded: a peak of a hair above 0 makes it very large. Derived, never passed in.'),
  num('underlying_change_1h_pct', 'percent', -100, 1000, BOTH, "The underlying's change over the last hour, in percent."),
  num('iv_change_pct', 'percent', -100, 10000, POS, "Relative change of the position's IV since entry, in percent."),
  num('iv_rank', 'percent (0..100)', 0, 100, BOTH, '(iv − min)/(max − min) × 100 over the lookback.'),
  num('iv_percentile', 'percent (0..100)', 0, 100, BOTH, 'Share of lookback days with a lower IV, in percent.'),
  num('vix', 'index points', 0, 200, BOTH, 'VIX level.'),
  num('vix_change_since_entry', 'index points', -200, 200, POS, 'VIX points gained since entry.'),
  num('short_delta_max', 'delta (fraction 0..1)', 0, 1, BOTH, 'Largest absolute delta among the short legs, as a fraction (0.30, not 30).'),
  num(
    'short_delta_vs_entry',
    'multiple of the entry delta',
    0,
    1000,
    POS,
    "Largest |delta now| / |delta at entry| over the short legs, each against its own entry delta: 1 = unchanged, 2 = doubled (0.16 → 0.32). null for positions opened before the journal recorded entry deltas (journal v3); rules comparing it then do not fire.",
    true,
  ),
  bool('spot_beyond_short_strike', BOTH, 'True when spot is at or through a short strike.'),
  num('short_strike_distance_pct', 'percent of spot (signed)', -1000, 1000, BOTH, 'Distance from spot to the nearest short strike in percent of spot: positive while every short strike is out of the money, 0 at a strike, negative through it.'),
  num(
    'short_strike_distance_em',
    'expected moves to expiry (signed)',
    -1000,
    1000,
    BOTH,
    "The same distance in expected moves: (distance / spot) / (the short leg's IV × √(years to the expiry's close)), the smallest over the short legs. 1 = one standard deviation of the move left to expiry away; about 0.5 for a 30-delta short strike.",
  ),
  num('short_gamma_1pct', 'delta per 1% move', 0, 100, BOTH, "How far the riskiest short leg's delta moves for a 1% move of the underlying: per-share gamma × spot / 100 (0.18 = a 1% move takes a 0.30-delta short to 0.48). Grows toward expiry near the money."),
  num(
    'position_gamma_usd_1pct',
    'dollars of delta per 1% move, per set of legs (signed)',
    -10_000_000,
    10_000_000,
    BOTH,
    'Dollar gamma: the dollars of delta (delta × spot × 100) one set of legs gains for a 1% rise of the underlying, net gamma per share × spot² / 100 × 100. Negative = short gamma (a credit spread before its short strike is passed). Per set of legs, so a rule judges the spread and not the size; × quantity for the whole position.',
  ),
  num('position_gamma_abs', 'gamma per share, per set of legs', 0, 100, BOTH, 'Absolute net gamma of one set of legs, per share per $1 of the underlying. Kept for existing rules: a 5-wide spread stays under 0.05 to the last day, so position_gamma_usd_1pct is the unit to write rules in.'),
  bool('partial_taken', POS, 'True once a REDUCE has been done on this position.'),
  num('days_held', 'calendar days', 0, 3650, POS, 'Calendar days since entry.'),
  num('score', 'points (0..100)', 0, 100, ENTRY, "The candidate's score."),
  num('er_pct', 'percent of max risk', -100, 10000, ENTRY, 'Expected return at execution, percent of max risk: (credit × POP − max_risk × (1 − POP)) / max_risk × 100, with the credit and the short deltas re-quoted when the entry is decided (DESIGN.md "Scoring").'),
  num(
    'trading_days_since_losing_exit',
    'NYSE trading days',
    0,
    100000,
    ENTRY,
    'Trading days from the last close of a position on this underlying that realized a loss (fees included) to today: 0 on the day of the loss, 1 the next trading day. null when no such exit is journaled.',
    true,
  ),
  num('open_positions_same_legs', 'count', 0, 100000, ENTRY, 'Open positions on this underlying with exactly the candidate\'s legs (expiry, right, strike, side).'),
  num('entries_today_for_symbol', 'count', 0, 100000, ENTRY, 'Opening orders on this underlying today (exchange date) that filled, partly filled or are still working.'),
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
