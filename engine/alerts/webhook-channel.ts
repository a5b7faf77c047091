import { TransientError } from '../shared/errors';
import { scrub, type Alert, type AlertChannel } from './alert';

export interface WebhookOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly retries: number;
  /** Injected so tests do not wait: real backoff sleeps 500 ms × 2^attempt. */
  readonly sleep?: (ms: number) => Promise<void>;
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
        last = e instanceof Error ? e.name : String(e);
      }
    }
    // The URL is a secret (it carries the hook's token): never in the error.
    throw new TransientError('ALERT_WEBHOOK', `webhook alert not delivered after ${this.opts.retries + 1} tries (${last})`);
  }
}
