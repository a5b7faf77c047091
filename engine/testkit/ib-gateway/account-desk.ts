import { DateTime } from 'luxon';
import type { BrokerEvent, BrokerPosition } from '../../model/broker-records';
import { errorMessage } from '../../shared/errors';
import { accountValues, summaryRows, type AccountValue } from './account-values';
import {
  decodeCancelAccountUpdatesMulti, decodeReqAccountData, decodeReqAccountUpdatesMulti, encodeAccountDownloadEnd, encodeAccountTime, encodeAccountUpdateMulti,
  encodeAccountUpdateMultiEnd, encodeAccountValue, encodePortfolioValue,
} from './account-wire';
import { optionContract } from './contracts';
import { WireLayoutError } from './field-cursor';
import { toIbDate } from './market-handlers';
import { IN } from './message-ids';
import type { GatewayBroker } from './order-handlers';
import { legContract } from './order-reports';
import { decodeReqAccountSummary, encodeAccountSummary, encodeAccountSummaryEnd, encodeError, encodePosition, encodePositionEnd } from './order-wire';
import type { WireFields } from './order-wire-types';
import { requestIdOf } from './request-ids';

/** A connected session: `key` identifies it (subscriptions end with it), `reply` writes to it. */
export interface AccountClient {
  readonly key: object;
  reply(fields: WireFields): void;
}

export interface AccountDeskOptions {
  readonly broker: GatewayBroker;
  readonly account: string;
  readonly now: () => number;
  /** An option position's mark (mid, per share) now; null when it has no quote. */
  readonly mark: (p: BrokerPosition) => Promise<number | null>;
}

const ACCOUNT_MESSAGES: ReadonlySet<number> = new Set([IN.REQ_POSITIONS, IN.CANCEL_POSITIONS, IN.REQ_ACCOUNT_SUMMARY, IN.CANCEL_ACCOUNT_SUMMARY, IN.REQ_ACCOUNT_DATA, IN.REQ_ACCOUNT_UPDATES_MULTI, IN.CANCEL_ACCOUNT_UPDATES_MULTI]);

export const isAccountMessage = (id: number): boolean => ACCOUNT_MESSAGES.has(id);

/** Keys reqAccountUpdatesMulti sends when asked for the ledger and net liquidation only. */
const LEDGER_AND_NLV = new Set(['NetLiquidation', 'NetLiquidationByCurrency', 'TotalCashValue', 'TotalCashBalance', 'CashBalance', 'Currency', 'AccountCode']);

interface Snapshot {
  readonly values: readonly AccountValue[];
  readonly portfolio: ReadonlyArray<{ readonly position: BrokerPosition; readonly mark: number | null }>;
}

interface MultiSub {
  readonly client: AccountClient;
  readonly reqId: number;
  readonly modelCode: string;
  readonly ledgerAndNlv: boolean;
}

/**
 * The account side of the fake gateway, with IB's subscriptions: reqPositions streams a `position`
 * message whenever a position changes until cancelPositions; reqAccountUpdates sends the account
 * values, the portfolio, the account time and accountDownloadEnd, then the changes after every fill
 * until unsubscribed; reqAccountUpdatesMulti the same as tagged rows; reqAccountSummary one snapshot.
 * Requests run one at a time so a stream never overtakes the snapshot it follows.
 */
export class AccountDesk {
  private readonly positionSubs = new Map<object, AccountClient>();
  private readonly accountSubs = new Map<object, AccountClient>();
  private readonly multiSubs = new Map<object, Map<number, MultiSub>>();
  /** Positions closed since the last refresh: IB's portfolio update for them says 0. */
  private readonly closed = new Map<string, BrokerPosition>();
  private queue: Promise<void> = Promise.resolve();
  private refreshPending = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly o: AccountDeskOptions) {
    this.unsubscribe = o.broker.onEvent((e) => this.onBrokerEvent(e));
  }

  close(): void {
    this.unsubscribe();
    this.positionSubs.clear();
    this.accountSubs.clear();
    this.multiSubs.clear();
  }

  /** The session is gone: its subscriptions end with it. */
  forget(key: object): void {
    this.positionSubs.delete(key);
    this.accountSubs.delete(key);
    this.multiSubs.delete(key);
  }

  handle(client: AccountClient, id: number, fields: readonly string[]): void {
    const run = (work: () => Promise<void>): void => void this.serial(work).catch((e: unknown) => this.failed(client, fields, e));
    switch (id) {
      case IN.REQ_POSITIONS:
        return run(async () => this.startPositions(client));
      case IN.CANCEL_POSITIONS:
        this.positionSubs.delete(client.key);
        return;
      case IN.REQ_ACCOUNT_SUMMARY:
        return run(async () => this.accountSummary(client, fields));
      case IN.CANCEL_ACCOUNT_SUMMARY:
        // Answered as one snapshot: there is nothing streaming to stop.
        return;
      case IN.REQ_ACCOUNT_DATA:
        return run(async () => this.accountUpdates(client, fields));
      case IN.REQ_ACCOUNT_UPDATES_MULTI:
        return run(async () => this.accountUpdatesMulti(client, fields));
      case IN.CANCEL_ACCOUNT_UPDATES_MULTI: {
        const { reqId } = decodeCancelAccountUpdatesMulti(fields);
        this.multiSubs.get(client.key)?.delete(reqId);
        return;
      }
      default:
        return;
    }
  }

  private serial(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private failed(client: AccountClient, fields: readonly string[], e: unknown): void {
    const unreadable = e instanceof WireLayoutError;
    client.reply(encodeError(requestIdOf(fields), unreadable ? 320 : 322, `${unreadable ? 'Error reading request' : 'Error processing request'}:-${errorMessage(e)}`));
  }

  private positionFields(p: BrokerPosition): WireFields | null {
    const c = optionContract(p.symbol, toIbDate(p.expiry), p.right, p.strike);
    if (!c) return null;
    // IB reports an option's average cost per contract (price per share × multiplier).
    const avgCost = p.quantity === 0 ? 0 : Math.round(p.avg_cost * c.multiplier * 1e6) / 1e6;
    return encodePosition({ account: this.o.account, contract: { ...legContract(c, ''), conId: p.con_id ?? c.conId }, position: p.quantity, avgCost });
  }

  private async startPositions(client: AccountClient): Promise<void> {
    for (const p of await this.o.broker.positions()) {
      const f = p.quantity === 0 ? null : this.positionFields(p);
      if (f) client.reply(f);
    }
    client.reply(encodePositionEnd());
    this.positionSubs.set(client.key, client);
  }

  private async snapshot(): Promise<Snapshot> {
    const [summary, positions] = await Promise.all([this.o.broker.accountSummary(), this.o.broker.positions()]);
    const portfolio = await Promise.all(positions.filter((p) => p.quantity !== 0).map(async (p) => ({ position: p, mark: await this.o.mark(p).catch(() => null) })));
    let optionMarketValue = 0;
    let gross = 0;
    for (const { position: p, mark } of portfolio) {
      const value = (mark ?? p.avg_cost) * p.quantity * 100;
      optionMarketValue += value;
      gross += Math.abs(value);
    }
    return { values: accountValues({ account: this.o.account, summary, optionMarketValue, grossPositionValue: gross }), portfolio };
  }

  private async accountSummary(client: AccountClient, fields: readonly string[]): Promise<void> {
    const { reqId, tags } = decodeReqAccountSummary(fields);
    const { values } = await this.snapshot();
    for (const v of summaryRows(values, tags)) client.reply(encodeAccountSummary(reqId, this.o.account, v.key, v.value, v.currency));
    client.reply(encodeAccountSummaryEnd(reqId));
  }

  private unknownAccount(account: string): boolean {
    return account !== '' && account !== this.o.account;
  }

  private async accountUpdates(client: AccountClient, fields: readonly string[]): Promise<void> {
    const { subscribe, account } = decodeReqAccountData(fields);
    if (!subscribe) {
      this.accountSubs.delete(client.key);
      return;
    }
    if (this.unknownAccount(account)) {
      client.reply(encodeError(-1, 321, `Error validating request:-'bE' : cause - account ${account} is not managed by this login`));
      return;
    }
    this.sendAccount(client, await this.snapshot(), null);
    client.reply(encodeAccountDownloadEnd(this.o.account));
    this.accountSubs.set(client.key, client);
  }

  private async accountUpdatesMulti(client: AccountClient, fields: readonly string[]): Promise<void> {
    const m = decodeReqAccountUpdatesMulti(fields);
    if (this.unknownAccount(m.account) && m.account !== 'All') {
      client.reply(encodeError(m.reqId, 321, `Error validating request:-'cg' : cause - account ${m.account} is not managed by this login`));
      return;
    }
    const sub: MultiSub = { client, reqId: m.reqId, modelCode: m.modelCode, ledgerAndNlv: m.ledgerAndNlv };
    this.sendMulti(sub, (await this.snapshot()).values);
    client.reply(encodeAccountUpdateMultiEnd(m.reqId));
    const mine = this.multiSubs.get(client.key) ?? new Map<number, MultiSub>();
    mine.set(m.reqId, sub);
    this.multiSubs.set(client.key, mine);
  }

  /** Values, portfolio (all held, or only `changed` plus closed ones on a refresh), account time. */
  private sendAccount(client: AccountClient, s: Snapshot, changed: ReadonlySet<string> | null): void {
    for (const v of s.values) client.reply(encodeAccountValue(v.key, v.value, v.currency, this.o.account));
    const rows = [...s.portfolio, ...[...this.closed.values()].map((p) => ({ position: p, mark: null }))];
    for (const { position: p, mark } of rows) {
      if (changed && !changed.has(keyOf(p))) continue;
      const c = optionContract(p.symbol, toIbDate(p.expiry), p.right, p.strike);
      if (!c) continue;
      const price = mark ?? p.avg_cost;
      client.reply(encodePortfolioValue({
        contract: { ...legContract(c, ''), conId: p.con_id ?? c.conId, primaryExch: c.primaryExch },
        position: p.quantity,
        marketPrice: round6(price),
        marketValue: round2(price * p.quantity * c.multiplier),
        averageCost: round6(p.avg_cost * c.multiplier),
        unrealizedPnl: round2((price - p.avg_cost) * p.quantity * c.multiplier),
        realizedPnl: 0,
        account: this.o.account,
      }));
    }
    client.reply(encodeAccountTime(DateTime.fromMillis(this.o.now(), { zone: 'America/New_York' }).toFormat('HH:mm')));
  }

  private sendMulti(sub: MultiSub, values: readonly AccountValue[]): void {
    for (const v of values) {
      if (sub.ledgerAndNlv && !LEDGER_AND_NLV.has(v.key)) continue;
      sub.client.reply(encodeAccountUpdateMulti(sub.reqId, this.o.account, sub.modelCode, v.key, v.value, v.currency));
    }
  }

  private readonly changed = new Set<string>();

  /** Position changes stream at once; the account follows once the fill's events are all in. */
  private onBrokerEvent(e: BrokerEvent): void {
    if (e.type === 'position') {
      const f = this.positionFields(e.position);
      if (f) for (const c of this.positionSubs.values()) c.reply(f);
      if (this.accountSubs.size === 0) return;
      this.changed.add(keyOf(e.position));
      if (e.position.quantity === 0) this.closed.set(keyOf(e.position), e.position);
      this.scheduleRefresh();
    } else if (e.type === 'execution' || e.type === 'commission') {
      this.scheduleRefresh();
    }
  }

  private scheduleRefresh(): void {
    if (this.refreshPending || (this.accountSubs.size === 0 && this.multiSubs.size === 0)) return;
    this.refreshPending = true;
    // One refresh per burst of events (a combo fill moves every leg and the cash at once).
    setImmediate(() => {
      void this.serial(async () => {
        this.refreshPending = false;
        const changed = new Set(this.changed);
        this.changed.clear();
        const s = await this.snapshot();
        for (const c of this.accountSubs.values()) this.sendAccount(c, s, changed);
        this.closed.clear();
        for (const subs of this.multiSubs.values()) for (const sub of subs.values()) this.sendMulti(sub, s.values);
      }).catch(() => undefined);
    });
  }
}

const keyOf = (p: Pick<BrokerPosition, 'symbol' | 'expiry' | 'right' | 'strike'>): string => `${p.symbol}|${p.expiry}|${p.right}|${p.strike}`;
const round2 = (x: number): number => Math.round(x * 100) / 100;
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
