/**
 * What brokers report and are asked for: orders, executions, positions, account, events.
 *
 * Price convention (IB's, followed everywhere): a combo is always BOUGHT; each leg carries its
 * own action; `limit_price` is the signed net price per share: positive pays a debit, negative
 * receives a credit. Opening an iron condor for a 1.20 credit = BUY the combo at −1.20.
 * Quantities are numbers of combos (contract sets); the multiplier (100) is applied by the broker
 * to money totals only.
 */
import type { ComboLeg, Right } from './leg';

export interface ComboOrderRequest {
  /** The intent id: deterministic, carried to the broker (IB orderRef). */
  readonly order_ref: string;
  readonly symbol: string;
  readonly legs: readonly ComboLeg[];
  readonly quantity: number;
  /** Signed net price per share (see the file comment). */
  readonly limit_price: number;
  readonly tif: 'DAY';
}

export type BrokerOrderStatus =
  | 'pending_submit'
  | 'submitted'
  | 'partially_filled'
  | 'filled'
  | 'cancelled'
  | 'rejected'
  | 'inactive';

export interface BrokerOrder {
  readonly broker_order_id: string;
  readonly order_ref: string;
  readonly symbol: string;
  readonly legs: readonly ComboLeg[];
  readonly quantity: number;
  readonly limit_price: number;
  readonly status: BrokerOrderStatus;
  readonly filled_quantity: number;
  readonly avg_fill_price: number | null;
  /** Epoch ms of the broker's last update. */
  readonly updated_at: number;
}

export interface Execution {
  /** Unique per fill at the broker: replays carry the same id. */
  readonly exec_id: string;
  readonly broker_order_id: string;
  readonly order_ref: string;
  readonly symbol: string;
  /** Combos filled in this execution. */
  readonly quantity: number;
  /** Signed net price per share of the combo (see the file comment). */
  readonly price: number;
  /** Per-leg fill prices per share (unsigned), in leg order, where the broker reports them. */
  readonly leg_prices: readonly number[];
  readonly time: number;
  /** Commission in dollars for this execution (0 until reported). */
  readonly commission: number;
}

export interface BrokerPosition {
  readonly symbol: string;
  readonly expiry: string;
  readonly right: Right;
  readonly strike: number;
  readonly con_id: number | null;
  /** Signed: negative = short contracts. */
  readonly quantity: number;
  /** Average cost per share in dollars (unsigned, as brokers report). */
  readonly avg_cost: number;
}

export interface AccountSummary {
  readonly net_liquidation: number;
  readonly buying_power: number;
  readonly cash: number;
  readonly realized_pnl: number;
  readonly unrealized_pnl: number;
}

export interface BrokerHealth {
  readonly connected: boolean;
  readonly detail: string;
}

export type BrokerEvent =
  | { readonly type: 'order_status'; readonly order: BrokerOrder }
  | { readonly type: 'execution'; readonly execution: Execution }
  | { readonly type: 'commission'; readonly exec_id: string; readonly commission: number }
  | { readonly type: 'position'; readonly position: BrokerPosition }
  | { readonly type: 'connection_lost'; readonly detail: string }
  | { readonly type: 'connection_restored'; readonly data_lost: boolean };

export interface PlacedOrder {
  readonly broker_order_id: string;
  readonly status: BrokerOrderStatus;
}
