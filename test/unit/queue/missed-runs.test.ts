import { planCatchUp, type RunLookup } from '../../../engine/queue/missed-runs';
import { shippedConfig } from '../../helpers/config';

const s = shippedConfig().schedules;
const at = (iso: string): number => Date.parse(iso);
const OUTAGE = 'Redis was unreachable';

/** A journal that has runs for exactly these (task, instant) pairs and these daily dependency runs. */
function journal(runs: Array<[string, string]> = [], okDaily: Record<string, string> = {}): RunLookup {
  const have = new Set(runs.map(([t, i]) => `${t}@${at(i)}`));
  return {
    hasRun: (task, ms) => have.has(`${task}@${ms}`),
    okRunOn: (task) => (okDaily[task] ? { scheduled_for: at(okDaily[task] as string) } : null),
  };
}

const names = (xs: ReadonlyArray<{ task: string; scheduled_for: number }>): string[] => xs.map((x) => `${x.task}@${new Date(x.scheduled_for).toISOString().slice(11, 16)}`).sort();

describe('planCatchUp (what an outage made the engine miss, by the misfire rules)', () => {
  describe('when Redis was down across one monitor fire time (11:02–11:07 ET)', () => {
    const plan = planCatchUp(s, at('2026-01-05T16:02:00Z'), at('2026-01-05T16:07:00Z'), journal([['unified_monitor', '2026-01-05T16:00:00Z'], ['collect_option_data', '2026-01-05T16:00:00Z'], ['collect_futures_data', '2026-01-05T16:00:00Z'], ['health_check', '2026-01-05T16:00:00Z']]), OUTAGE);

    it('should run the latest missed run of each task once, as a catch-up job of its own id', () => {
      expect(names(plan.run)).toEqual(['collect_futures_data@16:05', 'collect_option_data@16:05', 'unified_monitor@16:05']);
      expect(plan.run.find((r) => r.task === 'unified_monitor')).toMatchObject({ job_id: `catchup-unified_monitor@${at('2026-01-05T16:05:00Z')}`, delay_ms: 0 });
      expect(plan.missed).toEqual([]);
    });
  });

  describe('when the outage outlasted the misfire grace (11:02–11:23 ET; the monitor has 4 minutes)', () => {
    const plan = planCatchUp(s, at('2026-01-05T16:02:00Z'), at('2026-01-05T16:23:00Z'), journal([['unified_monitor', '2026-01-05T16:00:00Z']]), OUTAGE);
    const monitor = plan.missed.filter((m) => m.task === 'unified_monitor');

    it('should run the latest (11:20, 3 minutes late) once and journal every earlier one missed, superseded', () => {
      expect(names(plan.run.filter((r) => r.task === 'unified_monitor'))).toEqual(['unified_monitor@16:20']);
      expect(names(monitor)).toEqual(['unified_monitor@16:05', 'unified_monitor@16:10', 'unified_monitor@16:15']);
      expect(monitor[0]?.reason).toBe(`${OUTAGE}; superseded by the run due at 2026-01-05T16:20:00.000Z`);
    });
  });

  describe('when even the latest fire time is past its grace', () => {
    const plan = planCatchUp(s, at('2026-01-05T16:02:00Z'), at('2026-01-05T16:09:30Z'), journal(), OUTAGE);

    it('should run nothing of that task and say why the latest was missed', () => {
      expect(plan.run.filter((r) => r.task === 'unified_monitor')).toEqual([]);
      expect(plan.missed.find((m) => m.task === 'unified_monitor' && m.scheduled_for === at('2026-01-05T16:05:00Z'))?.reason).toBe(`${OUTAGE}; the run due at 2026-01-05T16:05:00.000Z is past its misfire grace of 240 s`);
    });
  });

  it.each([
    ['a fire time the journal already has (BullMQ delivered it from a persistent Redis)', journal([['unified_monitor', '2026-01-05T16:05:00Z']]), at('2026-01-05T16:02:00Z')],
    ['a fire time before the process started (BullMQ hands that one over at start)', journal(), at('2026-01-05T16:06:00Z')],
  ])('should not plan %s', (_label, runs, notBefore) => {
    const plan = planCatchUp(s, at('2026-01-05T16:02:00Z'), at('2026-01-05T16:07:00Z'), runs, OUTAGE, notBefore);
    expect(plan.run.filter((r) => r.task === 'unified_monitor')).toEqual([]);
    expect(plan.missed.filter((m) => m.task === 'unified_monitor')).toEqual([]);
  });

  it('should not call a fire time the calendar skips missed (a weekend outage plans nothing for market tasks)', () => {
    const plan = planCatchUp(s, at('2026-01-03T15:00:00Z'), at('2026-01-03T17:00:00Z'), journal(), OUTAGE);
    expect(names(plan.run)).toEqual(['health_check@17:00']);
    expect(names(plan.missed)).toEqual(['health_check@15:00', 'health_check@16:00']);
  });

  describe('when the analysis ran today but its execution (a delayed flow job) was lost with a non-persistent Redis', () => {
    it('should queue execute_strategies under its daily id, delayed to its due time', () => {
      const plan = planCatchUp(s, at('2026-01-05T14:50:00Z'), at('2026-01-05T14:52:00Z'), journal([], { strategy_analysis: '2026-01-05T14:45:00Z' }), OUTAGE);
      expect(plan.run.find((r) => r.task === 'execute_strategies')).toEqual({ task: 'execute_strategies', scheduled_for: at('2026-01-05T15:00:00Z'), job_id: 'execute_strategies@2026-01-05', params: { after: 'strategy_analysis@2026-01-05' }, delay_ms: 8 * 60_000 });
    });

    it('should journal it missed when its grace has passed, and leave it alone when it already ran', () => {
      const late = planCatchUp(s, at('2026-01-05T15:20:00Z'), at('2026-01-05T15:30:00Z'), journal([], { strategy_analysis: '2026-01-05T14:45:00Z' }), OUTAGE);
      expect(late.missed.find((m) => m.task === 'execute_strategies')?.reason).toBe(`${OUTAGE}; the run due at 2026-01-05T15:00:00.000Z after strategy_analysis is past its misfire grace of 600 s`);
      const ran = planCatchUp(s, at('2026-01-05T15:20:00Z'), at('2026-01-05T15:30:00Z'), journal([['execute_strategies', '2026-01-05T15:00:00Z']], { strategy_analysis: '2026-01-05T14:45:00Z' }), OUTAGE);
      expect(ran.run.concat(ran.missed as never).filter((x) => x.task === 'execute_strategies')).toEqual([]);
    });

    it('should plan nothing for it when the analysis did not succeed today', () => {
      const plan = planCatchUp(s, at('2026-01-05T14:50:00Z'), at('2026-01-05T14:52:00Z'), journal(), OUTAGE);
      expect(plan.run.filter((r) => r.task === 'execute_strategies')).toEqual([]);
    });
  });
});
