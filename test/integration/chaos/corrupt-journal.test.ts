import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../../engine/config/load-config';
import { chaosConfigDir, freePort, saveLog, tempDir, thetadesk, type ChildRun } from './support/chaos-kit';
import { seedPositions } from './support/seed-positions';

const AT = Date.parse('2026-01-05T15:00:00Z');

/** A journal with history: two positions opened through the order manager (intents, orders, fills). */
async function healthyJournal(dir: string, cfgDir: string): Promise<string> {
  const journal = path.join(dir, 'healthy.db');
  await seedPositions({ config: loadConfig(cfgDir), journal, paperState: path.join(dir, 'paper.db'), atMs: AT });
  return journal;
}

function pageOf(file: string, table: string): { page: number; size: number } {
  const db = new Database(file, { readonly: true });
  try {
    const root = (db.prepare("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as { rootpage: number }).rootpage;
    return { page: root, size: db.pragma('page_size', { simple: true }) as number };
  } finally {
    db.close();
  }
}

const garbage = (n: number, seed: number): Buffer => {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x & 0xff;
  }
  return b;
};

/** The four ways a journal breaks, applied to a copy of a healthy one. */
const CORRUPTIONS: ReadonlyArray<readonly [string, (file: string) => void, RegExp]> = [
  ['zero bytes', (f) => fs.truncateSync(f, 0), /is empty \(0 bytes\) where a journal was expected/],
  [
    'a garbage header',
    (f) => {
      const fd = fs.openSync(f, 'r+');
      fs.writeSync(fd, garbage(100, 7), 0, 100, 0);
      fs.closeSync(fd);
    },
    /is not a SQLite database \(its header is not "SQLite format 3"\)/,
  ],
  [
    'garbage in a page',
    (f) => {
      // 8 KB of garbage over the page holding the order intents (and the one after it).
      const { page, size } = pageOf(f, 'order_intents');
      const fd = fs.openSync(f, 'r+');
      fs.writeSync(fd, garbage(8192, 11), 0, 8192, (page - 1) * size);
      fs.closeSync(fd);
    },
    /failed its integrity check \((quick_check: |database disk image is malformed)/,
  ],
  [
    'truncation',
    (f) => {
      const { size } = pageOf(f, 'runs');
      const pages = fs.statSync(f).size / size;
      fs.truncateSync(f, Math.floor(pages / 2) * size);
    },
    /is truncated or damaged \(\d+ bytes; its header says \d+ pages of \d+ bytes\)/,
  ],
];

const COMMAND_NAMES = ['orders', 'positions', 'journal decisions', 'journal check', 'journal backup', 'halt', 'resume', 'status', 'run', 'worker', 'enqueue'] as const;

/** Every command that reads or writes the journal. */
function commandsFor(file: string, cfg: string, paper: string): Record<(typeof COMMAND_NAMES)[number], string[]> {
  const engine = ['--config', cfg, '--journal', file, '--paper-state', paper, '--prefix', 'chaos-corrupt'];
  return {
    orders: ['orders', '--journal', file],
    positions: ['positions', '--journal', file, '--paper-state', paper],
    'journal decisions': ['journal', 'decisions', '--journal', file],
    'journal check': ['journal', 'check', '--journal', file],
    'journal backup': ['journal', 'backup', '--journal', file, '--to', `${file}.bak`],
    halt: ['halt', '--journal', file],
    resume: ['resume', '--journal', file],
    status: ['status', '--config', cfg, '--journal', file, '--prefix', 'chaos-corrupt'],
    run: ['run', ...engine],
    worker: ['worker', ...engine],
    enqueue: ['enqueue', 'sync_positions', ...engine],
  };
}

const sha = (f: string): string => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

describe('chaos: a corrupted journal is refused by every command, naming its path, and never written to', () => {
  let dir: string;
  let cfg: string;
  let healthy: string;
  const seen: Record<string, ChildRun> = {};
  const cases: Record<string, { file: string; before: string; results: Record<string, ChildRun> }> = {};

  beforeAll(async () => {
    dir = tempDir('corrupt');
    cfg = chaosConfigDir();
    healthy = await healthyJournal(dir, cfg);
    // Nothing listens here: a command that reached for Redis before checking the journal would exit 3, not 1.
    const redisUrl = `redis://127.0.0.1:${await freePort()}`;
    const jobs: Array<() => Promise<void>> = [];
    for (const [kind, corrupt] of CORRUPTIONS) {
      const file = path.join(dir, `${kind.replace(/\W+/g, '-')}.db`);
      fs.copyFileSync(healthy, file);
      corrupt(file);
      const c = { file, before: sha(file), results: {} as Record<string, ChildRun> };
      cases[kind] = c;
      for (const [name, args] of Object.entries(commandsFor(file, cfg, path.join(dir, `${kind.replace(/\W+/g, '-')}-paper.db`)))) {
        jobs.push(async () => {
          const r = await thetadesk(args, { redisUrl }, 60_000);
          c.results[name] = r;
          seen[`${name} (${kind})`] = r;
        });
      }
    }
    // Every command on every kind of damage, six node processes at a time.
    let next = 0;
    await Promise.all(Array.from({ length: 6 }, async () => {
      while (next < jobs.length) await (jobs[next++] as () => Promise<void>)();
    }));
  }, 480_000);

  afterAll(() => {
    saveLog('corrupt-journal', null, seen);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cfg, { recursive: true, force: true });
  });

  it('should accept the healthy journal (journal check passes, orders lists its intents)', async () => {
    const check = await thetadesk(['journal', 'check', '--journal', healthy]);
    expect({ code: check.code, stderr: check.stderr }).toEqual({ code: 0, stderr: '' });
    expect(check.stdout).toMatch(new RegExp(`^journal ${healthy.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ok \\(integrity_check passed; \\d+ pages`));
    const orders = await thetadesk(['orders', '--journal', healthy]);
    expect(orders.code).toBe(0);
    expect(orders.stdout).toMatch(/bull_put x1 immediate {2}filled/);
  });

  describe.each(CORRUPTIONS)('when the journal has %s', (kind, _corrupt, why) => {
    it('should make every command exit 1 with one line naming the path, why, and what to do', () => {
      const c = cases[kind];
      if (!c) throw new Error('case did not run');
      const escaped = c.file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      expect(Object.keys(c.results).sort()).toEqual([...COMMAND_NAMES].sort());
      for (const [name, r] of Object.entries(c.results)) {
        expect({ name, code: r.code, stdout: r.stdout }).toEqual({ name, code: 1, stdout: '' });
        expect({ name, lines: r.stderr.trimEnd().split('\n').length }).toEqual({ name, lines: 1 });
        expect(r.stderr).toMatch(new RegExp(`^thetadesk: journal ${escaped}: `));
        expect(r.stderr).toMatch(why);
        expect(r.stderr).toMatch(/restore it from a backup/);
      }
    });

    it('should write nothing: the file is byte for byte what it was, no WAL with content, no backup made', () => {
      const c = cases[kind];
      if (!c) throw new Error('case did not run');
      expect(sha(c.file)).toBe(c.before);
      const wal = `${c.file}-wal`;
      expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
      expect(fs.existsSync(`${c.file}.bak`)).toBe(false);
    });
  });
});
