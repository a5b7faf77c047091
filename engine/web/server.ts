import * as fs from 'node:fs';
import * as path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Operations } from '../ops/operations';
import { planLines } from '../ops/plan-lines';
import { errorMessage, isThetadeskError } from '../shared/errors';
import { addDays, exchangeDate, exchangeInstant } from '../shared/exchange-time';
import { isLoopback, tokenMatches, tokenOf } from './auth';
import { esc } from './html';
import { layout } from './layout';
import { backtestsPage } from './pages/backtests-page';
import { candidatesPage } from './pages/candidates-page';
import { decisionsPage, type DecisionsQuery } from './pages/decisions-page';
import { ordersPage } from './pages/orders-page';
import { overviewPage } from './pages/overview-page';
import { positionsPage } from './pages/positions-page';

export interface DashboardOptions {
  readonly ops: Operations;
  readonly host: string;
  readonly token: string;
  readonly backtestsDir: string;
  /** How often live updates look at the journal and the queues. */
  readonly pollMs?: number;
}

const DECISIONS_LIMIT = 300;
const CONTENT_TYPES: Readonly<Record<string, string>> = { '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.csv': 'text/csv; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.txt': 'text/plain; charset=utf-8' };

type Query = Record<string, string | undefined>;
const str = (q: Query, k: string): string => (typeof q[k] === 'string' ? (q[k] as string).trim() : '');
const isDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
const dayRange = (date: string): { sinceMs?: number; untilMs?: number } => (isDate(date) ? { sinceMs: exchangeInstant(date, '00:00'), untilMs: exchangeInstant(addDays(date, 1), '00:00') } : {});

/** Who did it, for the journal: the dashboard and the caller's address. */
const originOf = (req: FastifyRequest): string => `dashboard ${req.ip}`;

/**
 * The dashboard's server: server-rendered pages reading only through engine/ops, Bull Board at
 * /queues, live updates over server-sent events, and token-guarded actions.
 */
export async function buildDashboard(o: DashboardOptions): Promise<FastifyInstance> {
  // Open event streams would otherwise hold Ctrl-C until every browser tab closes.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const everyPage = !isLoopback(o.host);
  const ops = o.ops;

  app.addHook('onRequest', async (req, reply) => {
    const url = req.url.split('?')[0] ?? '';
    const mutating = req.method !== 'GET' && req.method !== 'HEAD';
    // Actions need the token; bound beyond loopback, every page does.
    if ((everyPage || mutating || url.startsWith('/api/')) && !tokenMatches(tokenOf(req.headers), o.token)) {
      await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'this needs the dashboard token in an Authorization: Bearer header (or X-Thetadesk-Token); it was printed when the dashboard started, or set THETADESK_DASHBOARD_TOKEN' });
      return reply;
    }
    // A page of another site may not drive actions even with a token it somehow holds.
    const origin = req.headers.origin;
    if (mutating && typeof origin === 'string' && origin !== 'null' && hostOf(origin) !== req.headers.host) {
      await reply.code(403).send({ error: `requests from ${origin} are refused` });
      return reply;
    }
    return undefined;
  });

  const html = (reply: FastifyReply, body: string): FastifyReply => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  const failed = (reply: FastifyReply, e: unknown): FastifyReply => reply.code(isThetadeskError(e) && e.kind === 'config' ? 400 : 500).send({ error: errorMessage(e) });

  app.get('/', async (_req, reply) => {
    const tasks = ops.config.schedules.tasks.map((t) => t.name);
    return html(reply, layout({ path: '/', title: 'Overview' }, overviewPage(await ops.overview(), tasks, Object.keys(ops.config.strategies.underlyings))));
  });
  app.get('/positions', async (_req, reply) => html(reply, layout({ path: '/positions', title: 'Positions' }, positionsPage(await ops.positions(), ops.recentlyClosed()))));
  app.get('/candidates', async (req, reply) => {
    const q = req.query as Query;
    const date = isDate(str(q, 'date')) ? str(q, 'date') : exchangeDate(ops.now());
    return html(reply, layout({ path: '/candidates', title: 'Candidates' }, candidatesPage(ops.candidates(date), { date })));
  });
  app.get('/decisions', async (req, reply) => {
    const q = req.query as Query;
    const dq: DecisionsQuery = { date: str(q, 'date'), symbol: str(q, 'symbol').toUpperCase(), rule: str(q, 'rule'), action: str(q, 'action'), kind: str(q, 'kind'), all: str(q, 'all') === '1' };
    const rows = ops.decisions({ ...dayRange(dq.date), symbol: dq.symbol || undefined, rule: dq.rule || undefined, action: dq.action || undefined, kind: dq.kind === 'exit' || dq.kind === 'entry' ? dq.kind : undefined, changesOnly: !dq.all && !dq.action, limit: DECISIONS_LIMIT });
    return html(reply, layout({ path: '/decisions', title: 'Decisions' }, decisionsPage(rows, dq, DECISIONS_LIMIT)));
  });
  app.get('/orders', async (req, reply) => {
    const q = req.query as Query;
    const oq = { date: str(q, 'date'), symbol: str(q, 'symbol').toUpperCase(), status: str(q, 'status'), kind: str(q, 'kind') };
    const rows = ops.orders({ ...dayRange(oq.date), symbol: oq.symbol || undefined, status: oq.status || undefined, kind: oq.kind || undefined });
    return html(reply, layout({ path: '/orders', title: 'Orders' }, ordersPage(rows, oq)));
  });
  app.get('/backtests', async (_req, reply) => html(reply, layout({ path: '/backtests', title: 'Backtests', live: false }, backtestsPage(o.backtestsDir, ops.backtests()))));
  app.get('/backtests/file/*', async (req, reply) => {
    let rel: string;
    try {
      rel = decodeURIComponent((req.params as { '*': string })['*'] ?? '');
    } catch {
      rel = '';
    }
    const file = rel ? ops.backtestFile(rel) : null;
    if (!file) return reply.code(404).type('text/plain').send('no such report under the backtests folder');
    return reply.type(CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream').header('x-content-type-options', 'nosniff').send(fs.createReadStream(file));
  });

  app.get('/events', (req, reply) => {
    // The stream is written by hand and stays open: fastify sends nothing for it.
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    reply.raw.write('retry: 2000\n\n');
    let journal = ops.journalVersion();
    let queues = '';
    let busy = false;
    const tick = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        const j = ops.journalVersion();
        const q = await ops.queuesVersion().catch(() => queues);
        const changed = [j !== journal ? 'journal' : null, queues !== '' && q !== queues ? 'queues' : null].filter((x) => x !== null);
        journal = j;
        queues = q;
        if (changed.length > 0) reply.raw.write(`event: change\ndata: ${JSON.stringify({ changed })}\n\n`);
        else reply.raw.write(': idle\n\n');
      } catch {
        // A journal busy for a moment: the next look tells.
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void tick(), o.pollMs ?? 1000);
    req.raw.on('close', () => clearInterval(timer));
  });

  app.post('/api/halt', async (req, reply) => {
    const body = (req.body ?? {}) as { reason?: unknown };
    const reason = typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim().slice(0, 200) : 'halted from the dashboard';
    return reply.send(ops.halt(reason, originOf(req)));
  });
  app.post('/api/resume', async (req, reply) => reply.send(ops.resume(originOf(req))));
  app.post('/api/plan', async (req, reply) => {
    const body = (req.body ?? {}) as { task?: unknown; params?: unknown };
    try {
      const out = (await ops.plan(String(body.task ?? ''), paramsOf(body.params))) as { status: string; summary: string; data?: unknown };
      return reply.send({ ...out, lines: planLines(out.data) });
    } catch (e) {
      return failed(reply, e);
    }
  });
  app.post('/api/enqueue', async (req, reply) => {
    const body = (req.body ?? {}) as { task?: unknown; params?: unknown };
    try {
      return reply.send(await ops.enqueue(String(body.task ?? ''), paramsOf(body.params), originOf(req)));
    } catch (e) {
      return failed(reply, e);
    }
  });

  // Bull Board (and its static file server) is loaded only when there are queues to show.
  // (require, as the CLI's command table does: the bin's TypeScript loader resolves it; import() would not.)
  if (ops.queues) await (require('./queues-board') as typeof import('./queues-board')).mountQueuesBoard(app, ops.queues);
  else app.get('/queues', async (_req, reply) => html(reply, layout({ path: '/queues', title: 'Queues', live: false }, `<h1>Queues</h1><p class="warn">${esc(ops.queuesProblem ?? 'no Redis')}</p>`)));
  return app;
}

const hostOf = (origin: string): string | null => {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
};

const paramsOf = (p: unknown): Record<string, unknown> => (p !== null && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : {});
