import { backoffMs, IbReconnector } from '../../../engine/adapters/ib/ib-reconnect';
import { ConfigError } from '../../../engine/shared/errors';

describe('IB reconnect', () => {
  it('doubles its wait from the first delay and stops at the cap', () => {
    const p = { initialMs: 1000, maxMs: 30_000 };
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => backoffMs(p, n))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('keeps trying until the gateway answers, then reports the restore once', async () => {
    const waits: number[] = [];
    let attempts = 0;
    let restored = 0;
    const r = new IbReconnector({
      policy: { initialMs: 10, maxMs: 40 },
      sleep: async (ms) => {
        waits.push(ms);
      },
      connect: async () => {
        attempts += 1;
        if (attempts < 4) throw new Error('ECONNREFUSED');
      },
      onRestored: () => {
        restored += 1;
      },
      log: () => undefined,
    });
    r.start();
    r.start(); // a second loss while reconnecting does not start a second loop
    for (let i = 0; i < 50 && r.active; i++) await new Promise((res) => setImmediate(res));
    expect(waits).toEqual([10, 20, 40, 40]);
    expect(attempts).toBe(4);
    expect(restored).toBe(1);
    expect(r.active).toBe(false);
  });

  it('gives up quietly when stopped (the engine is shutting down)', async () => {
    let attempts = 0;
    const r = new IbReconnector({ sleep: () => new Promise((res) => setImmediate(res)), connect: async () => { attempts += 1; throw new Error('down'); }, onRestored: () => undefined, log: () => undefined });
    r.start();
    await new Promise((res) => setImmediate(res));
    r.stop();
    for (let i = 0; i < 20 && r.active; i++) await new Promise((res) => setImmediate(res));
    expect(r.active).toBe(false);
    expect(attempts).toBeLessThan(5);
  });

  it('stops at once on a refusal retrying cannot fix (client id in use), and says so', async () => {
    let attempts = 0;
    const given: unknown[] = [];
    const r = new IbReconnector({
      sleep: async () => undefined,
      connect: async () => {
        attempts += 1;
        throw new ConfigError('IB_326', 'client id 0 is already used');
      },
      onRestored: () => undefined,
      onGiveUp: (e) => given.push(e),
      log: () => undefined,
    });
    r.start();
    for (let i = 0; i < 50 && r.active; i++) await new Promise((res) => setImmediate(res));
    expect(attempts).toBe(1);
    expect(given).toHaveLength(1);
    expect(r.active).toBe(false);
  });
});
