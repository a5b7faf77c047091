import { createHash } from 'node:crypto';

export type SecType = 'STK' | 'IND' | 'OPT';

export interface GatewayContract {
  readonly conId: number;
  readonly symbol: string;
  readonly secType: SecType;
  /** YYYYMMDD for options, '' otherwise. */
  readonly expiry: string;
  readonly strike: number;
  readonly right: '' | 'P' | 'C';
  readonly exchange: string;
  readonly primaryExch: string;
  readonly currency: 'USD';
  readonly multiplier: number;
  readonly minTick: number;
  readonly localSymbol: string;
  readonly tradingClass: string;
  readonly longName: string;
  readonly underConId: number;
}

/** Underlyings the simulated gateway lists (conIds as IB publishes them for these instruments). */
const UNDERLYINGS: Readonly<Record<string, { conId: number; secType: SecType; exchange: string; primary: string; name: string }>> = {
  SPY: { conId: 756733, secType: 'STK', exchange: 'SMART', primary: 'ARCA', name: 'SPDR S&P 500 ETF TRUST' },
  QQQ: { conId: 320227571, secType: 'STK', exchange: 'SMART', primary: 'NASDAQ', name: 'INVESCO QQQ TRUST SERIES 1' },
  IWM: { conId: 9579970, secType: 'STK', exchange: 'SMART', primary: 'ARCA', name: 'ISHARES RUSSELL 2000 ETF' },
  VIX: { conId: 13455763, secType: 'IND', exchange: 'CBOE', primary: 'CBOE', name: 'CBOE Volatility Index' },
};

/** A stable option conId: the same contract always gets the same id, across runs and restarts. */
export function optionConId(symbol: string, expiry: string, right: 'P' | 'C', strike: number): number {
  const h = createHash('sha256').update(`${symbol}|${expiry}|${right}|${strike.toFixed(3)}`).digest();
  // 31 bits, above the range used by the underlyings so the two never collide.
  return 1_000_000_000 + (h.readUInt32BE(0) % 1_000_000_000);
}

/** Underlyings whose options the gateway lists (VIX is quoted, not traded here). */
export const OPTIONABLE_SYMBOLS: readonly string[] = Object.keys(UNDERLYINGS).filter((s) => UNDERLYINGS[s]?.secType === 'STK');

/** An option's contract as the gateway describes it everywhere (details, orders, executions, positions). */
export function optionContract(symbol: string, expiry: string, right: 'P' | 'C', strike: number): GatewayContract | null {
  const u = UNDERLYINGS[symbol];
  if (!u) return null;
  const occ = `${symbol.padEnd(6)}${expiry.slice(2)}${right}${String(Math.round(strike * 1000)).padStart(8, '0')}`;
  return { conId: optionConId(symbol, expiry, right, strike), symbol, secType: 'OPT', expiry, strike, right, exchange: 'SMART', primaryExch: '', currency: 'USD', multiplier: 100, minTick: 0.01, localSymbol: occ, tradingClass: symbol, longName: u.name, underConId: u.conId };
}

/** The underlying with this conId, as a contract query (for conId-only contract details). */
export function underlyingQuery(conId: number): ContractQuery | null {
  const found = Object.entries(UNDERLYINGS).find(([, u]) => u.conId === conId);
  return found ? { conId, symbol: found[0], secType: found[1].secType, expiry: '', strike: 0, right: '' } : null;
}

export interface ContractQuery {
  readonly conId: number;
  readonly symbol: string;
  readonly secType: string;
  readonly expiry: string;
  readonly strike: number;
  readonly right: string;
}

/** Whether an option series exists: the market backend's chain decides; by default a listed-looking one. */
export type OptionListing = (symbol: string, expiry: string, right: 'P' | 'C', strike: number) => boolean;

const defaultListing: OptionListing = (_s, expiry, _r, strike) => /^\d{8}$/.test(expiry) && strike > 0 && Math.abs(strike * 2 - Math.round(strike * 2)) < 1e-9;

/** The contracts matching a reqContractDetails query (empty → IB error 200). */
export function resolveContracts(q: ContractQuery, listed: OptionListing = defaultListing): GatewayContract[] {
  const u = UNDERLYINGS[q.symbol];
  if (!u) return [];
  if (q.secType === 'OPT') {
    const right = q.right === 'P' || q.right === 'PUT' ? 'P' : q.right === 'C' || q.right === 'CALL' ? 'C' : null;
    if (!right || !listed(q.symbol, q.expiry, right, q.strike)) return [];
    const c = optionContract(q.symbol, q.expiry, right, q.strike);
    return c && (q.conId <= 0 || q.conId === c.conId) ? [c] : [];
  }
  if (q.secType !== u.secType || (q.conId > 0 && q.conId !== u.conId)) return [];
  return [{ conId: u.conId, symbol: q.symbol, secType: u.secType, expiry: '', strike: 0, right: '', exchange: u.exchange, primaryExch: u.primary, currency: 'USD', multiplier: 1, minTick: 0.01, localSymbol: q.symbol, tradingClass: q.symbol, longName: u.name, underConId: 0 }];
}

/** CONTRACT_DATA (10) fields for server versions 134..163 (message version 8). */
export function contractDataFields(reqId: number, c: GatewayContract): Array<string | number> {
  return [
    10, 8, reqId, c.symbol, c.secType, c.expiry, c.strike, c.right, c.exchange, c.currency, c.localSymbol,
    c.tradingClass, c.tradingClass, c.conId, c.minTick,
    1, // mdSizeMultiplier (server versions 110..163)
    c.multiplier === 1 ? '' : c.multiplier, 'LMT,MKT,STP', `SMART,${c.primaryExch || c.exchange}`, 1, c.underConId,
    c.longName, c.primaryExch, c.expiry.slice(0, 6), '', '', '', 'US/Eastern', '', '',
    '', '', // evRule, evMultiplier
    0, // secIdList count
    1, // aggGroup
    c.secType === 'OPT' ? c.symbol : '', c.secType === 'OPT' ? 'STK' : '', // underSymbol, underSecType
    '26', // marketRuleIds
    c.expiry, // realExpirationDate
    c.secType === 'STK' ? 'ETF' : '', // stockType (server version ≥ 152)
  ];
}
