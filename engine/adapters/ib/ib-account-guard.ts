import { ConfigError } from '../../shared/errors';
import { redactAccountIds } from './ib-config';

export type AccountMode = 'paper' | 'live';

/** What allows trading a live account: both the config (broker.allow_live) and the command (--live). */
export interface LivePermission {
  readonly config: boolean;
  readonly flag: boolean;
}

export interface GuardedAccount {
  /** The account orders go to (never logged: see `label`). */
  readonly id: string;
  readonly mode: AccountMode;
  /** "PAPER account DU***" / "LIVE account U***": what every start prints. */
  readonly label: string;
}

/** IB paper-trading accounts are the D-prefixed ones (DU individual, DF advisor); live ones are not. */
export function accountMode(id: string): AccountMode {
  return /^D[A-Z]*\d/.test(id.trim()) ? 'paper' : 'live';
}

/**
 * Picks the account and refuses a live one unless both the config and the command allow it: the
 * port decides nothing (4001/7496 by mistake is exactly what this guards against), the account does.
 */
export function guardAccount(accounts: readonly string[], wanted: string | undefined, live: LivePermission): GuardedAccount {
  if (accounts.length === 0) throw new ConfigError('E_IB_NO_ACCOUNT', 'TWS / IB Gateway reported no managed account: log in to an account before starting');
  const id = wanted ?? accounts[0] ?? '';
  if (wanted !== undefined && !accounts.includes(wanted)) {
    throw new ConfigError('E_IB_ACCOUNT', `account ${redactAccountIds(wanted)} is not managed by this login (it manages ${accounts.map(redactAccountIds).join(', ')})`);
  }
  const mode = accountMode(id);
  const label = `${mode === 'paper' ? 'PAPER' : 'LIVE'} account ${redactAccountIds(id)}`;
  if (mode === 'live' && !(live.config && live.flag)) {
    const missing = [!live.config && 'strategies.yaml does not say broker.allow_live: true', !live.flag && 'the command has no --live'].filter(Boolean).join(' and ');
    throw new ConfigError(
      'E_LIVE_ACCOUNT',
      `refusing ${label}: it is not a paper account (paper accounts start with DU or DF) and ${missing}. To trade it, set broker.allow_live: true in strategies.yaml and start with --live; to paper trade, connect to the paper login (IB Gateway port 4002, TWS 7497)`,
    );
  }
  return { id, mode, label };
}
