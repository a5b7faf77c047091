import type { AlertsConfig } from '../config/types';
import type { Clock } from '../shared/clock';
import { SEVERITY_RANK, scrub, type Alert, type AlertChannel } from './alert';

export type AlertSink = (line: string) => void;

/**
 * Every alert is logged; those at or above `min_severity` also go to the other channels, once per
 * de-duplication window for identical (kind, message) pairs. A failing channel never fails the
 * caller: delivery problems are logged and the trading path goes on.
 */
export class AlertManager {
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly cfg: AlertsConfig,
    private readonly clock: Clock,
    private readonly log: AlertSink,
    private readonly channels: readonly AlertChannel[],
    private readonly secrets: readonly string[] = [],
    /** Keeps every alert (the journal's alerts table, shown by the dashboard); its failure never stops the alert. */
    private record: ((a: Alert) => void) | null = null,
  ) {}

  /** Sets where alerts are kept (the runtime does, once its journal guard can say when the journal takes writes). */
  keepIn(record: (a: Alert) => void): void {
    this.record = record;
  }

  async raise(a: Omit<Alert, 'at'>): Promise<{ sent: string[]; deduplicated: boolean }> {
    const at = this.clock.now();
    const alert: Alert = { ...a, message: scrub(a.message, this.secrets), at };
    this.log(JSON.stringify({ alert: alert.kind, severity: alert.severity, message: alert.message, at: new Date(at).toISOString() }));
    try {
      this.record?.(alert);
    } catch (e) {
      this.log(JSON.stringify({ alert_not_journaled: alert.kind, error: scrub(e instanceof Error ? e.message : String(e), this.secrets) }));
    }
    if (SEVERITY_RANK[alert.severity] < SEVERITY_RANK[this.cfg.min_severity]) return { sent: [], deduplicated: false };
    const key = `${alert.kind}\u0000${alert.message}`;
    const prev = this.lastSent.get(key);
    if (prev !== undefined && at - prev < this.cfg.dedup_window_ms) return { sent: [], deduplicated: true };
    this.lastSent.set(key, at);
    const sent: string[] = [];
    for (const ch of this.channels) {
      try {
        await ch.send(alert);
        sent.push(ch.name);
      } catch (e) {
        this.log(JSON.stringify({ alert_delivery_failed: ch.name, error: scrub(e instanceof Error ? e.message : String(e), this.secrets) }));
      }
    }
    return { sent, deduplicated: false };
  }
}
