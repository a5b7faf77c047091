import { accountMode, guardAccount } from '../../../engine/adapters/ib/ib-account-guard';

describe('the live-account guard', () => {
  it.each([
    ['DU1234567', 'paper'],
    ['DF1234567', 'paper'],
    ['U7654321', 'live'],
    ['F1234567', 'live'],
    ['I1234567', 'live'],
  ])('should see %s as a %s account', (id, mode) => {
    expect(accountMode(id)).toBe(mode);
  });

  describe('when the account is a paper account', () => {
    it('should pass without any permission and label it PAPER, redacted', () => {
      expect(guardAccount(['DU1234567'], undefined, { config: false, flag: false })).toEqual({ id: 'DU1234567', mode: 'paper', label: 'PAPER account DU***' });
    });
  });

  describe('when the account is live', () => {
    it.each([
      [{ config: false, flag: false }, 'strategies.yaml does not say broker.allow_live: true and the command has no --live'],
      [{ config: true, flag: false }, 'the command has no --live'],
      [{ config: false, flag: true }, 'strategies.yaml does not say broker.allow_live: true'],
    ])('should refuse it unless both allow it (%o), saying what is missing and never the account id', (live, missing) => {
      let err: unknown;
      try {
        guardAccount(['U7654321'], undefined, live);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: 'E_LIVE_ACCOUNT', kind: 'config' });
      const msg = (err as Error).message;
      expect(msg).toContain(`refusing LIVE account U***: it is not a paper account (paper accounts start with DU or DF) and ${missing}.`);
      expect(msg).toContain('port 4002');
      expect(msg).not.toContain('7654321');
    });

    it('should pass with both and label it LIVE', () => {
      expect(guardAccount(['U7654321'], undefined, { config: true, flag: true }).label).toBe('LIVE account U***');
    });
  });

  it('should refuse an account the login does not manage, and a login with none', () => {
    expect(() => guardAccount(['DU1234567'], 'DU7777777', { config: false, flag: false })).toThrow(/not managed by this login/);
    expect(() => guardAccount([], undefined, { config: false, flag: false })).toThrow(/no managed account/);
  });

  it('should pick the named account among several', () => {
    expect(guardAccount(['DU1111111', 'U2222222'], 'U2222222', { config: true, flag: true }).mode).toBe('live');
    expect(guardAccount(['U2222222', 'DU1111111'], 'DU1111111', { config: false, flag: false }).mode).toBe('paper');
  });
});
