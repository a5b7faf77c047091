import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The token actions need: THETADESK_DASHBOARD_TOKEN, or one made now (printed once at start). */
export function dashboardToken(env: NodeJS.ProcessEnv = process.env): { token: string; generated: boolean } {
  const t = env.THETADESK_DASHBOARD_TOKEN?.trim();
  if (t) return { token: t, generated: false };
  return { token: randomBytes(24).toString('base64url'), generated: true };
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts where pages may be read without the token. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * The token the request carries: `Authorization: Bearer T` or `X-Thetadesk-Token: T`. Only
 * headers: a token in a URL ends up in logs and history, and a cookie is sent by any page that
 * links here (cross-site requests), so neither is ever read.
 */
export function tokenOf(headers: Readonly<Record<string, string | string[] | undefined>>): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
    if (m) return m[1] ?? null;
  }
  const x = headers['x-thetadesk-token'];
  return typeof x === 'string' && x.trim() ? x.trim() : null;
}

/** Compares in constant time (a wrong token's length and prefix tell nothing). */
export function tokenMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
