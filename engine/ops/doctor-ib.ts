import { guardAccount, type LivePermission } from '../adapters/ib/ib-account-guard';
import type { IbConnectionSettings } from '../adapters/ib/ib-config';
import { redactAccountIds } from '../adapters/ib/ib-config';
import { IbMarketData } from '../adapters/ib/ib-market-data';
import { IbSession } from '../adapters/ib/ib-session';
import { IbPacer } from '../adapters/ib/pacer';
import type { CompiledConfig } from '../config/types';
import { isDelayed, type MarketDataType } from '../model/market-data-type';
import type { StrategyPositionRecord } from '../model/position';
import { systemClock, type Clock } from '../shared/clock';
import { isThetadeskError } from '../shared/errors';
import { fail, messageOf, pass, type DoctorCheck } from './doctor-check';

export interface IbDoctorOptions {
  /** The worker's connection (the order executor's client id is the next one). */
  readonly settings: IbConnectionSettings;
  readonly config: CompiledConfig;
  readonly live: LivePermission;
  /** Open positions of the journal (what a monitor cycle must quote). */
  readonly openPositions: readonly StrategyPositionRecord[];
  /** The clock DTEs are counted from (the wall clock). */
  readonly clock?: Clock;
  readonly connectTimeoutMs?: number;
}

/** IB's limit on messages a second (above it IB disconnects the client). */
const IB_MESSAGES_PER_SECOND = 50;
/** Clock skew tolerated against IB's currentTime (which has a one-second resolution). */
const MAX_SKEW_S = 3;
/** The option checked per underlying: the first expiry of this DTE window, strike nearest spot. */
const OPTION_WINDOW = { dte_min: 25, dte_max: 50 } as const;

const START_IB = 'start TWS or IB Gateway logged in, with the API enabled (Configure → Settings → API → Settings: "Enable ActiveX and Socket Clients") and this host allowed; check --ib-host / --ib-port (paper: IB Gateway 4002, TWS 7497)';

/** An engine error message "what happened — what to do" split into the line's detail and fix. */
function split(e: unknown, fallbackFix: string): { detail: string; fix: string } {
  const msg = messageOf(e);
  const at = msg.indexOf(' — ');
  return at >= 0 ? { detail: msg.slice(0, at), fix: msg.slice(at + 3) } : { detail: msg, fix: fallbackFix };
}

const kindOf = (t: MarketDataType | undefined): string => t ?? 'live';

/**
 * The IB part of `thetadesk doctor`: the connection (server version, accounts, both client ids),
 * the account (paper or live, against the live guard), market data for each underlying and one
 * option of each (live or delayed, or which error), clock skew against IB, and pacing headroom of a
 * monitor cycle over the journal's open positions.
 */
export async function ibChecks(o: IbDoctorOptions): Promise<DoctorCheck[]> {
  const where = `${o.settings.host}:${o.settings.port}`;
  const session = new IbSession(o.settings, { connectTimeoutMs: o.connectTimeoutMs ?? 5000, requestTimeoutMs: 10_000 });
  const out: DoctorCheck[] = [];
  try {
    await session.connect();
  } catch (e) {
    const s = split(e, START_IB);
    const notConnected = isThetadeskError(e) && e.kind === 'not_connected';
    return [fail('ib', `${where} client ${o.settings.clientId}: ${s.detail}`, notConnected ? START_IB : s.fix), fail('ib checks', 'account, market data, clock and pacing not checked: no IB connection', 'fix the IB connection first')];
  }
  try {
    out.push(await connectionCheck(session, o, where));
    out.push(accountCheck(session, o));
    const md = new IbMarketData(session, new IbPacer({ clock: systemClock, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }), o.clock ?? systemClock, o.config.strategies.market.data_type);
    await md.init();
    for (const symbol of Object.keys(o.config.strategies.underlyings)) out.push(await marketCheck(md, symbol, o.config));
    out.push(await clockCheck(session));
    out.push(pacingCheck(o));
  } finally {
    session.disconnect();
  }
  return out;
}

/** Server version and accounts; the executor's client id (worker's + 1) must be free too (IB 326). */
async function connectionCheck(session: IbSession, o: IbDoctorOptions, where: string): Promise<DoctorCheck> {
  const executor = new IbSession({ ...o.settings, clientId: o.settings.clientId + 1 }, { connectTimeoutMs: o.connectTimeoutMs ?? 5000 });
  const base = `${where}: server version ${session.serverVersion}, accounts ${session.accounts.map(redactAccountIds).join(', ') || 'none'}`;
  try {
    await executor.connect();
    return pass('ib', `${base}; client ids ${o.settings.clientId} (worker) and ${o.settings.clientId + 1} (orders) free`);
  } catch (e) {
    const s = split(e, START_IB);
    return fail('ib', `${base}; the order executor's client id ${o.settings.clientId + 1}: ${s.detail}`, s.fix);
  } finally {
    executor.disconnect();
  }
}

function accountCheck(session: IbSession, o: IbDoctorOptions): DoctorCheck {
  try {
    const a = guardAccount(session.accounts, undefined, o.live);
    return pass('account', a.mode === 'live' ? `${a.label}: trading it is allowed (broker.allow_live and --live)` : a.label);
  } catch (e) {
    const msg = messageOf(e);
    const at = msg.indexOf('. To trade it');
    return fail('account', at >= 0 ? msg.slice(0, at) : msg, at >= 0 ? msg.slice(at + 2) : 'log in to a paper account');
  }
}

async function marketCheck(md: IbMarketData, symbol: string, config: CompiledConfig): Promise<DoctorCheck> {
  const name = `market ${symbol}`;
  try {
    const spot = await md.spotQuote(symbol);
    const chain = await md.chain(symbol, OPTION_WINDOW);
    const e = chain.expiries[0];
    if (!e) return fail(name, `${symbol} ${spot.price} (${kindOf(spot.data_type)}); no option expiry listed ${OPTION_WINDOW.dte_min}–${OPTION_WINDOW.dte_max} days out`, 'check the option permissions of the account (Account Management → Trading Permissions: US options)');
    const strike = e.strikes.reduce((best, k) => (Math.abs(k - spot.price) < Math.abs(best - spot.price) ? k : best), e.strikes[0] ?? spot.price);
    const [q] = await md.quotes([{ symbol, expiry: e.expiry, right: 'C', strike }]);
    const kinds = [spot.data_type, q?.data_type];
    const detail = `${symbol} ${spot.price} ${kindOf(spot.data_type)}; option ${e.expiry} ${strike}C ${q?.bid ?? 'no bid'}/${q?.ask ?? 'no ask'} ${kindOf(q?.data_type)}`;
    const notLive = kinds.find((k) => k !== undefined && k !== 'live');
    if (notLive !== undefined && !config.strategies.market.allow_delayed_entries) {
      return fail(name, `${detail}: ${isDelayed(notLive) ? 'delayed' : 'frozen'} quotes, so every entry is refused (gate live_quotes)`, `subscribe to live data for ${symbol} (options: OPRA) in IB Account Management, or set market.allow_delayed_entries: true to enter on delayed quotes`);
    }
    if (q?.bid == null || q.ask == null) return fail(name, `${detail}: the option has no two-sided quote`, 'run doctor during market hours (09:30–16:00 ET), or check the options data subscription (OPRA)');
    return pass(name, detail);
  } catch (e) {
    const s = split(e, 'check the market data subscriptions of the account in IB Account Management');
    return fail(name, s.detail, s.fix);
  }
}

async function clockCheck(session: IbSession): Promise<DoctorCheck> {
  try {
    const before = Date.now();
    const ib = await session.currentTime();
    const after = Date.now();
    // IB answers in whole seconds: compare with the middle of the round trip, floored the same way.
    const skew = ib - Math.floor((before + after) / 2 / 1000);
    const detail = skew === 0 ? "this machine's clock is in step with IB's currentTime (to the second)" : `this machine's clock is ${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} IB's currentTime`;
    if (Math.abs(skew) > MAX_SKEW_S) return fail('clock', `${detail} (more than ${MAX_SKEW_S} s)`, 'sync this machine\'s clock (NTP: `timedatectl set-ntp true`, or chrony): schedules, misfire grace and order timestamps follow it');
    return pass('clock', detail);
  } catch (e) {
    const s = split(e, 'retry; IB did not answer reqCurrentTime');
    return fail('clock', s.detail, s.fix);
  }
}

/** A monitor cycle quotes each distinct leg once, plus spot, hourly change and IV history per underlying and VIX. */
function pacingCheck(o: IbDoctorOptions): DoctorCheck {
  const legs = new Set<string>();
  for (const p of o.openPositions) for (const l of p.legs) legs.add(`${p.symbol}|${l.expiry}|${l.right}|${l.strike}`);
  const underlyings = new Set([...Object.keys(o.config.strategies.underlyings), ...o.openPositions.map((p) => p.symbol)]).size;
  const messages = legs.size + 3 * underlyings + 1;
  const seconds = messages / IB_MESSAGES_PER_SECOND;
  const task = o.config.schedules.tasks.find((t) => t.name === 'unified_monitor');
  const budget = (task?.timeout_ms ?? 240_000) / 1000;
  const detail = `a monitor cycle needs ~${messages} messages (${legs.size} distinct legs of ${o.openPositions.length} open positions, 3 per underlying, VIX): ≥ ${seconds.toFixed(1)} s at IB's ${IB_MESSAGES_PER_SECOND} messages/s against unified_monitor's ${budget} s timeout`;
  if (seconds > budget / 2) return fail('pacing', `${detail}: less than 2× headroom`, 'give unified_monitor a longer timeout and interval in schedules.yaml, or hold fewer distinct legs');
  return pass('pacing', `${detail} (headroom ${Math.floor(budget / Math.max(seconds, 0.02))}×)`);
}
