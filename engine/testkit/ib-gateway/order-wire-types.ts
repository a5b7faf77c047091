/** Shapes shared by the order-side decoders and encoders. */

/** A contract as the gateway writes it in openOrder, execDetails and position messages. */
export interface WireContract {
  readonly conId: number;
  readonly symbol: string;
  readonly secType: string;
  readonly expiry: string;
  readonly strike: number;
  readonly right: string;
  /** '' for a BAG (the client reads it as a number). */
  readonly multiplier: number | '';
  readonly exchange: string;
  readonly currency: string;
  readonly localSymbol: string;
  readonly tradingClass: string;
}

export interface WireComboLeg {
  readonly conId: number;
  readonly ratio: number;
  /** BUY or SELL, as the client wrote it. */
  readonly action: string;
  readonly exchange: string;
}

export interface WireTagValue {
  readonly tag: string;
  readonly value: string;
}

/** One message as fields, message id first (what encodeFrame writes). */
export type WireFields = Array<string | number>;

/** IB's order status names, as the client's OrderState.status and orderStatus read them. */
export type IbOrderStatus = 'PreSubmitted' | 'Submitted' | 'Filled' | 'Cancelled' | 'Inactive';
