import { DateTime } from 'luxon';

/** The zone the fake TWS is "logged in" from: IB reads zone-less times in the login's zone. */
const LOGIN_ZONE = 'America/New_York';

/** Execution.time as recent TWS versions write it: "yyyymmdd hh:mm:ss US/Eastern". */
export function formatExecTime(ms: number): string {
  return `${DateTime.fromMillis(ms, { zone: LOGIN_ZONE }).toFormat('yyyyMMdd HH:mm:ss')} US/Eastern`;
}

/**
 * ExecutionFilter.time → epoch ms. IB accepts "yyyymmdd-hh:mm[:ss]" as UTC and "yyyymmdd hh:mm[:ss]
 * [Zone]" in the named zone or the login's. '' means no time filter (0); anything else is null so the
 * request can be refused instead of silently returning everything.
 */
export function parseExecFilterTime(s: string): number | null {
  const t = s.trim();
  if (t === '') return 0;
  const m = /^(\d{8})(?:([- ])\s*(\d{2}:\d{2})(:\d{2})?(?:\s+(\S+))?)?$/.exec(t);
  if (!m || m[1] === undefined) return null;
  const utc = m[2] === '-';
  if (utc && m[5] !== undefined) return null;
  const zone = utc ? 'utc' : (m[5] ?? LOGIN_ZONE);
  const dt = DateTime.fromFormat(`${m[1]} ${m[3] ?? '00:00'}${m[4] ?? ':00'}`, 'yyyyMMdd HH:mm:ss', { zone });
  return dt.isValid ? dt.toMillis() : null;
}
