import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../helpers/cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-market-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('when option history is exported and analyzed through the CLI', () => {
  it('should export the sim as CSV and analyze it with --market csv:PATH', async () => {
    const out = path.join(dir, 'spy.csv');
    const e = await run(['export', '--market', 'sim', '--from', '2026-01-05', '--to', '2026-01-05', '--symbols', 'SPY', '--every', '3h', '--out', out]);
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/^wrote .*spy\.csv: \d+ rows, 4 snapshots over 1 trading day\(s\)/);
    const a = await run(['analyze', '--market', `csv:${out}`, '--symbols', 'SPY', '--at', '2026-01-05T17:00:00Z', '--json']);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const r = JSON.parse(a.stdout) as { symbols: Array<{ symbol: string; spot: number }> };
    expect(r.symbols[0]?.symbol).toBe('SPY');
  });

  it('should analyze the shipped example', async () => {
    const a = await run(['analyze', '--market', 'csv:examples/market/spy-week.csv', '--symbols', 'SPY', '--at', '2026-01-07T16:00:00Z']);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^market csv:examples\/market\/spy-week\.csv · 2026-01-07 11:00 ET · VIX \d+\.\d+/);
    expect(a.stdout).toMatch(/\n {2}pick: |No strategies meet execution threshold/);
  });
});

describe('when a CSV has bad rows', () => {
  const file = path.join(dir, 'bad.csv');
  beforeAll(() => {
    const lines = fs.readFileSync('examples/market/spy-week.csv', 'utf8').split('\n').slice(0, 400);
    lines[5] = lines[5]!.replace(/,P,|,C,/, ',Q,');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
  });

  it('should skip them with FILE:LINE on stderr and still analyze', async () => {
    const a = await run(['analyze', '--market', `csv:${file}`, '--symbols', 'SPY', '--at', '2026-01-05T15:00:00Z']);
    expect(a.code).toBe(0);
    expect(a.stderr).toBe(`skipped ${file}:6: right "Q" must be C or P (or call/put)\n1 bad row(s) skipped; --strict rejects a file with any\n`);
  });

  it('should reject the file with --strict (exit 1)', async () => {
    const a = await run(['analyze', '--market', `csv:${file}`, '--strict', '--symbols', 'SPY', '--at', '2026-01-05T15:00:00Z']);
    expect(a.code).toBe(1);
    expect(a.stdout).toBe('');
    expect(a.stderr).toBe(`thetadesk: 1 bad row(s) in ${file} (--strict rejects the file):\n${file}:6: right "Q" must be C or P (or call/put)\n`);
  });

  it('should refuse --market csv: without a file (exit 1)', async () => {
    const a = await run(['analyze', '--market', 'csv:']);
    expect(a.code).toBe(1);
    expect(a.stderr).toBe('thetadesk: --market "csv:" needs a file: csv:PATH\n');
  });
});
