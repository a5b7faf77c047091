import { ConfigError } from '../../shared/errors';

/** Which engine role a connection serves: IB allows one client id per live connection. */
export type IbRole = 'worker' | 'executor';

export interface IbConnectionSettings {
  readonly host: string;
  readonly port: number;
  readonly clientId: number;
}

export interface IbFlags {
  readonly ibHost?: string;
  readonly ibPort?: string | number;
  readonly ibClientId?: string | number;
}

/** IB Gateway's paper-trading port: the safe default. */
export const DEFAULT_IB_PORT = 4002;
const DEFAULT_HOST = '127.0.0.1';
/** The executor's id is the worker's + 1 so the two never collide (IB error 326 otherwise). */
const EXECUTOR_OFFSET = 1;

function parseIntField(name: string, raw: string | number, min: number, max: number): number {
  const n = typeof raw === 'number' ? raw : /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError('E_IB_SETTING', `${name} must be a whole number from ${min} to ${max}; got "${String(raw)}"`, { field: name });
  }
  return n;
}

/** Flags win over THETADESK_IB_* environment variables, which win over the defaults. */
export function ibSettings(flags: IbFlags, env: NodeJS.ProcessEnv, role: IbRole): IbConnectionSettings {
  const host = (flags.ibHost ?? env.THETADESK_IB_HOST ?? DEFAULT_HOST).trim();
  if (host === '') throw new ConfigError('E_IB_SETTING', '--ib-host / THETADESK_IB_HOST must not be empty', { field: 'ib_host' });
  const port = parseIntField('--ib-port / THETADESK_IB_PORT', flags.ibPort ?? env.THETADESK_IB_PORT ?? DEFAULT_IB_PORT, 1, 65535);
  const base = parseIntField('--ib-client-id / THETADESK_IB_CLIENT_ID', flags.ibClientId ?? env.THETADESK_IB_CLIENT_ID ?? 0, 0, 999_998);
  return { host, port, clientId: role === 'executor' ? base + EXECUTOR_OFFSET : base };
}

/** Account ids (DU1234567, U7654321, F…) are never logged: masked wherever text leaves the adapter. */
export function redactAccountIds(text: string): string {
  return text.replace(/\b(DU|DF|U|F)\d{4,}\b/g, (m) => `${m.slice(0, m.startsWith('D') ? 2 : 1)}***`);
}
