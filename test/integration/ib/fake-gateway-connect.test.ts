import { EventName, IBApi, type Contract, type ContractDetails, SecType, OptionType } from '@stoqey/ib';
import { FakeGateway } from '../../../engine/testkit/ib-gateway/fake-gateway';

/** Resolves with the event's arguments, or rejects after `ms` so a broken protocol never hangs CI. */
function nextEvent<T extends unknown[]>(api: IBApi, event: EventName, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    api.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args as T);
    });
  });
}

describe('the fake IB gateway with the real @stoqey/ib client over loopback', () => {
  let gateway: FakeGateway;
  let port: number;
  let api: IBApi;

  beforeEach(async () => {
    gateway = new FakeGateway({ accounts: ['DU1234567'], firstOrderId: 1001, now: () => Date.parse('2026-11-25T15:00:00Z') });
    port = await gateway.listen(0);
    api = new IBApi({ host: '127.0.0.1', port });
  });

  afterEach(async () => {
    api.disconnect();
    await gateway.close();
  });

  describe('when the client connects', () => {
    it('should complete the handshake and receive the next order id and the accounts', async () => {
      const ids = nextEvent<[number]>(api, EventName.nextValidId);
      const accounts = nextEvent<[string]>(api, EventName.managedAccounts);
      api.connect(11);
      expect((await ids)[0]).toBe(1001);
      expect((await accounts)[0]).toBe('DU1234567');
      expect(api.serverVersion).toBe(157);
      const startApi = gateway.received.find((m) => m[0] === '71');
      expect(startApi?.[2]).toBe('11');
    });

    it('should answer a current-time request with the simulated clock', async () => {
      const ready = nextEvent(api, EventName.nextValidId);
      api.connect(1);
      await ready;
      const time = nextEvent<[number]>(api, EventName.currentTime);
      api.reqCurrentTime();
      expect((await time)[0]).toBe(Date.parse('2026-11-25T15:00:00Z') / 1000);
    });
  });

  describe('when the gateway drops the connection', () => {
    it('should be seen as a disconnect, and a reconnect should start a fresh API session', async () => {
      const ready = nextEvent(api, EventName.nextValidId);
      api.connect(3);
      await ready;
      const lost = nextEvent(api, EventName.disconnected);
      gateway.dropAll();
      await lost;
      const again = nextEvent<[number]>(api, EventName.nextValidId);
      api.connect(3);
      expect((await again)[0]).toBe(1001);
      expect(gateway.connectedClients).toBe(1);
    });

    it('should drop after N client messages when asked (fault injection)', async () => {
      const ready = nextEvent(api, EventName.nextValidId);
      api.connect(4);
      await ready;
      gateway.dropAfter(1);
      const lost = nextEvent(api, EventName.disconnected);
      api.reqCurrentTime();
      await lost;
    });
  });

  describe('when the gateway reports connectivity codes', () => {
    it('should deliver 1100 (no request id) as an info notice carrying its code', async () => {
      const ready = nextEvent(api, EventName.nextValidId);
      api.connect(5);
      await ready;
      const info = nextEvent<[string, number]>(api, EventName.info);
      gateway.broadcastError(1100, 'Connectivity between IB and Trader Workstation has been lost.');
      const [message, code] = await info;
      expect(code).toBe(1100);
      expect(message).toBe('Connectivity between IB and Trader Workstation has been lost.');
    });

    it('should deliver a request-bound error (e.g. 200) as an error with its request id', async () => {
      const ready = nextEvent(api, EventName.nextValidId);
      api.connect(6);
      await ready;
      const err = nextEvent<[Error, number, number]>(api, EventName.error);
      gateway.broadcastError(200, 'No security definition has been found for the request', 42);
      const [e, code, reqId] = await err;
      expect([code, reqId]).toEqual([200, 42]);
      expect(e.message).toContain('No security definition');
    });
  });
});

describe('contract details from the fake gateway', () => {
  let gateway: FakeGateway;
  let api: IBApi;

  beforeAll(async () => {
    gateway = new FakeGateway();
    const port = await gateway.listen(0);
    api = new IBApi({ host: '127.0.0.1', port });
    const ready = nextEvent(api, EventName.nextValidId);
    api.connect(21);
    await ready;
  });

  afterAll(async () => {
    api.disconnect();
    await gateway.close();
  });

  function details(reqId: number, contract: Contract): Promise<ContractDetails[]> {
    return new Promise((resolve, reject) => {
      const out: ContractDetails[] = [];
      const timer = setTimeout(() => reject(new Error('no contractDetailsEnd')), 5000);
      const onDetails = (id: number, d: ContractDetails): void => {
        if (id === reqId) out.push(d);
      };
      const onEnd = (id: number): void => {
        if (id !== reqId) return;
        clearTimeout(timer);
        api.off(EventName.contractDetails, onDetails);
        api.off(EventName.contractDetailsEnd, onEnd);
        resolve(out);
      };
      const onError = (_e: Error, code: number, id: number): void => {
        if (id !== reqId) return;
        clearTimeout(timer);
        reject(Object.assign(new Error(`IB ${code}`), { code }));
      };
      api.on(EventName.contractDetails, onDetails);
      api.on(EventName.contractDetailsEnd, onEnd);
      api.on(EventName.error, onError);
      api.reqContractDetails(reqId, contract);
    });
  }

  it('should resolve SPY the stock with its conId and primary exchange', async () => {
    const [d] = await details(101, { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' });
    expect(d?.contract).toMatchObject({ symbol: 'SPY', secType: 'STK', conId: 756733, primaryExch: 'ARCA', currency: 'USD' });
    expect(d?.longName).toBe('SPDR S&P 500 ETF TRUST');
  });

  it('should resolve one SPY put with a stable conId and its underlying', async () => {
    const q: Contract = { symbol: 'SPY', secType: SecType.OPT, lastTradeDateOrContractMonth: '20270115', strike: 550, right: OptionType.Put, exchange: 'SMART', currency: 'USD', multiplier: 100 };
    const [a] = await details(102, q);
    const [b] = await details(103, q);
    expect(a?.contract).toMatchObject({ symbol: 'SPY', secType: 'OPT', strike: 550, right: 'P', lastTradeDateOrContractMonth: '20270115', multiplier: 100 });
    expect(a?.contract.conId).toBe(b?.contract.conId);
    expect(a?.underConId).toBe(756733);
  });

  it('should answer an unknown symbol with IB error 200', async () => {
    await expect(details(104, { symbol: 'NOPE', secType: SecType.STK, exchange: 'SMART', currency: 'USD' })).rejects.toMatchObject({ code: 200 });
  });
});
