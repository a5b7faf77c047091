import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlertManager } from '../../../engine/alerts/alert-manager';
import { scrub } from '../../../engine/alerts/alert';
import { WebhookChannel } from '../../../engine/alerts/webhook-channel';
import { ManualClock } from '../../../engine/shared/clock';
import { shippedConfig } from '../../helpers/config';

const cfg = shippedConfig().strategies.alerts; // info and up, 15 minutes de-duplication

function hookServer(statuses: number[]): Promise<{ url: string; bodies: unknown[]; close: () => Promise<void> }> {
  const bodies: unknown[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(data));
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({ url: `http://127.0.0.1:${port}/services/T000/B000/secret-token-123`, bodies, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

describe('alerts', () => {
  it('should post a Slack-compatible body to the webhook, retrying a 500, and never leak the URL', async () => {
    const hook = await hookServer([500, 200]);
    const log: string[] = [];
    const clock = new ManualClock('2026-11-24T15:00:00Z');
    const m = new AlertManager(cfg, clock, (l) => log.push(l), [new WebhookChannel({ url: hook.url, timeoutMs: 2000, retries: 3, sleep: async () => undefined })], [hook.url]);
    const r = await m.raise({ severity: 'error', kind: 'risk_refusal', message: `entry refused for account DU1234567 via ${hook.url}` });
    await hook.close();
    expect(r).toEqual({ sent: ['webhook'], deduplicated: false });
    expect(hook.bodies).toHaveLength(2);
    const body = hook.bodies[1] as { text: string };
    expect(body.text).toBe('[ERROR] entry refused for account [account] via [redacted]');
    expect(log.join('\n')).not.toContain('secret-token-123');
    expect(log.join('\n')).not.toContain('DU1234567');
  });

  it('should send identical alerts once per window and log them every time', async () => {
    const sent: string[] = [];
    const log: string[] = [];
    const clock = new ManualClock('2026-11-24T15:00:00Z');
    const m = new AlertManager(cfg, clock, (l) => log.push(l), [{ name: 'memory', send: async (a) => void sent.push(a.message) }]);
    await m.raise({ severity: 'warning', kind: 'data_incomplete', message: 'SPY quotes missing' });
    clock.advance(14 * 60_000);
    expect((await m.raise({ severity: 'warning', kind: 'data_incomplete', message: 'SPY quotes missing' })).deduplicated).toBe(true);
    clock.advance(60_000);
    await m.raise({ severity: 'warning', kind: 'data_incomplete', message: 'SPY quotes missing' });
    await m.raise({ severity: 'debug', kind: 'noise', message: 'below min severity' });
    expect(sent).toEqual(['SPY quotes missing', 'SPY quotes missing']);
    expect(log).toHaveLength(4);
  });

  it('should not fail the caller when the webhook keeps failing', async () => {
    const hook = await hookServer([503, 503, 503]);
    const log: string[] = [];
    const m = new AlertManager(cfg, new ManualClock(0), (l) => log.push(l), [new WebhookChannel({ url: hook.url, timeoutMs: 2000, retries: 2, sleep: async () => undefined })], [hook.url]);
    await expect(m.raise({ severity: 'critical', kind: 'x', message: 'y' })).resolves.toEqual({ sent: [], deduplicated: false });
    await hook.close();
    expect(log[1]).toBe('{"alert_delivery_failed":"webhook","error":"webhook alert not delivered after 3 tries (HTTP 503)"}');
  });

  it.each([
    ['https://user:pw@example.invalid/x', 'https://[redacted]@example.invalid/x'],
    ['token=abc123&x=1', 'token=[redacted]&x=1'],
    ['account U7654321', 'account [account]'],
  ])('scrub(%s) = %s', (a, b) => {
    expect(scrub(a)).toBe(b);
  });
});
