import { OptionType, SecType } from '@stoqey/ib';
import type { ComboLeg } from '../../model/leg';
import { BrokerRejectedError } from '../../shared/errors';
import { requestContractDetails } from './ib-contract-details';
import type { IbSession } from './ib-session';
import type { IbPacer } from './pacer';
import { ibExpiry, isoExpiry } from './ib-order-mapping';

export interface OptionIdentity {
  readonly symbol: string;
  readonly expiry: string;
  readonly right: 'P' | 'C';
  readonly strike: number;
}

const key = (o: OptionIdentity): string => `${o.symbol}|${o.expiry}|${o.right}|${o.strike}`;

/**
 * Option legs ↔ IB conIds, both ways, cached for the connection's life: combo legs need conIds,
 * and open orders read back after a restart carry only conIds.
 */
export class IbOptionContracts {
  private readonly byKey = new Map<string, number>();
  private readonly byConId = new Map<number, OptionIdentity>();

  constructor(
    private readonly session: IbSession,
    private readonly pacer: IbPacer,
  ) {}

  remember(o: OptionIdentity, conId: number): void {
    this.byKey.set(key(o), conId);
    this.byConId.set(conId, o);
  }

  async conIdOf(leg: ComboLeg): Promise<number> {
    if (leg.con_id !== null) return leg.con_id;
    const o: OptionIdentity = { symbol: leg.symbol, expiry: leg.expiry, right: leg.right, strike: leg.strike };
    const cached = this.byKey.get(key(o));
    if (cached !== undefined) return cached;
    const found = await requestContractDetails(this.session, this.pacer, { symbol: o.symbol, secType: SecType.OPT, lastTradeDateOrContractMonth: ibExpiry(o.expiry), strike: o.strike, right: o.right === 'P' ? OptionType.Put : OptionType.Call, exchange: 'SMART', currency: 'USD', multiplier: 100 }, `${o.symbol} ${o.expiry} ${o.strike}${o.right}`);
    const conId = found[0]?.contract.conId;
    if (conId === undefined) throw new BrokerRejectedError('IB_NO_CONTRACT', `IB lists no option ${o.symbol} ${o.expiry} ${o.strike}${o.right}; the order is not sent`);
    this.remember(o, conId);
    return conId;
  }

  async identityOf(conId: number): Promise<OptionIdentity | null> {
    const cached = this.byConId.get(conId);
    if (cached) return cached;
    const found = await requestContractDetails(this.session, this.pacer, { conId, exchange: 'SMART' }, `contract ${conId}`).catch(() => []);
    const c = found[0]?.contract;
    if (!c || c.secType !== SecType.OPT || !c.symbol || !c.lastTradeDateOrContractMonth || c.strike === undefined) return null;
    const o: OptionIdentity = { symbol: c.symbol, expiry: isoExpiry(c.lastTradeDateOrContractMonth), right: c.right === OptionType.Put ? 'P' : 'C', strike: c.strike };
    this.remember(o, conId);
    return o;
  }
}
