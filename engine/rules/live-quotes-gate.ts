import { isDelayed, type MarketDataType } from '../model/market-data-type';
import type { EntryDecision, GateResult } from './entry-decision';

export const LIVE_QUOTES_GATE = 'live_quotes';

/**
 * The built-in entry gate on the kind of quotes a candidate was priced on: delayed (or frozen)
 * quotes are 15 minutes old, so an entry priced on them is refused unless strategies.yaml says
 * market.allow_delayed_entries: true. Appended to the YAML gates' results (only when a quote was not
 * live, so live trading's traces are unchanged); an incomplete decision (alert) is left as it is.
 */
export function applyLiveQuotesGate(d: EntryDecision, types: readonly (MarketDataType | undefined)[], allowDelayed: boolean): EntryDecision {
  const notLive = types.find((t) => t !== undefined && t !== 'live');
  if (notLive === undefined || d.action === 'alert') return d;
  const kind = isDelayed(notLive) ? 'delayed' : 'frozen';
  const gate: GateResult = {
    gate: LIVE_QUOTES_GATE,
    passed: allowDelayed,
    reason: `quotes are ${kind} (IB market data type ${notLive}), not live: subscribe to live data (OPRA for options) or set market.allow_delayed_entries: true`,
    facts: { quotes_data_type: notLive },
  };
  if (allowDelayed) return { ...d, gates: [...d.gates, gate] };
  const failure = `gate ${LIVE_QUOTES_GATE} failed: ${gate.reason}`;
  return { ...d, action: 'skip', gates: [...d.gates, gate], reason: d.action === 'enter' ? failure : `${d.reason}; ${failure}` };
}
