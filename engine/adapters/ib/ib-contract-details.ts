import { EventName, type Contract, type ContractDetails } from '@stoqey/ib';
import type { IbSession } from './ib-session';
import type { IbPacer } from './pacer';

/** One paced reqContractDetails: every row until contractDetailsEnd; IB's errors reject typed. */
export async function requestContractDetails(session: IbSession, pacer: IbPacer, contract: Contract, what: string): Promise<ContractDetails[]> {
  await pacer.message();
  const id = session.newReqId();
  return session.request<ContractDetails[]>(id, `contract details of ${what}`, (done) => {
    const rows: ContractDetails[] = [];
    return [
      [EventName.contractDetails, ((r: number, d: ContractDetails) => r === id && rows.push(d)) as never],
      [EventName.contractDetailsEnd, ((r: number) => r === id && done(rows)) as never],
    ];
  }, () => session.api.reqContractDetails(id, contract));
}
