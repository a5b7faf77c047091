/**
 * Makes docs/dashboard-positions.png, the README's picture of the positions page: the dashboard on
 * a demo's journal (default data/demo, from `npm run demo`), one screenshot in headless chromium.
 *   node bin/run-ts.js test/integration/dashboard/readme-screenshot.ts [DEMO_DIR] [--at ISO]
 */
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../../helpers/config';
import { startDashboard } from './dashboard-process';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const atFlag = args.indexOf('--at');
  const at = atFlag >= 0 ? (args[atFlag + 1] as string) : '2026-01-10T04:00:00Z';
  const dir = path.resolve(args.find((a, i) => !a.startsWith('--') && (atFlag < 0 || i !== atFlag + 1)) ?? path.join(REPO_ROOT, 'data', 'demo'));
  const dash = await startDashboard(['--journal', path.join(dir, 'journal.db'), '--paper-state', path.join(dir, 'paper.db'), '--at', at, '--prefix', `readme-shot-${process.pid}`], process.env);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1500 }, deviceScaleFactor: 1 });
    await page.goto(`${dash.url}positions`, { waitUntil: 'load' });
    await page.waitForSelector('.winner-rule');
    const out = path.join(REPO_ROOT, 'docs', 'dashboard-positions.png');
    await page.screenshot({ path: out });
    process.stdout.write(`${out}\n`);
  } finally {
    await browser.close();
    await dash.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
