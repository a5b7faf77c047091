import type { Severity } from '../config/types';

export interface Alert {
  readonly severity: Severity;
  /** Stable kind for de-duplication, e.g. `risk_refusal`, `data_incomplete`. */
  readonly kind: string;
  readonly message: string;
  readonly at: number;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What raising an alert needs (the AlertManager, or a test double): `at` is stamped by the raiser. */
export interface AlertRaiser {
  raise(alert: Omit<Alert, 'at'>): Promise<unknown>;
}

export interface AlertChannel {
  readonly name: string;
  send(alert: Alert): Promise<void>;
}

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { debug: 0, info: 1, warning: 2, error: 3, critical: 4 };

/** Removes secrets from text leaving the engine: account ids, URLs' credentials and tokens, known secret values. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 6) out = out.split(s).join('[redacted]');
  return out
    .replace(/\b(DU|DF|U|F)\d{4,}\b/g, '[account]')
    .replace(/(https?:\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1[redacted]@')
    .replace(/(hooks\.slack\.com\/services\/)[^\s"]+/g, '$1[redacted]')
    .replace(/\b(token|password|secret|apikey|api_key)=([^\s&]+)/gi, '$1=[redacted]');
}
