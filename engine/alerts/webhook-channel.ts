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
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  const cause = e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : typeof (e as { code?: unknown }).code === 'string' ? ((e as { code: string }).code) : null;
  if (code !== null) return `${NETWORK_CODES[code] ?? 'network error'} (${code})`;
  const text = typeof cause?.message === 'string' ? cause.message : e instanceof Error ? e.message : String(e);
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
