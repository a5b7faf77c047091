import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';

/**
 * Bull Board's page as shipped, less its one outside request (a web font): the dashboard works
 * offline and its pages load nothing from a CDN. Written to a temp folder, removed when the server closes.
 */
function offlineViews(): string {
  const ui = path.dirname(require.resolve('@bull-board/ui/package.json'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-bull-board-'));
  const html = fs.readFileSync(path.join(ui, 'dist', 'index.ejs'), 'utf8').replace(/<link[^>]+fonts\.googleapis\.com[^>]*>\s*/g, '');
  fs.writeFileSync(path.join(dir, 'index.ejs'), html);
  return dir;
}

/**
 * Bull Board at /queues over the prefix's queues, read-only: retrying or removing jobs is not an
 * action the dashboard's token guards, so the board offers none.
 */
export async function mountQueuesBoard(app: FastifyInstance, queues: readonly Queue[]): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath('/queues');
  // The lockfile has @bull-board/api 9.10.2 beside the 9.10.1 that @bull-board/fastify pins: same
  // interface, separately declared types.
  const adapter = serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'];
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'thetadesk queues' } } });
  const views = offlineViews();
  serverAdapter.setViewsPath(views);
  app.addHook('onClose', async () => fs.rmSync(views, { recursive: true, force: true }));
  await app.register(serverAdapter.registerPlugin(), { prefix: '/queues' });
}
