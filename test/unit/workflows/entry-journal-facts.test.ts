import type { OrderIntent } from '../../../engine/model/order-intent';
import type { PositionLeg } from '../../../engine/model/leg';
import { exchangeInstant } from '../../../engine/shared/exchange-time';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { openJournal, type Db } from '../../../engine/store/journal';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { entryJournalFacts, legsKey } from '../../../engine/workflows/entry-journal-facts';

const LEGS: PositionLeg[] = [
  { right: 'C', strike: 600, expiry: '2026-05-15', action: 'SELL', ratio: 1, con_id: null },
  { right: 'C', strike: 605, expiry: '2026-05-15', action: 'BUY', ratio: 1, con_id: null },
];
const OTHER: PositionLeg[] = LEGS.map((l) => ({ ...l, strike: l.strike + 1 }));

function open(db: Db, id: string, symbol: string, legs: PositionLeg[], at: number): void {
  new PositionsRepo(db).open({ id, opened_by_intent: `i-${id}`, symbol, strategy: 'bear_call', legs, quantity: 1, entry_credit: 1.6, entry_iv: 0.15, entry_vix: 16, entry_time: at, entry_deltas: [0.3, -0.2] });
}

function intent(id: string, symbol: string, legs: PositionLeg[]): OrderIntent {
  return { id, kind: 'open', position_id: `pos-${id}`, symbol, strategy: 'bear_call', legs: legs.map((l) => ({ ...l, symbol })), quantity: 1, urgency: 'normal', width: 5, context: { entry_iv: 0.15, entry_vix: 16 }, config_hash: 'h' };
}

describe('when the entry gates read the journal', () => {
  let db: Db;
  beforeEach(() => {
    db = openJournal(':memory:');
  });
  afterEach(() => db.close());

  it('should count NYSE trading days since the last losing exit on the symbol, over weekends and holidays', () => {
    open(db, 'p1', 'QQQ', LEGS, exchangeInstant('2026-03-30', '10:00'));
    // Closed at a loss on Thursday 2026-04-02; Friday 04-03 is Good Friday.
    new PositionsRepo(db).close('p1', exchangeInstant('2026-04-02', '11:00'), -250);
    const days = (date: string): number | null => entryJournalFacts(db, 'QQQ', OTHER, exchangeInstant(date, '10:00')).trading_days_since_losing_exit;
    expect(days('2026-04-02')).toBe(0);
    expect(days('2026-04-03')).toBe(0);
    expect(days('2026-04-06')).toBe(1);
    expect(days('2026-04-07')).toBe(2);
    // Another symbol's loss is not this one's.
    expect(entryJournalFacts(db, 'SPY', LEGS, exchangeInstant('2026-04-02', '12:00')).trading_days_since_losing_exit).toBeNull();
  });

  it('should not count a profitable exit, and count only the latest loss', () => {
    open(db, 'p1', 'QQQ', LEGS, exchangeInstant('2026-03-02', '10:00'));
    new PositionsRepo(db).close('p1', exchangeInstant('2026-03-03', '11:00'), -80);
    open(db, 'p2', 'QQQ', OTHER, exchangeInstant('2026-03-09', '10:00'));
    new PositionsRepo(db).close('p2', exchangeInstant('2026-03-10', '11:00'), 120);
    expect(entryJournalFacts(db, 'QQQ', LEGS, exchangeInstant('2026-03-11', '10:00')).trading_days_since_losing_exit).toBe(6);
  });

  it('should find an open position or a working opening order with the same legs, in any leg order', () => {
    open(db, 'p1', 'SPY', LEGS, exchangeInstant('2026-03-02', '10:00'));
    const at = exchangeInstant('2026-03-04', '10:00');
    expect(entryJournalFacts(db, 'SPY', [...LEGS].reverse(), at)).toMatchObject({ open_positions_for_symbol: 1, open_positions_same_legs: 1 });
    expect(entryJournalFacts(db, 'SPY', OTHER, at).open_positions_same_legs).toBe(0);
    expect(entryJournalFacts(db, 'QQQ', LEGS, at).open_positions_same_legs).toBe(0);
    new IntentsRepo(db).create(intent('i-working', 'SPY', OTHER), exchangeInstant('2026-03-03', '10:00'));
    expect(entryJournalFacts(db, 'SPY', OTHER, at).open_positions_same_legs).toBe(1);
    new PositionsRepo(db).close('p1', at, 10);
    expect(entryJournalFacts(db, 'SPY', LEGS, at).open_positions_same_legs).toBe(0);
    expect(legsKey(LEGS)).toBe(legsKey([...LEGS].reverse()));
  });

  it.each([
    ['pending', 1],
    ['working', 1],
    ['filled', 1],
    ['partially_filled', 1],
    ['unfilled', 0],
    ['cancelled', 0],
    ['rejected', 0],
  ] as const)("should count today's opening order that is %s as %d entries", (status, n) => {
    const intents = new IntentsRepo(db);
    intents.create(intent('i1', 'IWM', LEGS), exchangeInstant('2026-03-04', '10:00'));
    // Along the lifecycle: sent (working) first, then the outcome.
    if (status !== 'pending') intents.setStatus('i1', 'working', null, exchangeInstant('2026-03-04', '10:01'));
    intents.setStatus('i1', status, null, exchangeInstant('2026-03-04', '10:05'));
    expect(entryJournalFacts(db, 'IWM', OTHER, exchangeInstant('2026-03-04', '14:00')).entries_today_for_symbol).toBe(n);
    // Yesterday's entries are not today's.
    expect(entryJournalFacts(db, 'IWM', OTHER, exchangeInstant('2026-03-05', '10:00')).entries_today_for_symbol).toBe(0);
  });
});
