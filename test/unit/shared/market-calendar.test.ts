import { earlyCloses, holidays, isMarketOpen, isTradingDay, nextTradingDay, session } from '../../../engine/shared/market-calendar';

// NYSE's published holiday and early-close schedules.
const PUBLISHED: Record<number, { holidays: string[]; early: string[] }> = {
  2025: {
    holidays: ['2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25'],
    early: ['2025-07-03', '2025-11-28', '2025-12-24'],
  },
  2026: {
    holidays: ['2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25'],
    early: ['2026-11-27', '2026-12-24'],
  },
  2027: {
    holidays: ['2027-01-01', '2027-01-18', '2027-02-15', '2027-03-26', '2027-05-31', '2027-06-18', '2027-07-05', '2027-09-06', '2027-11-25', '2027-12-24'],
    early: ['2027-11-26'],
  },
  2028: {
    // New Year's Day 2028 is a Saturday: NYSE does not close on Friday 2027-12-31.
    holidays: ['2028-01-17', '2028-02-21', '2028-04-14', '2028-05-29', '2028-06-19', '2028-07-04', '2028-09-04', '2028-11-23', '2028-12-25'],
    early: ['2028-07-03', '2028-11-24'],
  },
};

describe('the NYSE calendar', () => {
  it.each(Object.keys(PUBLISHED).map(Number))('should match the published %i holidays and early closes', (y) => {
    expect(holidays(y)).toEqual(PUBLISHED[y]?.holidays);
    expect(earlyCloses(y)).toEqual(PUBLISHED[y]?.early);
  });

  it('should keep 2027-12-31 a trading day (no Friday observance of a Saturday New Year)', () => {
    expect(isTradingDay('2027-12-31')).toBe(true);
  });

  it.each([
    ['2026-11-27T17:59:00Z', true], // 12:59 ET on the early close after Thanksgiving
    ['2026-11-27T18:00:00Z', false], // 13:00 ET: closed
    ['2026-11-26T15:00:00Z', false], // Thanksgiving
    ['2026-11-24T14:29:00Z', false], // 09:29 ET
    ['2026-11-24T14:30:00Z', true], // 09:30 ET
    ['2026-11-24T20:59:00Z', true], // 15:59 ET
    ['2026-11-24T21:00:00Z', false], // 16:00 ET
    ['2026-03-09T13:30:00Z', true], // 09:30 EDT, the Monday after the DST change
    ['2026-03-06T14:29:00Z', false], // 09:29 EST, the Friday before
    ['2026-11-28T15:00:00Z', false], // Saturday
  ])('should say the market open at %s is %s', (t, open) => {
    expect(isMarketOpen(Date.parse(t))).toBe(open);
  });

  it('should give the session and the next trading day', () => {
    expect(session('2026-12-24')).toEqual({ date: '2026-12-24', open_ms: Date.parse('2026-12-24T14:30:00Z'), close_ms: Date.parse('2026-12-24T18:00:00Z'), early_close: true });
    expect(session('2026-12-25')).toBeNull();
    expect(nextTradingDay('2026-12-24')).toBe('2026-12-28');
    expect(nextTradingDay('2026-07-02')).toBe('2026-07-06');
  });
});
