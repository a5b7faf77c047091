import type { ComboLeg, LegAction } from '../../model/leg';
import type { GatewayContract } from './contracts';
import { fromIbDate } from './market-handlers';
import type { OptionRegistry } from './option-registry';
import type { PlaceOrderMessage } from './order-wire';

export interface IbError {
  readonly code: number;
  readonly message: string;
}

export interface ResolvedCombo {
  readonly action: 'BUY' | 'SELL';
  readonly lmtPrice: number;
  readonly legContracts: readonly GatewayContract[];
  /** The legs as the broker holds them: IB reverses every leg of a SOLD combo. */
  readonly brokerLegs: readonly ComboLeg[];
}

export const rejected = (reason: string): IbError => ({ code: 201, message: `Order rejected - reason:${reason}` });

const flip = (a: LegAction): LegAction => (a === 'BUY' ? 'SELL' : 'BUY');

/** The order-level checks IB makes before an order reaches the book; null when it passes. */
function orderError(m: PlaceOrderMessage): IbError | null {
  const { contract: c, order: o } = m;
  if (c.secType.toUpperCase() !== 'BAG') return rejected(`the fake gateway trades BAG combos only, not ${c.secType || 'an empty security type'}`);
  if (c.comboLegs.length === 0) return { code: 321, message: "Error validating request:-'bN' : cause - Security type 'BAG' requires combo leg details." };
  if (o.action !== 'BUY' && o.action !== 'SELL') return rejected(`unknown action "${o.action}"`);
  if (o.orderType !== 'LMT') return { code: 387, message: `Unsupported order type for this exchange and security type (${o.orderType}): the fake gateway takes LMT combos only` };
  if (o.whatIf) return rejected('what-if orders are not supported by the fake gateway');
  if (!o.transmit) return rejected('the fake gateway does not hold untransmitted orders');
  if (o.tif !== '' && o.tif !== 'DAY') return rejected(`the fake gateway takes DAY orders only, not ${o.tif}`);
  if (o.legPrices.some((p) => p !== null)) {
    const nonGuaranteed = o.smartComboRoutingParams.some((p) => p.tag === 'NonGuaranteed' && p.value === '1');
    if (c.comboLegs.length !== 2 || !nonGuaranteed) return { code: 10058, message: 'Combo per-leg prices are only supported for non-guaranteed smart combos with two legs and the "IECOMBOPERLEGPRICE" feature enabled.' };
    return rejected('the fake gateway prices combos as a whole (lmtPrice), not leg by leg');
  }
  if (o.lmtPrice === null) return rejected('a limit order needs a limit price');
  return null;
}

/**
 * Checks a new combo order and resolves its legs' conIds (error 200 for one the gateway never
 * listed). A SELL of the combo becomes the broker's BUY of the reversed legs at the negated price.
 */
export async function resolveCombo(m: PlaceOrderMessage, registry: OptionRegistry): Promise<ResolvedCombo | IbError> {
  const err = orderError(m);
  if (err) return err;
  const sell = m.order.action === 'SELL';
  const legContracts: GatewayContract[] = [];
  const brokerLegs: ComboLeg[] = [];
  for (const [i, leg] of m.contract.comboLegs.entries()) {
    const c = await registry.find(leg.conId);
    if (!c || (c.right !== 'P' && c.right !== 'C')) return { code: 200, message: 'No security definition has been found for the request' };
    if (c.symbol !== m.contract.symbol) return rejected(`leg ${i + 1} (${c.localSymbol.trim()}) is not on the combo's symbol ${m.contract.symbol}`);
    if (leg.action !== 'BUY' && leg.action !== 'SELL') return { code: 321, message: `Error validating request:-'bN' : cause - The combo details for leg '${i + 1}' are invalid.` };
    if (!Number.isInteger(leg.ratio) || leg.ratio < 1) return { code: 321, message: `Error validating request:-'bN' : cause - The combo details for leg '${i + 1}' are invalid.` };
    legContracts.push(c);
    brokerLegs.push({ symbol: c.symbol, expiry: fromIbDate(c.expiry), right: c.right, strike: c.strike, ratio: leg.ratio, action: sell ? flip(leg.action) : leg.action, con_id: c.conId });
  }
  return { action: sell ? 'SELL' : 'BUY', lmtPrice: m.order.lmtPrice ?? 0, legContracts, brokerLegs };
}

/** A modify may change the price only: anything else differs from the working order (IB's 105). */
export function modifyMismatch(m: PlaceOrderMessage, r: { symbol: string; action: string; totalQuantity: number; comboLegs: readonly { conId: number; ratio: number; action: string }[] }): IbError | null {
  const legs = m.contract.comboLegs;
  const same =
    m.contract.symbol === r.symbol &&
    m.order.action === r.action &&
    m.order.totalQuantity === r.totalQuantity &&
    legs.length === r.comboLegs.length &&
    legs.every((l, i) => l.conId === r.comboLegs[i]?.conId && l.ratio === r.comboLegs[i]?.ratio && l.action === r.comboLegs[i]?.action);
  if (same && m.order.orderType === 'LMT' && m.order.lmtPrice !== null) return null;
  return { code: 105, message: 'Order being modified does not match original order. (the fake gateway modifies the limit price only)' };
}
