import * as fs from 'node:fs';
import { IbBroker } from '../adapters/ib/ib-broker';
import type { IbConnectionSettings } from '../adapters/ib/ib-config';
import { PaperBroker } from '../adapters/sim/paper-broker';
import type { MarketData } from '../market/market-data';
import type { Clock } from '../shared/clock';
import type { BrokerHoldings } from './positions';

/** The IB account's legs and summary. Reading a live account's positions is harmless: connected read-only, it sends no order. */
export async function ibHoldings(settings: IbConnectionSettings, clock: Clock, onAccount: (a: { live: boolean; label: string }) => void = () => undefined): Promise<BrokerHoldings> {
  const ib = new IbBroker({ settings, clock, live: 'read_only' });
  try {
    await ib.connect();
    const a = ib.account;
    if (a) onAccount({ live: a.mode === 'live', label: a.label });
    return { account: await ib.accountSummary(), legs: await ib.positions() };
  } finally {
    await ib.disconnect();
  }
}

/** The paper account's legs and summary, or null when its state file does not exist (nothing traded on paper yet). */
export async function paperHoldings(stateFile: string, md: MarketData, clock: Clock, seed: number): Promise<BrokerHoldings | null> {
  if (!fs.existsSync(stateFile)) return null;
  let broker: PaperBroker | null = null;
  try {
    broker = new PaperBroker({ market: md, clock, seed, stateFile });
    return { account: await broker.accountSummary(), legs: await broker.positions() };
  } finally {
    broker?.close();
  }
}
