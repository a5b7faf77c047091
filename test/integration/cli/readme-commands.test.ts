import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import '@microsoft/jest-sarif';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../helpers/config';
import { closedPort, run, type CliResult } from '../../helpers/cli';
import { fencedBlocks, shellCommands, type ShellCommand } from '../../helpers/readme-blocks';

/**
 * The README's command lines, run as written (#13: the README's second command printed nothing
 * and no test noticed). Every command of every `sh` block runs in a scratch copy of the checkout
 * (the checkout's node_modules linked, npm offline so npx can never fetch a package), in README
 * order, and must exit 0. What cannot run says so in the README itself with
 * `(not run by the README test: why)`, and this test lists those lines. Explicit rules:
 * - `npm install && X` runs X: the scratch copy is installed (its node_modules is the checkout's);
 * - a command the README repeats (`npm run demo`, `npx thetadesk lint` in the quick start and in
 *   their sections) runs once, where it first appears;
 * - a line ending in `&` is a service: started, awaited until it says it listens, stopped with
 *   SIGINT after its block (it must then exit 0); the port it is given is swapped for a free one in
 *   its whole block, as two test runs on one machine cannot share a port;
 * - the GitHub Actions job's `run:` steps run the same way (`npm ci` is the scratch install), and
 *   the pre-commit hook is tried on a clean and on a broken commit.
 */

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const BLOCKS = fencedBlocks(README);
const SH = BLOCKS.filter((b) => b.lang === 'sh');
const COMMANDS: ShellCommand[] = SH.flatMap(shellCommands);

const INSTALLED = /^npm install && /;
/** Copied into the scratch folder: the checkout without its installs, journals and git data. */
const SKIP = new Set(['node_modules', '.git', 'data', 'coverage', '.jest-results.json']);

interface Ran {
  readonly command: ShellCommand;
  readonly result: CliResult;
}

function copyCheckout(to: string): void {
  for (const name of fs.readdirSync(REPO_ROOT)) {
    if (!SKIP.has(name)) fs.cpSync(path.join(REPO_ROOT, name), path.join(to, name), { recursive: true });
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(to, 'node_modules'), 'dir');
}

function commandEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  // Not the suite's own settings: the commands run as a user's shell would.
  for (const k of Object.keys(env)) if (k.startsWith('JEST_') || k === 'NODE_ENV') delete env[k];
  return env;
}

/** The suite itself must never run from here (it would run this test again, and again). */
const RECURSIVE = /\bnpm (test|t)\b|\bjest\b/;

/** A `&` line: its own process group (npx, npm exec, sh, node), as a shell job is. */
function startService(text: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string }> {
  const bare = text.replace(/\s+#.*$/, '').replace(/&\s*$/, '').trim();
  const child = spawn('bash', ['-c', `exec ${bare}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`README service \`${bare}\` did not say it listens within 60 s:\n${out}`)), 60_000);
    const check = setInterval(() => {
      if (/listening on 127\.0\.0\.1:\d+/.test(out)) {
        clearTimeout(deadline);
        clearInterval(check);
        resolve({ child, output: () => out });
      }
    }, 100);
    child.on('exit', (code) => {
      clearTimeout(deadline);
      clearInterval(check);
      reject(new Error(`README service \`${bare}\` exited (${code}) before listening:\n${out}`));
    });
  });
}

const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Ctrl-C as a terminal sends it: SIGINT to the job's whole process group (npx's npm exits by the
 * signal, the command under it shuts down). Resolves to true when every process of the group is
 * gone within 15 s; what is still there then is killed, so nothing outlives the test.
 */
async function stopService(child: ChildProcess): Promise<boolean> {
  const pgid = child.pid as number;
  if (!groupAlive(pgid)) return true;
  process.kill(-pgid, 'SIGINT');
  for (let waited = 0; waited < 15_000; waited += 100) {
    if (!groupAlive(pgid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(-pgid, 'SIGKILL');
  return false;
}

describe("when the README's command lines are run as written", () => {
  let scratch: string;
  const ran: Ran[] = [];
  const repeated: ShellCommand[] = [];
  const serviceExits: Array<{ command: ShellCommand; stopped: boolean; output: string }> = [];
  let env: NodeJS.ProcessEnv;

  // The demo plays five days: under a loaded two-core machine that has taken minutes, not seconds.
  const bash = (text: string, timeoutMs = 480_000): Promise<CliResult> => run(['-c', text], { command: ['bash'], cwd: scratch, env, timeoutMs });

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-readme-'));
    copyCheckout(scratch);
    env = commandEnv();
    // What the README's CI section assumes of the user's project: a git repository keeping its configuration in trading/.
    fs.rmSync(path.join(scratch, 'trading'), { recursive: true, force: true });
    for (const f of ['strategies.yaml', 'schedules.yaml', 'rules']) fs.cpSync(path.join(REPO_ROOT, f), path.join(scratch, 'trading', f), { recursive: true });
    const git = await bash('git init -q && git config user.email readme@test.invalid && git config user.name "README test"');
    expect(git.code).toBe(0);
    for (const block of SH) {
      const commands = shellCommands(block);
      let text = block.lines.join('\n');
      for (const port of new Set([...text.matchAll(/--port (\d+)/g)].map((m) => m[1] as string))) text = text.replaceAll(port, String(await closedPort()));
      const swapped = shellCommands({ ...block, lines: text.split('\n') });
      const services: Array<{ child: ChildProcess; output: () => string; command: ShellCommand }> = [];
      try {
        for (const [i, command] of commands.entries()) {
          const c = swapped[i] as ShellCommand;
          if (c.notRun) continue;
          if (RECURSIVE.test(c.text)) throw new Error(`README:${c.line} \`${c.text}\` would run the test suite from inside it: mark it "not run by the README test: …"`);
          if (c.background) {
            services.push({ ...(await startService(c.text, scratch, env)), command });
            continue;
          }
          const bare = c.text.replace(INSTALLED, '').replace(/\s+#.*$/, '');
          const earlier = ran.find((r) => r.command.text.replace(INSTALLED, '').replace(/\s+#.*$/, '') === bare);
          if (earlier) repeated.push(command);
          else ran.push({ command, result: await bash(c.text.replace(INSTALLED, '')) });
        }
      } finally {
        for (const s of services) serviceExits.push({ command: s.command, stopped: await stopService(s.child), output: s.output() });
      }
    }
  }, 1_500_000);

  afterAll(() => {
    if (!scratch) return;
    fs.rmSync(scratch, { recursive: true, force: true });
    // npx runs a checkout's own bin from a link it keeps in npm's cache (_npx/<hash>): remove the scratch copy's.
    const npx = path.join(process.env.npm_config_cache ?? path.join(os.homedir(), '.npm'), '_npx');
    for (const d of fs.existsSync(npx) ? fs.readdirSync(npx) : []) {
      const manifest = path.join(npx, d, 'package.json');
      if (fs.existsSync(manifest) && fs.readFileSync(manifest, 'utf8').includes(path.basename(scratch))) fs.rmSync(path.join(npx, d), { recursive: true, force: true });
    }
  });

  it('should find the command lines the README shows', () => {
    const texts = COMMANDS.map((c) => c.text);
    for (const expected of ['npm install && npm run demo', 'npm install && npx thetadesk lint', 'npx thetadesk lint --config my-config', 'npm run demo']) {
      expect(texts.some((t) => t.startsWith(expected))).toBe(true);
    }
    expect(COMMANDS.length).toBeGreaterThanOrEqual(15);
  });

  it('should say in the README, with a reason, which lines it does not run', () => {
    const notRun = COMMANDS.filter((c) => c.notRun !== null).map((c) => ({ line: c.line, text: c.text.replace(/\s+#.*$/, ''), why: c.notRun }));
    // Only the test suite itself: it is what runs this test.
    expect(notRun).toEqual([{ line: expect.any(Number), text: 'npm install && npm test', why: 'it runs inside them' }]);
    // And nothing else would start the suite from inside itself.
    expect(COMMANDS.filter((c) => c.notRun === null && RECURSIVE.test(c.text))).toEqual([]);
  });

  it('should run every other line and see it exit 0', () => {
    const failed = ran.filter((r) => r.result.code !== 0).map((r) => `README:${r.command.line} \`${r.command.text}\` exited ${r.result.code}: ${r.result.stderr.slice(0, 500)}${r.result.stdout.slice(-500)}`);
    expect(failed).toEqual([]);
    expect(ran.length + repeated.length + serviceExits.length).toBe(COMMANDS.filter((c) => c.notRun === null).length);
    expect(repeated.map((c) => c.text.replace(/\s+#.*$/, ''))).toEqual(['npx thetadesk lint', 'npm run demo', 'npm run demo']);
  });

  it('should stop each background service with Ctrl-C, saying nothing on the way out', () => {
    expect(serviceExits.length).toBeGreaterThanOrEqual(1);
    for (const s of serviceExits) {
      expect({ line: s.command.line, stopped: s.stopped }).toEqual({ line: s.command.line, stopped: true });
      expect(s.output.trim().split('\n')).toEqual([expect.stringMatching(/listening on 127\.0\.0\.1:\d+; Ctrl-C to stop$/)]);
    }
  });

  const output = (prefix: string): CliResult => {
    const r = ran.find((x) => x.command.text.replace(INSTALLED, '').startsWith(prefix));
    if (!r) throw new Error(`no README command starting with ${prefix}`);
    return r.result;
  };

  it("should print lint's one ok line for the shipped config", () => {
    expect(output('npx thetadesk lint ').stdout).toMatch(/^ok: 4 files, 12 rules, \d+ gates, 11 tasks; config hash [0-9a-f]{64}\n$/);
    expect(output('npx thetadesk lint --config my-config --format github').stdout).toMatch(/^ok: /);
    expect(JSON.parse(fs.readFileSync(path.join(scratch, 'thetadesk.sarif'), 'utf8'))).toBeValidSarifLog();
  });

  it('should show in the demo block exactly the commands the demo prints, and those commands should show its positions', () => {
    const demo = output('npm run demo').stdout;
    const printed = demo.slice(demo.indexOf('Look at them with:')).split('\n').slice(1).map((l) => l.trim()).filter((l) => l.startsWith('npx thetadesk'));
    const block = SH.find((b) => b.lines.includes('npm run demo'));
    expect(block?.lines.filter((l) => l.startsWith('npx thetadesk'))).toEqual(printed);
    expect(printed).toHaveLength(3);
    // The positions the demo left are those its report counted, marked as its report marked them.
    const open = [...demo.matchAll(/ open (\d+) +unrealized /g)].reduce((n, m) => n + Number(m[1]), 0);
    const unrealized = /P&L: realized -?\$[\d.]+, unrealized (-?)\$([\d.]+)/.exec(demo);
    const positions = output('npx thetadesk positions --journal data/demo/journal.db').stdout;
    const pnl = [...positions.matchAll(/^pos-\S+ .* P&L (-?[\d.]+)$/gm)].map((m) => Number(m[1]));
    expect(open).toBeGreaterThan(0);
    expect(pnl).toHaveLength(open);
    expect(pnl.reduce((a, b) => a + b, 0)).toBeCloseTo(Number(`${unrealized?.[1] ?? ''}${unrealized?.[2] ?? 'NaN'}`), 2);
    expect(positions).toMatch(/^paper account: \{"net_liquidation":/m);
    expect(output('npx thetadesk orders --journal data/demo/journal.db').stdout).toMatch(/ open \w+ bear_call x1 normal {2}filled/);
    expect(output('npx thetadesk journal decisions --journal data/demo/journal.db').stdout).toMatch(/ exit pos-\S+ +close by \w+/);
  });

  it('should run the GitHub Actions job of the README: its steps pass on a clean config and annotate a broken one', async () => {
    const yamlBlock = BLOCKS.find((b) => b.lang === 'yaml' && b.lines[0]?.startsWith('# .github/workflows/'));
    const job = (parse(yamlBlock?.lines.join('\n') ?? '') as { jobs: Record<string, { steps: Array<{ run?: string; uses?: string }> }> }).jobs.lint;
    const steps = job?.steps ?? [];
    expect(steps.filter((s) => s.uses).map((s) => s.uses)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3']);
    const runs = steps.filter((s) => s.run).map((s) => s.run as string);
    expect(runs[0]).toBe('npm ci'); // the scratch install
    for (const step of runs.slice(1)) expect({ step, code: (await bash(step)).code }).toEqual({ step, code: 0 });
    expect(JSON.parse(fs.readFileSync(path.join(scratch, 'thetadesk.sarif'), 'utf8'))).toBeValidSarifLog();
    fs.appendFileSync(path.join(scratch, 'trading', 'strategies.yaml'), 'broken: [x\n');
    try {
      const annotated = await bash(runs[1] as string);
      expect(annotated.code).toBe(1);
      expect(annotated.stdout).toMatch(/^::error file=trading\/strategies\.yaml,line=\d+,col=\d+,title=thetadesk E_YAML_SYNTAX::/m);
      const sarif = await bash(runs[2] as string);
      expect(sarif.code).toBe(1);
      const log = JSON.parse(fs.readFileSync(path.join(scratch, 'thetadesk.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
      expect(log).toBeValidSarifLog();
      expect(log.runs[0]?.results.map((r) => [r.ruleId, r.locations[0]?.physicalLocation.artifactLocation.uri])).toEqual([['E_YAML_SYNTAX', 'trading/strategies.yaml']]);
    } finally {
      fs.writeFileSync(path.join(scratch, 'trading', 'strategies.yaml'), fs.readFileSync(path.join(REPO_ROOT, 'strategies.yaml')));
    }
  }, 120_000);

  it("should refuse a broken commit with the README's pre-commit hook and accept a clean one", async () => {
    expect(fs.statSync(path.join(scratch, '.git', 'hooks', 'pre-commit')).mode & 0o111).not.toBe(0);
    const clean = await bash('git add trading && git commit -q -m "trading config"');
    expect(clean.code).toBe(0);
    fs.appendFileSync(path.join(scratch, 'trading', 'strategies.yaml'), 'broken: [x\n');
    const broken = await bash('git add trading && git commit -q -m "broken trading config"');
    expect(broken.code).not.toBe(0);
    expect(`${broken.stdout}${broken.stderr}`).toMatch(/^strategies\.yaml:\d+:\d+ error E_YAML_SYNTAX /m);
    expect((await bash('git log --oneline')).stdout.trim().split('\n')).toHaveLength(1);
  }, 120_000);
});
