import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../helpers/cli';

const CHROMIUM = '/usr/bin/chromium';

interface Doc {
  kind: string;
  version: number;
  from: string;
  to: string;
  seed: number;
  market: string;
  config_hash: string;
  summary: { trading_days: number; trades: number; realized_pnl: number; max_drawdown: number };
  equity: Array<{ date: string; equity: number; drawdown: number }>;
  monthly: Array<{ month: string }>;
  rules: Array<{ rule: string; count: number; total_pnl: number; avg_pnl: number | null; avg_days_held: number | null }>;
  gates: Array<{ gate: string; refused: number }>;
  trades: Array<{ pnl: number | null; status: string }>;
}

describe('thetadesk backtest --out', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-backtest-out-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
  let doc: Doc;

  beforeAll(async () => {
    const r = await run(['backtest', '--from', '2026-01-13', '--to', '2026-01-16', '--out', out, '--json'], { timeoutMs: 180_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    doc = JSON.parse(r.stdout) as Doc;
  }, 200_000);

  it('should print report.json to stdout and write it, trades.csv and report.html', () => {
    expect(JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'))).toEqual(doc);
    expect(doc).toMatchObject({ kind: 'thetadesk-backtest', version: 1, from: '2026-01-13', to: '2026-01-16', seed: 1, market: 'sim' });
    expect(doc.summary.trading_days).toBe(4);
    expect(doc.equity.map((e) => e.date)).toEqual(['2026-01-13', '2026-01-14', '2026-01-15', '2026-01-16']);
    expect(doc.rules).toHaveLength(12);
    expect(doc.rules.reduce((s, r) => s + r.count, 0)).toBe(doc.summary.trades);
    const csv = fs.readFileSync(path.join(out, 'trades.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('entry_time,exit_time,symbol,strategy,expiry,strikes,quantity,credit,exit_debit,fees,pnl,exit_rule,days_held,status,position_id,rolled_from');
    expect(csv).toHaveLength(doc.trades.length + 1);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    // Self-contained: no script, stylesheet or image is fetched (the browser test also watches requests).
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src=/);
  });

  it('should open from disk in chromium with no console errors, draw its charts and show the rule table of report.json', async () => {
    if (!fs.existsSync(CHROMIUM)) {
      console.warn(`SKIPPED: ${CHROMIUM} is not installed (apt-get install chromium) — the report was not checked in a browser`);
      return;
    }
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) errors.push(`network request: ${req.url()}`);
    });
    try {
      await page.goto(`file://${path.join(out, 'report.html')}`);
      await page.waitForSelector('#equity canvas');
      expect(errors).toEqual([]);
      const canvases = await page.$$eval('canvas', (cs) => cs.map((c) => ({ w: c.getBoundingClientRect().width, h: c.getBoundingClientRect().height })));
      expect(canvases.length).toBeGreaterThanOrEqual(3);
      for (const c of canvases) expect(c.w * c.h).toBeGreaterThan(0);
      const rows = await page.$$eval('#rules-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
      expect(rows).toEqual(doc.rules.map((r) => [r.rule, String(r.count), r.total_pnl.toFixed(2), r.avg_pnl === null ? '–' : r.avg_pnl.toFixed(2), r.avg_days_held === null ? '–' : r.avg_days_held.toFixed(1)]));
      const gates = await page.$$eval('#gates-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
      expect(gates).toEqual(doc.gates.map((g) => [g.gate, String(g.refused)]));
    } catch (e) {
      const shot = path.join(os.tmpdir(), `thetadesk-backtest-report-failure-${Date.now()}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
      throw new Error(`${String(e)}\nscreenshot: ${shot}; console: ${JSON.stringify(errors)}`);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('thetadesk backtest with bad input', () => {
  it.each([
    [['--from', '2026-01-16', '--to', '2026-01-13'], 1, '--to 2026-01-13 is before --from 2026-01-16'],
    [['--from', '2026-02-30', '--to', '2026-03-02'], 1, '--from must be a date like 2026-01-05'],
    [['--from', '2026-01-13', '--to', '2026-01-14', '--market', 'ib'], 1, '--market ib is live market data'],
    [['--from', '2026-01-13', '--to', '2026-01-14', '--market', 'nope'], 1, 'unknown --market "nope"'],
    [['--from', '2026-01-13', '--to', '2026-01-14', '--seed', 'x'], 1, '--seed must be a whole number'],
    [['--to', '2026-01-14'], 2, "required option '--from <date>' not specified"],
    [['--from', '2026-01-13', '--to', '2026-01-14', '--bogus'], 2, "unknown option '--bogus'"],
  ])('should exit with one line for %j', async (args, code, message) => {
    const r = await run(['backtest', ...args]);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
