import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookChannel } from '../../../engine/alerts/webhook-channel';
import type { Alert } from '../../../engine/alerts/alert';
import { closedPort } from '../../helpers/cli';

const ALERT = { severity: 'critical', kind: 'test', message: 'x', at: 0 } as Alert;
const send = (url: string, timeoutMs = 2000): Promise<string> =>
  new WebhookChannel({ url, timeoutMs, retries: 1, sleep: async () => undefined }).send(ALERT).then(
    () => 'sent',
    (e: Error) => e.message,
  );

describe('when a webhook alert cannot be delivered', () => {
  it('should name a refused connection, never "(TypeError)", and never the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/hooks/secret-token`;
    const msg = await send(url);
    expect(msg).toBe('webhook alert not delivered after 2 tries (connection refused (ECONNREFUSED))');
  });

  it('should name a timeout', async () => {
    const server = http.createServer(() => undefined); // never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const msg = await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, 200);
      expect(msg).toBe('webhook alert not delivered after 2 tries (timed out after 200 ms)');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('should name an invalid URL without quoting it', async () => {
    const msg = await send('not a url/secret-token');
    expect(msg).toBe('webhook alert not delivered after 2 tries (the webhook URL is not a valid URL (ERR_INVALID_URL))');
  });
});
