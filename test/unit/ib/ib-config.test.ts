import { ibSettings, redactAccountIds } from '../../../engine/adapters/ib/ib-config';

describe('ibSettings', () => {
  it('should default to the paper gateway on loopback', () => {
    expect(ibSettings({}, {}, 'worker')).toEqual({ host: '127.0.0.1', port: 4002, clientId: 0 });
  });

  it('should give the executor a client id distinct from the worker', () => {
    const env = { THETADESK_IB_CLIENT_ID: '7' };
    expect(ibSettings({}, env, 'worker').clientId).toBe(7);
    expect(ibSettings({}, env, 'executor').clientId).toBe(8);
  });

  it('should let flags win over the environment', () => {
    const env = { THETADESK_IB_HOST: '10.0.0.5', THETADESK_IB_PORT: '7497' };
    expect(ibSettings({ ibHost: 'gw.local', ibPort: '4001' }, env, 'worker')).toEqual({ host: 'gw.local', port: 4001, clientId: 0 });
    expect(ibSettings({}, env, 'worker')).toEqual({ host: '10.0.0.5', port: 7497, clientId: 0 });
  });

  it.each([
    [{ ibPort: '40o2' }, '--ib-port / THETADESK_IB_PORT must be a whole number from 1 to 65535; got "40o2"'],
    [{ ibPort: '70000' }, '--ib-port / THETADESK_IB_PORT must be a whole number from 1 to 65535; got "70000"'],
    [{ ibClientId: '-1' }, '--ib-client-id / THETADESK_IB_CLIENT_ID must be a whole number from 0 to 999998; got "-1"'],
    [{ ibHost: ' ' }, '--ib-host / THETADESK_IB_HOST must not be empty'],
  ])('should refuse %j with a ConfigError', (flags, message) => {
    expect(() => ibSettings(flags, {}, 'worker')).toThrow(message);
  });
});

describe('redactAccountIds', () => {
  it('should mask paper and live account ids', () => {
    expect(redactAccountIds('accounts DU1234567,U7654321 ready')).toBe('accounts DU***,U*** ready');
  });

  it('should leave other numbers alone', () => {
    expect(redactAccountIds('order 1234567 at 4002')).toBe('order 1234567 at 4002');
  });
});
