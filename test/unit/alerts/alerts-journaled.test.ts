import { AlertManager } from '../../../engine/alerts/alert-manager';
import { ManualClock } from '../../../engine/shared/clock';
import { AlertsRepo } from '../../../engine/store/alerts-repo';
import { openJournal } from '../../../engine/store/journal';
import { shippedConfig } from '../../helpers/config';

const cfg = shippedConfig().strategies.alerts;

describe('alerts kept in the journal', () => {
  it('should keep every alert, de-duplicated or below the channels’ severity too, scrubbed of account ids', async () => {
    const db = openJournal(':memory:');
    const repo = new AlertsRepo(db);
    const m = new AlertManager(cfg, new ManualClock(1_000), () => undefined, [], [], (a) => repo.record(a));
    await m.raise({ severity: 'warning', kind: 'risk_refusal', message: 'refused on DU1234567' });
    await m.raise({ severity: 'warning', kind: 'risk_refusal', message: 'refused on DU1234567' });
    await m.raise({ severity: 'debug', kind: 'note', message: 'quiet' });
    expect(repo.latest(10).map((a) => `${a.kind} ${a.severity} ${a.message} ${a.at}`)).toEqual(['note debug quiet 1000', 'risk_refusal warning refused on [account] 1000', 'risk_refusal warning refused on [account] 1000']);
    db.close();
  });

  it('should still raise (log and send) when the journal cannot keep it, and say so in the log', async () => {
    const log: string[] = [];
    const sent: string[] = [];
    const m = new AlertManager(cfg, new ManualClock(0), (l) => log.push(l), [{ name: 'memory', send: async (a) => void sent.push(a.message) }], [], () => {
      throw new Error('disk I/O error');
    });
    await m.raise({ severity: 'error', kind: 'journal', message: 'write failed' });
    expect(sent).toEqual(['write failed']);
    expect(log.some((l) => l.includes('alert_not_journaled') && l.includes('disk I/O error'))).toBe(true);
  });
});
