import { entryAudit } from '../../../engine/backtest/backtest-report';
import type { TradeRow } from '../../../engine/backtest/backtest-trades';
import { shippedConfig } from '../../helpers/config';

const trade = (over: Partial<TradeRow>): TradeRow => ({
  position_id: 'p',
  symbol: 'SPY',
  strategy: 'bear_call',
  expiry: '2026-02-27',
  strikes: '-590C +595C',
  quantity: 1,
  entry_time: '2026-01-13T15:00:00Z',
  exit_time: null,
  credit: 1.7,
  exit_debit: null,
  fees: 1.3,
  pnl: null,
  exit_rule: null,
  days_held: 1,
  status: 'open',
  rolled_from: null,
  ...over,
});

describe('entryAudit', () => {
  it('should read the shipped loss cool-down (2 trading days) from the config', () => {
    expect(entryAudit(shippedConfig(), []).loss_cooldown_days).toBe(2);
  });

  it.each([
    ['a loss closed the day before (1 trading day)', [trade({ position_id: 'a', strikes: '-580C +585C', exit_time: '2026-01-14T16:00:00Z', pnl: -50, status: 'closed' }), trade({ position_id: 'b', entry_time: '2026-01-15T15:00:00Z' })], 1, 0],
    ['a loss closed two trading days before', [trade({ position_id: 'a', strikes: '-580C +585C', exit_time: '2026-01-13T16:00:00Z', pnl: -50, status: 'closed' }), trade({ position_id: 'b', entry_time: '2026-01-15T15:00:00Z' })], 0, 0],
    ['a win closed the day before', [trade({ position_id: 'a', strikes: '-580C +585C', exit_time: '2026-01-14T16:00:00Z', pnl: 50, status: 'closed' }), trade({ position_id: 'b', entry_time: '2026-01-15T15:00:00Z' })], 0, 0],
    ['the same legs still open', [trade({ position_id: 'a' }), trade({ position_id: 'b', entry_time: '2026-01-15T15:00:00Z' })], 0, 1],
    ['the same legs closed before', [trade({ position_id: 'a', exit_time: '2026-01-14T16:00:00Z', pnl: 10, status: 'closed' }), trade({ position_id: 'b', entry_time: '2026-01-15T15:00:00Z' })], 0, 0],
    ['a roll (dte_manage) whose close realized a loss, opening the new position at that moment', [trade({ position_id: 'a', strikes: '-580C +585C', exit_time: '2026-01-15T15:00:00Z', pnl: -80, status: 'closed' }), trade({ position_id: 'b', entry_time: '2026-01-15T15:00:00Z', rolled_from: 'a' })], 0, 0],
    ['a fresh entry the day after that roll', [trade({ position_id: 'a', strikes: '-580C +585C', exit_time: '2026-01-15T15:00:00Z', pnl: -80, status: 'closed' }), trade({ position_id: 'b', strikes: '-585C +590C', entry_time: '2026-01-15T15:00:00Z', rolled_from: 'a' }), trade({ position_id: 'c', entry_time: '2026-01-16T15:00:00Z' })], 1, 0],
    ['the same legs on another symbol', [trade({ position_id: 'a', symbol: 'QQQ' }), trade({ position_id: 'b', entry_time: '2026-01-15T15:00:00Z' })], 0, 0],
  ])('should count %s', (_name, trades, cooldown, duplicates) => {
    const a = entryAudit(shippedConfig(), trades);
    expect([a.entries_in_loss_cooldown, a.entries_duplicating_open]).toEqual([cooldown, duplicates]);
  });
});
