import { BrokerRejectedError, ConfigError, NotConnectedError, TransientError, type ThetadeskError } from '../../shared/errors';

/**
 * What an IB error code means for the engine. IB sends errors, warnings and status notices
 * through the same `error` callback, so each code is classified once, here, and nowhere else.
 */
export type IbErrorOutcome =
  /** Informational (market-data farm status and the like): log at debug, never act. */
  | { readonly kind: 'info'; readonly code: number; readonly message: string }
  /** Connectivity changes: the adapter reconnects / resubscribes and the order manager reconciles. */
  | { readonly kind: 'connectivity'; readonly code: number; readonly state: 'lost' | 'restored_data_lost' | 'restored'; readonly message: string }
  /** The order was cancelled (by us or by IB); a final order state, not an error to retry. */
  | { readonly kind: 'order_cancelled'; readonly code: number; readonly message: string }
  /** A cancel that came too late (already filled or cancelled): reconcile from executions. */
  | { readonly kind: 'cannot_cancel'; readonly code: number; readonly message: string }
  /** The request is answered with delayed data (10167): the quotes it brings are marked delayed. */
  | { readonly kind: 'delayed_data'; readonly code: number; readonly message: string }
  /** A typed error to throw or to fail the request with. */
  | { readonly kind: 'error'; readonly code: number; readonly error: ThetadeskError };

/** What a request was about, so the message can say what is missing (e.g. "options on SPY"). */
export interface IbErrorSubject {
  readonly symbol?: string;
  readonly secType?: string;
  /** The client id of the connection (326). */
  readonly clientId?: number;
}

const INFO_CODES = new Set([2103, 2104, 2105, 2106, 2107, 2108, 2119, 2157, 2158]);
const REJECTED_CODES = new Set([103, 104, 105, 106, 107, 109, 110, 111, 113, 116, 117, 118, 135, 161, 200, 201, 203, 321, 322, 10058]);
const NOT_CONNECTED_CODES = new Set([502, 503, 504, 507, 1300]);
const PACING_CODES = new Set([100, 101, 162, 366, 420]);
/**
 * Codes the account or its setup must fix: retrying cannot help, and a loop of retries hides the
 * cause. They fail the request at once as ConfigError (exit 1 in the CLI, never retried by BullMQ).
 */
const FIX_CODES = new Set([326, 354, 10089, 10090, 10091, 10168, 10197]);

function what(s: IbErrorSubject | undefined): string {
  if (!s?.symbol) return 'this contract';
  return s.secType === 'OPT' ? `options on ${s.symbol}` : s.symbol;
}

const DELAYED_WAY = 'or set market.data_type: delayed in strategies.yaml to run on delayed quotes (entries then need market.allow_delayed_entries: true)';

function hint(code: number, s: IbErrorSubject | undefined): string {
  const subject = what(s);
  const subscription = s?.secType === 'OPT' ? 'the OPRA options subscription' : `a market-data subscription for ${subject}`;
  switch (code) {
    case 200:
      return 'no security definition: check the symbol, expiry, strike and right (a config or chain error; do not retry)';
    case 201:
      return 'order rejected by IB (margin, permissions or price); do not retry';
    case 10058:
      return 'per-leg prices are refused on this combo: send one price for the whole combo';
    case 100:
    case 420:
      return 'pacing violation: slow down and retry later';
    case 101:
      return 'market-data line limit reached: wait for a line to free up and retry';
    case 502:
      return 'cannot connect to TWS / IB Gateway: is it running with the API enabled on this host and port?';
    case 504:
      return 'not connected to TWS / IB Gateway';
    case 326:
      return `client id ${s?.clientId ?? '?'} is already used by another API connection: give this one another --ib-client-id / THETADESK_IB_CLIENT_ID (the order executor takes the id + 1), or stop the other client`;
    case 354:
      return `no market data subscription for ${subject}: subscribe to ${subscription} in IB Account Management (Settings → Market Data Subscriptions), ${DELAYED_WAY}`;
    case 10089:
    case 10090:
    case 10091:
      return `${subject} needs an additional market data subscription for the API (${s?.secType === 'OPT' ? `no OPRA subscription for options on ${s.symbol ?? '?'}` : 'see the Market Data Connections dialog'}): subscribe in IB Account Management, ${DELAYED_WAY}`;
    case 10168:
      return `no live market data for ${subject} and delayed data is not enabled for this account: subscribe to ${subscription} in IB Account Management, or enable delayed data there`;
    case 10197:
      return 'no market data while the same IB user is logged in to a live session elsewhere (TWS, IBKR Mobile or the web portal): log that session out, or use a username without a competing session';
    case 2110:
      return 'TWS / IB Gateway lost its link to IB servers; it reconnects by itself, data is stale until then';
    default:
      return '';
  }
}

/** The one place IB error codes become engine outcomes and typed errors. */
export function mapIbError(code: number, message: string, reqId?: number, subject?: IbErrorSubject): IbErrorOutcome {
  const text = `IB ${code}${reqId !== undefined && reqId >= 0 ? ` (request ${reqId})` : ''}: ${message}`;
  const details = { ib_code: code, req_id: reqId ?? null };
  if (INFO_CODES.has(code)) return { kind: 'info', code, message };
  if (code === 1100) return { kind: 'connectivity', code, state: 'lost', message };
  if (code === 1101) return { kind: 'connectivity', code, state: 'restored_data_lost', message };
  if (code === 1102) return { kind: 'connectivity', code, state: 'restored', message };
  if (code === 202) return { kind: 'order_cancelled', code, message };
  if (code === 10147 || code === 10148) return { kind: 'cannot_cancel', code, message };
  if (code === 10167) return { kind: 'delayed_data', code, message };
  const h = hint(code, subject);
  const full = h ? `${text} — ${h}` : text;
  if (FIX_CODES.has(code)) return { kind: 'error', code, error: new ConfigError(`IB_${code}`, full, details) };
  if (REJECTED_CODES.has(code)) return { kind: 'error', code, error: new BrokerRejectedError(`IB_${code}`, full, details) };
  if (NOT_CONNECTED_CODES.has(code)) return { kind: 'error', code, error: new NotConnectedError(`IB_${code}`, full, details) };
  if (PACING_CODES.has(code)) return { kind: 'error', code, error: new TransientError(`IB_${code}`, full, details) };
  // Other 2xxx codes are warnings IB sends alongside normal operation (2110: the link heals itself).
  if (code >= 2100 && code < 3000) return { kind: 'info', code, message: h ? `${message} — ${h}` : message };
  // Unknown codes: retrying is the safe side for reads; the order manager never re-sends an order
  // without first looking it up by orderRef, so a retry cannot duplicate one.
  return { kind: 'error', code, error: new TransientError(`IB_${code}`, full, details) };
}
