import { nextDailyAt } from '../../../engine/testkit/ib-gateway/daily-restart';

describe('the fake gateway’s daily restart time', () => {
  it.each([
    ['before it, same evening', '2026-01-06T20:00:00Z', '23:45', '2026-01-07T04:45:00.000Z'],
    ['just after it, the next day', '2026-01-07T04:46:00Z', '23:45', '2026-01-08T04:45:00.000Z'],
    ['on the spring-forward day (EDT after)', '2026-03-08T12:00:00Z', '23:45', '2026-03-09T03:45:00.000Z'],
  ])('%s: from %s at %s ET → %s', (_label, from, at, expected) => {
    expect(new Date(nextDailyAt(Date.parse(from), at)).toISOString()).toBe(expected);
  });

  it('should refuse a time that is not HH:MM', () => {
    expect(() => nextDailyAt(0, '7pm')).toThrow('daily restart time must be HH:MM, got "7pm"');
  });
});
