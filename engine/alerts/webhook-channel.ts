import { TransientError } from '../shared/errors';
import { scrub, type Alert, type AlertChannel } from './alert';

export interface WebhookOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly retries: number;
  /** Injected so tests do not wait: real backoff sleeps 500 ms × 2^attempt. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
  ERR_INVALID_URL: 'the webhook URL is not a valid URL',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
};

/**
 * Why one try failed, in words (#13: fetch's errors all showed as "(TypeError)"). fetch puts the
 * reason in `cause` ({code: 'ECONNREFUSED'}); its messages can carry the URL, a secret, so only
 * codes and scrubbed text are used.
 */
export function describeFetchFailure(e: unknown, timeoutMs: number, url: string): string {
  // Duck-typed, not instanceof: fetch's errors may come from another realm (a vm context, a worker).
  const err = (typeof e === 'object' && e !== null ? e : {}) as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = (typeof err.cause === 'object' && err.cause !== null ? err.cause : {}) as { code?: unknown; message?: unknown };
  const code = typeof cause.code === 'string' ? cause.code : typeof err.code === 'string' ? err.code : null;
  if (code !== null) return `${NETWORK_CODES[code] ?? 'network error'} (${code})`;
  const text = typeof cause.message === 'string' ? cause.message : typeof err.message === 'string' ? err.message : String(e);
  return scrub(text, [url]).slice(0, 120);
}

/** JSON POST with a Slack-compatible body (`text`), retried with exponential backoff, each try bounded by a timeout. */
export class WebhookChannel implements AlertChannel {
  readonly name = 'webhook';

  constructor(private readonly opts: WebhookOptions) {}

  async send(alert: Alert): Promise<void> {
    const text = scrub(`[${alert.severity.toUpperCase()}] ${alert.message}`, [this.opts.url]);
    const body = JSON.stringify({ text, severity: alert.severity, kind: alert.kind, at: new Date(alert.at).toISOString() });
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    let last = '';
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      if (attempt > 0) await sleep(500 * 2 ** (attempt - 1));
      try {
        const res = await fetch(this.opts.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(this.opts.timeoutMs) });
        if (res.ok) return;
        last = `HTTP ${res.status}`;
        if (res.status >= 400 && res.status < 500 && res.status !== 429) break; // the hook refuses this payload: retrying will not help
      } catch (e) {
        last = describeFetchFailure(e, this.opts.timeoutMs, this.opts.url);
      }
    }
    // The URL is a secret (it carries the hook's token): never in the error.
    throw new TransientError('ALERT_WEBHOOK', `webhook alert not delivered after ${this.opts.retries + 1} tries (${last})`);
  }
}
