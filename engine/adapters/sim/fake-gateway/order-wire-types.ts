/** Shapes shared by the order-side decoders and encoders. */

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
