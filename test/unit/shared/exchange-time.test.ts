import { calendarDaysBetween, dteAt, exchangeDate, exchangeInstant, exchangeMinuteOfDay } from '../../../engine/shared/exchange-time';
import { ManualClock } from '../../../engine/shared/clock';

describe('exchange time', () => {
  describe('when an instant is late evening in New York but past midnight UTC', () => {
    it('should give the New York calendar date', () => {
      expect(exchangeDate(Date.parse('2026-03-03T03:00:00Z'))).toBe('2026-03-02');
    });
  });

  it.each([
    ['2026-03-06', '09:30', '2026-03-06T14:30:00.000Z'], // EST, before the DST change
    ['2026-03-09', '09:30', '2026-03-09T13:30:00.000Z'], // EDT, after 2026-03-08
    ['2026-11-02', '16:00', '2026-11-02T21:00:00.000Z'], // EST again after 2026-11-01
  ])('should place %s %s ET at %s', (date, hhmm, iso) => {
    expect(new Date(exchangeInstant(date, hhmm)).toISOString()).toBe(iso);
  });

  it('should count minutes after exchange midnight', () => {
    expect(exchangeMinuteOfDay(exchangeInstant('2026-07-01', '09:45'))).toBe(585);
  });

  it.each([
    ['2026-01-02', '2026-02-20', 49],
    ['2026-03-01', '2026-03-31', 30], // across the DST change: calendar days, not 24h blocks
    ['2026-05-15', '2026-05-15', 0],
  ])('should count calendar days from %s to %s as %i', (a, b, n) => {
    expect(calendarDaysBetween(a, b)).toBe(n);
  });

  it('should compute DTE from the exchange date of the clock', () => {
    const clock = new ManualClock('2026-03-03T03:00:00Z'); // 22:00 ET on 2026-03-02
    expect(dteAt('2026-03-20', clock.now())).toBe(18);
  });
});
