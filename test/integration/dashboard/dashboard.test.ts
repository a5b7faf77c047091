import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { Redis } from 'ioredis';
import { connectRedis, closeRedis } from '../../../engine/queue/redis-connection';
import { removeQueues } from '../../../engine/queue/remove-queues';
import { ManualClock } from '../../../engine/shared/clock';
import { openJournal } from '../../../engine/store/journal';
import { run } from '../../helpers/cli';
import { twoDayDemo, type DemoFixture } from '../../helpers/demo-fixture';
import { runtimeEngine } from '../../helpers/runtime-engine';
import { startDashboard, type DashboardProcess } from './dashboard-process';

const CHROMIUM = '/usr/bin/chromium';

/** The status of GET PATH sent byte for byte. */
const rawStatus = (base: string, p: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const u = new URL(base);
    http.get({ host: u.hostname, port: u.port, path: p }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) process.stderr.write(`dashboard browser tests SKIPPED: ${CHROMIUM} is missing (apt-get install chromium; .ci/run does)\n`);
const suite = haveChromium ? describe : describe.skip;

/** Day 3 of the demo, 10:30 New York: the market is open, today has no analysis yet and nothing was entered. */
const AT = '2026-01-15T15:30:00Z';
const TOKEN = `test-token-${process.pid}`;
const PAGES = ['/', '/positions', '/candidates', '/decisions', '/orders', '/backtests', '/queues'];

suite('thetadesk dashboard in a real browser', () => {
  let demo: DemoFixture;
  let dash: DashboardProcess;
  let browser: Browser;
  let page: Page;
  let redis: Redis;
  const prefix = `td-dash-${process.pid}`;
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-dashboard-shots-'));
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    demo = await twoDayDemo();
    redis = await connectRedis();
    const backtests = path.join(demo.dir, 'backtests');
    fs.mkdirSync(path.join(backtests, 'run-1'), { recursive: true });
    fs.writeFileSync(path.join(backtests, 'run-1', 'report.html'), '<!doctype html><title>report</title><h1 id="report">backtest report</h1>');
    fs.writeFileSync(path.join(demo.dir, 'secret.txt'), 'outside the backtests folder');
    dash = await startDashboard(['--journal', demo.journal, '--paper-state', demo.paperState, '--at', AT, '--prefix', prefix, '--backtests', backtests], { ...process.env, THETADESK_DASHBOARD_TOKEN: TOKEN });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await dash?.stop();
    if (redis) {
      await removeQueues(redis, prefix);
      closeRedis(redis);
    }
    demo?.remove();
  }, 60_000);

  /** Runs a step; when it fails, every page's screenshot goes to a temp folder whose path is printed. */
  const step = async (name: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (e) {
      await page.screenshot({ path: path.join(shots, `${name}-current.png`), fullPage: true }).catch(() => undefined);
      for (const p of PAGES) {
        await page.goto(dash.url + p.slice(1)).catch(() => undefined);
        await page.screenshot({ path: path.join(shots, `${name}${p === '/' ? '-overview' : p.replace(/\//g, '-')}.png`), fullPage: true }).catch(() => undefined);
      }
      process.stderr.write(`dashboard test "${name}" failed: screenshots in ${shots}\ndashboard output:\n${dash.output()}\n`);
      throw e;
    }
  };

  const cliJson = async (args: string[]): Promise<unknown> => {
    const r = await run(args, { timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`thetadesk ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };

  it('should load every page without console errors', async () => {
    await step('pages', async () => {
      for (const p of PAGES) {
        const res = await page.goto(dash.url + p.slice(1), { waitUntil: 'load' });
        expect(res?.status()).toBe(200);
        await page.waitForSelector(p === '/queues' ? 'text=orders' : 'main h1');
      }
      await page.waitForTimeout(500);
      expect(consoleErrors).toEqual([]);
    });
  }, 60_000);

  it('should show the positions `thetadesk positions --json` prints, each with the winning rule `journal decisions --json` names', async () => {
    await step('positions', async () => {
      const printed = (await cliJson(['positions', '--journal', demo.journal, '--paper-state', demo.paperState, '--at', AT, '--json'])) as { positions: Array<{ position: { id: string; entry_credit: number }; close_cost: number | null; unrealized_pnl: number | null }> };
      await page.goto(`${dash.url}positions`);
      const rows = await page.$$eval('#positions tbody tr', (trs) => trs.map((tr) => ({ id: tr.getAttribute('data-position-id'), credit: tr.getAttribute('data-credit'), close: tr.getAttribute('data-close-cost'), pnl: tr.getAttribute('data-unrealized') })));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows).toEqual(printed.positions.map((p) => ({ id: p.position.id, credit: String(p.position.entry_credit), close: p.close_cost === null ? '' : String(p.close_cost), pnl: p.unrealized_pnl === null ? '' : String(p.unrealized_pnl) })));

      const decisions = (await cliJson(['journal', 'decisions', '--journal', demo.journal, '--json'])) as Array<{ kind: string; subject: string; rule: string | null }>;
      const lastRule = new Map<string, string>();
      for (const d of decisions) if (d.kind === 'exit') lastRule.set(d.subject, d.rule ?? '');
      const shown = await page.$$eval('section.pos-card', (cards) => cards.map((c) => ({ id: c.getAttribute('data-position-id'), winner: c.querySelector('.winner-rule')?.getAttribute('data-winner') ?? null })));
      expect(shown.length).toBeGreaterThan(rows.length);
      for (const s of shown) expect(s.winner).toBe(lastRule.get(s.id ?? ''));
      // The closed position's trace: take_profit won, and each rule above it is listed with the facts that kept it from firing.
      const closed = shown.find((s) => s.winner !== '');
      expect(closed?.winner).toBe('take_profit');
      const above = await page.$$eval(`section[data-position-id="${closed?.id}"] tr.above`, (trs) => trs.map((tr) => tr.textContent ?? ''));
      expect(above.length).toBe(7);
      expect(above[0]).toContain('underlying_change_1h_pct');
    });
  }, 90_000);

  it('should show a day\'s candidates with their entry, filtered decisions, and orders with their walks', async () => {
    await step('journal-pages', async () => {
      await page.goto(`${dash.url}candidates?date=2026-01-14`);
      const symbols = await page.$$eval('section[data-symbol]', (ss) => ss.map((s) => ({ symbol: s.getAttribute('data-symbol'), picks: s.querySelectorAll('table.candidates b').length, text: s.textContent ?? '' })));
      expect(symbols.map((s) => s.symbol)).toEqual(['SPY', 'QQQ', 'IWM']);
      // Day 2 of the demo: SPY and QQQ entered, IWM was refused by its gates (the demo's own output says which).
      expect(symbols[0]?.text).toContain('became order');
      expect(await page.textContent('section[data-symbol="IWM"] .refused-by')).toContain('min_credit');
      await page.goto(`${dash.url}decisions?rule=take_profit`);
      const rules = await page.$$eval('#decisions tbody tr .rule', (rs) => rs.map((r) => r.textContent));
      expect(rules.length).toBeGreaterThan(0);
      expect(new Set(rules)).toEqual(new Set(['take_profit']));
      await page.goto(`${dash.url}orders?kind=open&status=filled`);
      const walks = await page.$$eval('section[data-intent-id]', (ss) => ss.map((s) => ({ steps: s.querySelectorAll('table.walk tbody tr').length, fills: s.querySelectorAll('table.fills tbody tr').length })));
      expect(walks.length).toBe(5);
      expect(walks.every((w) => w.steps >= 1 && w.fills >= 1)).toBe(true);
      expect(walks.some((w) => w.steps > 1)).toBe(true);
    });
  }, 60_000);

  it('should render the equity chart and the queues', async () => {
    await step('charts-queues', async () => {
      await page.goto(dash.url);
      const points = await page.$eval('#equity-chart polyline', (p) => (p.getAttribute('points') ?? '').trim().split(/\s+/).length);
      expect(points).toBeGreaterThanOrEqual(2);
      await page.goto(`${dash.url}queues`);
      await page.waitForSelector('text=tasks');
      const text = await page.textContent('body');
      expect(text).toContain('tasks');
      expect(text).toContain('orders');
    });
  }, 60_000);

  it('should open backtest reports in place and nothing outside their folder', async () => {
    await step('backtests', async () => {
      await page.goto(`${dash.url}backtests`);
      const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('text=run-1/report.html')]);
      await report.waitForSelector('#report');
      await report.close();
      // Sent as written (fetch would resolve the dots before they reach the server).
      for (const bad of ['/backtests/file/../secret.txt', '/backtests/file/%2e%2e/secret.txt', '/backtests/file/..%2fsecret.txt', '/backtests/file/%2e%2e%2fsecret.txt', '/backtests/file/..%5csecret.txt', `/backtests/file/${encodeURIComponent(path.join(demo.dir, 'secret.txt'))}`]) {
        expect(await rawStatus(dash.url, bad)).toBe(404);
      }
    });
  }, 60_000);

  it('should refuse a halt without the token (401), halt with it, show HALTED and refuse the next entry', async () => {
    await step('halt', async () => {
      await page.goto(dash.url);
      const anonymous = await page.evaluate(async (t) => {
        const bare = await fetch('/api/halt', { method: 'POST' });
        const query = await fetch(`/api/halt?token=${t}`, { method: 'POST' });
        const cookie = await fetch('/api/halt', { method: 'POST', headers: { cookie: `token=${t}` } });
        return [bare.status, query.status, cookie.status];
      }, TOKEN);
      expect(anonymous).toEqual([401, 401, 401]);
      // The browser logs each refused request: those three, and nothing else, are expected.
      await page.waitForTimeout(200);
      expect(consoleErrors.splice(0).filter((e) => !e.includes('status of 401'))).toEqual([]);
      await expect(page.textContent('#trading-state')).resolves.toBe('entries allowed');

      await page.fill('#token', TOKEN);
      await page.dispatchEvent('#token', 'change');
      await page.fill('#halt-reason', 'browser test');
      await page.click('[data-action="halt"]');
      await page.waitForSelector('#trading-state.halted, .halted#trading-state', { timeout: 15_000 });
      await expect(page.textContent('#trading-state')).resolves.toBe('HALTED');
      await page.waitForSelector('#operator-actions >> text=dashboard');

      // The dry run shown before enqueueing: the entries it would make are refused by the halt.
      await page.selectOption('#enqueue-task', 'execute_strategies');
      await page.click('[data-action="plan"]');
      await page.waitForSelector('#enqueue-result >> text=nothing was sent', { timeout: 60_000 });
      expect(await page.textContent('#enqueue-result')).toContain('refused by risk: trading is halted');

      // A worker (virtual time at AT, same journal and prefix) makes today's analysis, then takes the
      // execute_strategies job the dashboard enqueues: the entry is refused and journaled.
      const engine = await runtimeEngine({ redis, prefix, at: AT, clock: new ManualClock(AT), journal: demo.journal, paperState: demo.paperState });
      try {
        const analysis = await engine.runJob('strategy_analysis');
        expect(analysis.state).toBe('completed');
        await page.click('#enqueue-confirm');
        await page.waitForSelector('#enqueue-result >> text=enqueued execute_strategies', { timeout: 30_000 });
        await engine.idle(30_000);
      } finally {
        await engine.stop();
      }
      const db = openJournal(demo.journal);
      try {
        const refusals = db.prepare("SELECT reasons_json FROM risk_refusals WHERE kind = 'open'").all() as Array<{ reasons_json: string }>;
        expect(refusals.length).toBeGreaterThan(0);
        expect(refusals.every((r) => r.reasons_json.includes('halted'))).toBe(true);
        const actions = db.prepare('SELECT action, origin FROM operator_actions ORDER BY id').all() as Array<{ action: string; origin: string }>;
        expect(actions.map((a) => a.action)).toEqual(['halt', 'enqueue']);
        expect(actions.every((a) => a.origin.startsWith('dashboard '))).toBe(true);
        expect((db.prepare("SELECT COUNT(*) AS n FROM order_intents WHERE created_at >= ?").get(Date.parse(AT)) as { n: number }).n).toBe(0);
      } finally {
        db.close();
      }
      // Live: a resume from the CLI (another process) reaches the open page without a reload.
      await page.goto(dash.url);
      await expect(page.textContent('#trading-state')).resolves.toBe('HALTED');
      await page.waitForSelector('#live.on');
      const resumed = await run(['resume', '--journal', demo.journal]);
      expect(resumed.code).toBe(0);
      await page.waitForSelector('#trading-state:text-is("entries allowed")', { timeout: 15_000 });
      expect(await page.textContent('#operator-actions')).toContain('cli');
      expect(consoleErrors).toEqual([]);
    });
  }, 120_000);
});
