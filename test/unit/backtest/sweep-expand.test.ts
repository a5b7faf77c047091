import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../../engine/config/load-config';
import { combinations, expandSweep } from '../../../engine/backtest/sweep-expand';
import { parseYamlPath, readSweepSpec } from '../../../engine/backtest/sweep-spec';
import { rankRows } from '../../../engine/backtest/sweep-table';
import { REPO_ROOT } from '../../helpers/config';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-sweep-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

function sweepFile(text: string): string {
  const f = path.join(dir, `s${n++}.yaml`);
  fs.writeFileSync(f, text);
  return f;
}

const GRID = `base: ${REPO_ROOT}
backtest: { from: "2026-01-05", to: "2026-01-09", seed: 2, symbols: [SPY] }
grid:
  - name: take_profit
    file: rules/exit.yaml
    path: rules[name=take_profit].conditions.all[0].value
    values: [40, 50, 60]
  - file: strategies.yaml
    path: scoring.min_score
    values: [65, 70, 75]
`;

describe('when a sweep file is read', () => {
  it('should parse paths with list indexes and name selectors', () => {
    expect(parseYamlPath('rules[name=take_profit].conditions.all[0].value')).toEqual([{ key: 'rules' }, { name: 'take_profit' }, { key: 'conditions' }, { key: 'all' }, { index: 0 }, { key: 'value' }]);
    expect(parseYamlPath('scoring..min_score')).toBeNull();
  });

  it('should read the grid, the backtest options and the default ranking', () => {
    const s = readSweepSpec(sweepFile(GRID));
    expect(s.backtest).toEqual({ from: '2026-01-05', to: '2026-01-09', seed: 2, symbols: ['SPY'], market: 'sim' });
    expect(s.grid.map((g) => [g.name, g.values])).toEqual([['take_profit', [40, 50, 60]], ['min_score', [65, 70, 75]]]);
    expect([s.rank_by, s.order]).toEqual(['realized_pnl', 'desc']);
  });

  it('should list every problem with its line and field', () => {
    const f = sweepFile(`backtest: { from: 2026-1-5, to: "2026-01-09", colour: red }
rank_by: luck
grid:
  - file: rules/other.yaml
    path: "a..b"
    values: []
`);
    expect(() => readSweepSpec(f)).toThrow(
      [
        `sweep ${f} is invalid (6 problems):`,
        `${f}:1: backtest.colour: unknown key; backtest has from, to, seed, symbols and market`,
        `${f}:1: backtest.from: must be a date like 2026-01-05`,
        `${f}:2: rank_by: must be one of trading_days, trades, win_rate_pct, realized_pnl, unrealized_pnl, fees, max_drawdown`,
        `${f}:4: grid.0.file: must be one of strategies.yaml, rules/exit.yaml, rules/entry.yaml, schedules.yaml`,
        `${f}:5: grid.0.path: must be a dotted path like scoring.min_score or rules[name=take_profit].conditions.all[0].value`,
        `${f}:6: grid.0.values: must be a non-empty list of numbers, strings or booleans`,
      ].join('\n'),
    );
  });
});

describe('when a sweep is expanded', () => {
  it('should write one linted config per combination with the values set in place', () => {
    const out = path.join(dir, `out${n++}`);
    const v = expandSweep(readSweepSpec(sweepFile(GRID)), out);
    expect(v.map((x) => x.name)).toEqual(combinations([{ name: 'a', values: [1, 2, 3] }, { name: 'b', values: [1, 2, 3] }]).map((_, i) => expect.stringMatching(new RegExp(`^v0${i + 1}-take_profit-`))));
    expect(v[5]?.name).toBe('v06-take_profit-50_min_score-75');
    const cfg = loadConfig(v[5]!.dir);
    expect(cfg.strategies.scoring.min_score).toBe(75);
    expect(fs.readFileSync(path.join(v[5]!.dir, 'rules/exit.yaml'), 'utf8')).toContain('- { fact: profit_pct, operator: greaterThanInclusive, value: 50 }');
    expect(fs.readFileSync(path.join(v[0]!.dir, 'rules/exit.yaml'), 'utf8')).toContain('- { fact: profit_pct, operator: greaterThanInclusive, value: 40 }');
    // Comments and the rest of the file as they were.
    expect(fs.readFileSync(path.join(v[0]!.dir, 'strategies.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(REPO_ROOT, 'strategies.yaml'), 'utf8').replace('min_score: 70', 'min_score: 65'));
    expect(new Set(v.map((x) => x.config_hash)).size).toBe(9);
  });

  it('should refuse a path the base config does not have', () => {
    const f = sweepFile(GRID.replace('scoring.min_score', 'scoring.min_scor'));
    expect(() => expandSweep(readSweepSpec(f), path.join(dir, `out${n++}`))).toThrow(`${f}: grid min_scor: strategies.yaml scoring.min_scor: no key min_scor at scoring`);
  });

  it('should refuse the sweep when a variant fails lint, enqueuing nothing', () => {
    const f = sweepFile(GRID.replace('values: [65, 70, 75]', 'values: [65, 170]'));
    expect(() => expandSweep(readSweepSpec(f), path.join(dir, `out${n++}`))).toThrow(/^3 of 6 variant\(s\) of .* fail lint; nothing was enqueued:\nvariant v02-take_profit-40_min_score-170 \(take_profit=40, min_score=170\) fails lint:\n {2}strategies\.yaml:/);
  });
});

describe('when results are ranked', () => {
  const row = (variant: string, realized: number | null, dd = 0) => ({
    variant,
    params: {},
    config_hash: 'h',
    status: realized === null ? ('failed' as const) : ('completed' as const),
    summary: realized === null ? null : { trading_days: 5, trades: 1, win_rate_pct: 100, realized_pnl: realized, unrealized_pnl: 0, fees: 1, max_drawdown: dd },
    error: realized === null ? 'boom' : null,
    worker: null,
    ms: null,
  });

  it('should put the best first, ties by realized P&L then name, unfinished last and unranked', () => {
    const r = rankRows([row('b', 10), row('x', null), row('a', 10), row('c', 30)], 'realized_pnl', 'desc');
    expect(r.map((x) => [x.rank, x.variant])).toEqual([[1, 'c'], [2, 'a'], [3, 'b'], [null, 'x']]);
    expect(rankRows([row('a', 10, 50), row('b', 5, 20)], 'max_drawdown', 'asc').map((x) => x.variant)).toEqual(['b', 'a']);
  });
});
