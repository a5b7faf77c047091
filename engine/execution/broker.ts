/**
 * The Broker port: one interface for every broker (the paper broker, IB).
 *
 * Price convention (IB's, followed everywhere): a combo is always BOUGHT; each leg carries its
 * own action; `limit_price` is the signed net price per share: positive pays a debit, negative
 * receives a credit. Opening an iron condor for a 1.20 credit = BUY the combo at −1.20.
 * Quantities are numbers of combos (contract sets); the multiplier (100) is applied by the broker
 * to money totals only.
 */
import type { AccountSummary, BrokerEvent, BrokerHealth, BrokerOrder, BrokerPosition, ComboOrderRequest, Execution, PlacedOrder } from '../model/broker-records';

/**
 * Errors: methods throw TransientError (retry), BrokerRejectedError (never retry) or
 * NotConnectedError from engine/shared/errors.ts.
 */
export interface Broker {
  readonly name: string;
  /**
   * Legs one combo order may have, contracts of different expiries included (a roll as one order:
   * the old spread's closing legs and the new one's opening legs). Absent: the broker is not trusted
   * with such combos and a roll goes as two linked orders.
   */
  readonly max_combo_legs?: number;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  health(): Promise<BrokerHealth>;
  accountSummary(): Promise<AccountSummary>;
  positions(): Promise<readonly BrokerPosition[]>;
  placeCombo(order: ComboOrderRequest): Promise<PlacedOrder>;
  modifyPrice(brokerOrderId: string, limitPrice: number): Promise<void>;
  cancel(brokerOrderId: string): Promise<void>;
  openOrders(): Promise<readonly BrokerOrder[]>;
  /** Executions at or after `sinceMs` (epoch ms). */
  executions(sinceMs: number): Promise<readonly Execution[]>;
  /** Subscribe to events; returns the unsubscribe function. */
  onEvent(listener: (event: BrokerEvent) => void): () => void;
}
