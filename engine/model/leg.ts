/** One option leg as every layer names it: the broker's combo leg and the journal's position leg. */

export type Right = 'P' | 'C';

export type LegAction = 'BUY' | 'SELL';

export interface ComboLeg {
  readonly symbol: string;
  readonly expiry: string;
  readonly right: Right;
  readonly strike: number;
  readonly ratio: number;
  readonly action: LegAction;
  /** Broker contract id where known (IB conId); brokers resolve it when null. */
  readonly con_id: number | null;
}

/** A leg of a strategy position: the combo leg without the symbol (the position carries it). */
export type PositionLeg = Omit<ComboLeg, 'symbol'>;
