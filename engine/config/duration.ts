const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `500ms`, `30s`, `15m`, `1h`, `1d` into milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  const ms = Number(m[1]) * (UNIT_MS[m[2]] ?? Number.NaN);
  return Number.isFinite(ms) ? Math.round(ms) : null;
}

/** Parses HH:MM into minutes after midnight; null when malformed. */
export function parseHhmm(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}
