import { contractDataFields, resolveContracts, underlyingQuery, type ContractQuery, type GatewayContract, type OptionListing } from './contracts';
import { OUT } from './message-ids';
import type { OptionRegistry } from './option-registry';
import type { WireFields } from './order-wire-types';

/** reqContractDetails (fields per the client's v8 request layout: reqId at 2, conId at 3, …). */
export async function contractDetails(f: readonly string[], registry: OptionRegistry, listed: OptionListing | undefined, send: (fields: WireFields) => void): Promise<void> {
  const reqId = Number(f[2]);
  const query: ContractQuery = { conId: Number(f[3] || 0), symbol: f[4] ?? '', secType: f[5] ?? '', expiry: f[6] ?? '', strike: Number(f[7] || 0), right: f[8] ?? '' };
  const found = await lookUp(query, registry, listed);
  if (found.length === 0) {
    send([OUT.ERR_MSG, 2, reqId, 200, 'No security definition has been found for the request']);
    return;
  }
  for (const c of found) {
    // Combo legs name options by conId only: every option handed out must be found again.
    registry.remember(c);
    send(contractDataFields(reqId, c));
  }
  send([OUT.CONTRACT_DATA_END, 1, reqId]);
}

/**
 * A query by conId alone (how a client reads back a combo leg after a restart) goes by the registry;
 * an option query is checked against the market's listing (IB lists every match of a partial query).
 */
async function lookUp(q: ContractQuery, registry: OptionRegistry, listed: OptionListing | undefined): Promise<GatewayContract[]> {
  if (q.secType === 'OPT' && q.symbol !== '' && registry.hasListing) {
    const right = q.right === 'P' || q.right === 'PUT' ? 'P' : q.right === 'C' || q.right === 'CALL' ? 'C' : q.right === '' ? null : undefined;
    if (right === undefined) return [];
    const found = await registry.matching({ symbol: q.symbol, expiry: q.expiry, right, strike: q.strike });
    return q.conId > 0 ? found.filter((c) => c.conId === q.conId) : found;
  }
  if (q.conId <= 0 || q.symbol !== '') return resolveContracts(q, listed);
  const under = underlyingQuery(q.conId);
  if (under) return resolveContracts(under, listed);
  const option = await registry.find(q.conId).catch(() => null);
  return option ? [option] : [];
}
