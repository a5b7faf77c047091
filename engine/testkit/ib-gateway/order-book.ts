import type { Execution } from '../../model/broker-records';
import type { ComboLeg } from '../../model/leg';
import type { GatewayContract } from './contracts';
import type { IbOrderStatus, WireComboLeg, WireTagValue } from './order-wire-types';

/** One IB order as the gateway knows it: the client's view (ids, action, price) beside the broker's. */
export interface IbOrderRecord {
  readonly orderId: number;
  readonly clientId: number;
  /** Set once the broker has the order (its first event or placeCombo's answer). */
  brokerOrderId: string | null;
  permId: number;
  readonly symbol: string;
  /** The BAG's legs as the client sent them. */
  readonly comboLegs: readonly WireComboLeg[];
  readonly legContracts: readonly GatewayContract[];
  /** The legs as the broker holds them: a SELL of the combo reverses every leg (IB's semantics). */
  readonly brokerLegs: readonly ComboLeg[];
  readonly action: 'BUY' | 'SELL';
  readonly totalQuantity: number;
  /** The client's limit price (a SELL's is the broker's negated). */
  lmtPrice: number;
  readonly tif: string;
  readonly orderRef: string;
  readonly account: string;
  readonly outsideRth: boolean;
  readonly smartComboRoutingParams: readonly WireTagValue[];
  status: IbOrderStatus;
  filled: number;
  /** In the client's price terms. */
  avgFillPrice: number;
  lastFillPrice: number;
  /** The broker's executions of this order so far, in order. */
  readonly executions: Execution[];
  /** When the order reached a final state (Filled, Cancelled): what reqCompletedOrders reports. */
  completedAt?: number;
}

const key = (clientId: number, orderId: number): string => `${clientId}:${orderId}`;

/** Above IB's real permIds' range start, so they look the part; offset by the broker's own id. */
const PERM_BASE = 1_500_000_000;

/**
 * The gateway's orders: IB order ids are per client id, the broker's ids are its own, and the two
 * are joined here. Ids a client has used (even for a rejected order) stay used: IB answers a reuse
 * with 103.
 */
export class OrderBook {
  private readonly byKey = new Map<string, IbOrderRecord>();
  private readonly byBroker = new Map<string, IbOrderRecord>();
  private readonly byExec = new Map<string, IbOrderRecord>();
  private readonly highestId = new Map<number, number>();
  private readonly placing = new Map<string, IbOrderRecord>();
  private nextSyntheticPerm = PERM_BASE + 900_000_000;

  get(clientId: number, orderId: number): IbOrderRecord | undefined {
    return this.byKey.get(key(clientId, orderId));
  }

  /** A new order must use an id above every id this client has used. */
  isReused(clientId: number, orderId: number): boolean {
    return orderId <= (this.highestId.get(clientId) ?? Number.NEGATIVE_INFINITY);
  }

  markUsed(clientId: number, orderId: number): void {
    this.highestId.set(clientId, Math.max(orderId, this.highestId.get(clientId) ?? orderId));
  }

  /** Adds an order about to go to the broker; its first broker event binds it by orderRef. */
  addPlacing(r: IbOrderRecord): void {
    this.byKey.set(key(r.clientId, r.orderId), r);
    this.placing.set(r.orderRef, r);
  }

  donePlacing(r: IbOrderRecord, brokerOrderId: string | null): void {
    if (this.placing.get(r.orderRef) === r) this.placing.delete(r.orderRef);
    if (brokerOrderId === null) this.byKey.delete(key(r.clientId, r.orderId));
    else if (r.brokerOrderId === null) this.bind(r, brokerOrderId);
  }

  /** The order a broker event is about: a known one, or the one being placed under that orderRef. */
  forBrokerEvent(brokerOrderId: string, orderRef: string): IbOrderRecord | undefined {
    const known = this.byBroker.get(brokerOrderId);
    if (known) return known;
    const placing = this.placing.get(orderRef);
    if (!placing || placing.brokerOrderId !== null) return undefined;
    this.bind(placing, brokerOrderId);
    return placing;
  }

  byBrokerId(brokerOrderId: string): IbOrderRecord | undefined {
    return this.byBroker.get(brokerOrderId);
  }

  noteExecution(execId: string, r: IbOrderRecord): void {
    this.byExec.set(execId, r);
  }

  byExecId(execId: string): IbOrderRecord | undefined {
    return this.byExec.get(execId);
  }

  /** Orders that reached a final state, in the order they did. */
  completed(): IbOrderRecord[] {
    return [...this.byBroker.values()].filter((r) => r.completedAt !== undefined).sort((a, b) => (a.completedAt ?? 0) - (b.completedAt ?? 0));
  }

  private bind(r: IbOrderRecord, brokerOrderId: string): void {
    r.brokerOrderId = brokerOrderId;
    // Derived from the broker's id where it is a number, so an order keeps its permId across restarts.
    const n = Number(brokerOrderId);
    r.permId = Number.isInteger(n) && n >= 0 && n < 900_000_000 ? PERM_BASE + n : this.nextSyntheticPerm++;
    this.byBroker.set(brokerOrderId, r);
  }
}
