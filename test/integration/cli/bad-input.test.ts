import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { openJournal } from '../../../engine/store/journal';
import { configDirWith } from '../../helpers/config';
import { closedPort, mapLimit, run, type CliResult } from '../../helpers/cli';

/**
 * Every command's bad input, run as a user runs it (a child process of the bin, in a scratch
 * folder): one line naming the problem, the right exit code (1 input or config, 2 usage, 3 a
 * service unreachable), never a stack trace, never a hang, never a silent success (#13).
 */

interface Fixture {
  readonly dir: string;
  readonly cfg: string;
  readonly journal: string;
  readonly ibPort: number;
  readonly busyPort: number;
  readonly redisUrl: string;
  file(name: string): string;
}

interface BadInput {
  readonly name: string;
  readonly args: (f: Fixture) => string[];
  readonly code: 1 | 2 | 3;
  /** Matched against the first line of stderr (or of stdout where the command reports there: lint). */
  readonly says: RegExp;
  readonly env?: (f: Fixture) => NodeJS.ProcessEnv;
  /** lint prints its problems on stdout, like a compiler; everything else reports on stderr. */
  readonly on?: 'stdout';
}

const POSITION = { strategy: 'iron_condor', dte: 30, profit_pct: 10, peak_profit_pct: 15, underlying_change_1h_pct: 0.2, iv_change_pct: 5, iv_rank: 40, iv_percentile: 50, vix: 18, vix_change_since_entry: 1, short_delta_max: 0.18, spot_beyond_short_strike: false, position_gamma_abs: 0.02, partial_taken: false, days_held: 15 };
const LEGS = [
  { right: 'P', strike: 500, action: 'SELL', bid: 2.6, ask: 2.7, delta: -0.3 },
  { right: 'P', strike: 495, action: 'BUY', bid: 0.95, ask: 1.05, delta: -0.22 },
];
const CANDIDATE = { strategy: 'bull_put', iv_rank: 40, legs: LEGS };
const LONG = 'x'.repeat(500_000);

/** name → content of the --input files the cases read (Buffers are written as bytes). */
const FILES: Readonly<Record<string, string | Buffer>> = {
  'huge.json': `{"strategy": "${'y'.repeat(2 * 1024 * 1024)}"}`,
  'binary.json': Buffer.from([0x7b, 0x00, 0x01, 0xff, 0x7d]),
  'latin1.json': Buffer.from('{"strategy": "caf\xe9"}', 'latin1'),
  'truncated.json': '{"dte": 30,',
  'empty.json': '\n',
  'array.json': '[1, 2]',
  'long-string.json': JSON.stringify({ ...POSITION, strategy: LONG }),
  'deep.json': `{"dte": ${'['.repeat(5000)}${']'.repeat(5000)}}`,
  'infinite.json': JSON.stringify(POSITION).replace('"dte":30', '"dte":1e400'),
  'proto.json': JSON.stringify(POSITION).replace('{', '{"__proto__": 1, '),
  'position.json': JSON.stringify(POSITION),
  'negative-dte.json': JSON.stringify({ ...POSITION, dte: -5 }),
  'typo-fact.json': JSON.stringify(POSITION).replace('"iv_rank"', '"ivrank"'),
  'score-typo.json': JSON.stringify(CANDIDATE).replace('"iv_rank"', '"ivrank"'),
  'score-leg-typo.json': JSON.stringify(CANDIDATE).replace('"strike"', '"strik"'),
  'score-deep.json': `{"strategy": ${'['.repeat(5000)}${']'.repeat(5000)}, "iv_rank": 40, "legs": []}`,
  'score-proto.json': JSON.stringify(CANDIDATE).replace('{', '{"__proto__": {"x": 1}, '),
  'score-infinite.json': JSON.stringify(CANDIDATE).replace('"strike":500', '"strike":1e400'),
  'score-long.json': JSON.stringify({ ...CANDIDATE, strategy: LONG }),
  'score-bad-iv.json': JSON.stringify({ ...CANDIDATE, iv_rank: 4000 }),
};

const CASES: readonly BadInput[] = [
  // decide: files that are not a small regular JSON file
  { name: 'decide --input /dev/zero', args: () => ['decide', '--input', '/dev/zero'], code: 1, says: /--input "\/dev\/zero" is a character device; expected a regular JSON file/ },
  { name: 'decide --input a FIFO', args: (f) => ['decide', '--input', f.file('fifo')], code: 1, says: /is a named pipe \(FIFO\)/ },
  { name: 'decide --input a folder', args: (f) => ['decide', '--input', f.dir], code: 1, says: /is a directory; expected a regular JSON file/ },
  { name: 'decide --input a missing file', args: (f) => ['decide', '--input', f.file('nope.json')], code: 1, says: /nope\.json": no such file$/ },
  { name: 'decide --input 2 MB', args: (f) => ['decide', '--input', f.file('huge.json')], code: 1, says: /is \d+ bytes; an input file may be at most 1048576 bytes/ },
  { name: 'decide --input binary', args: (f) => ['decide', '--input', f.file('binary.json')], code: 1, says: /is binary \(contains NUL bytes\)/ },
  { name: 'decide --input Latin-1 bytes', args: (f) => ['decide', '--input', f.file('latin1.json')], code: 1, says: /is not UTF-8 text/ },
  { name: 'decide --input truncated JSON', args: (f) => ['decide', '--input', f.file('truncated.json')], code: 1, says: /is not valid JSON( at 1:\d+)?: / },
  { name: 'decide --input empty', args: (f) => ['decide', '--input', f.file('empty.json')], code: 1, says: /is empty; expected a JSON object/ },
  { name: 'decide --input a JSON array', args: (f) => ['decide', '--input', f.file('array.json')], code: 1, says: /must be a flat JSON object of facts, not an array/ },
  // decide: values
  { name: 'decide with a 500,000-character fact', args: (f) => ['decide', '--input', f.file('long-string.json')], code: 1, says: /^thetadesk: fact "strategy" = "x{80}… \(500000 chars\)" must be one of iron_condor, bull_put, bear_call$/ },
  { name: 'decide with a 5,000-deep value', args: (f) => ['decide', '--input', f.file('deep.json')], code: 1, says: /fact "dte" must be a number, boolean or string, not an array/ },
  { name: 'decide with dte 1e400', args: (f) => ['decide', '--input', f.file('infinite.json')], code: 1, says: /fact "dte" is out of range: the number is too large for a double/ },
  { name: 'decide with a __proto__ key', args: (f) => ['decide', '--input', f.file('proto.json')], code: 1, says: /unknown position fact "__proto__"/ },
  { name: 'decide with dte -5', args: (f) => ['decide', '--input', f.file('negative-dte.json')], code: 1, says: /fact "dte" = -5 is outside 0\.\.3650 \(calendar days\)/ },
  { name: 'decide with a misspelt fact', args: (f) => ['decide', '--input', f.file('typo-fact.json')], code: 1, says: /unknown position fact "ivrank" \(did you mean "iv_rank"\?\)/ },
  { name: 'decide --entry with a position fact', args: (f) => ['decide', '--entry', '--input', f.file('position.json')], code: 1, says: /unknown entry fact "profit_pct"/ },
  { name: 'decide without --input', args: () => ['decide'], code: 2, says: /required option '--input <file>' not specified/ },
  // score
  { name: 'score with "ivrank"', args: (f) => ['score', '--input', f.file('score-typo.json')], code: 1, says: /candidate: unknown key "ivrank" \(did you mean "iv_rank"\?\)/ },
  { name: 'score with a leg\'s "strik"', args: (f) => ['score', '--input', f.file('score-leg-typo.json')], code: 1, says: /leg 1: unknown key "strik" \(did you mean "strike"\?\)/ },
  { name: 'score with a 5,000-deep strategy', args: (f) => ['score', '--input', f.file('score-deep.json')], code: 1, says: /strategy must be one of iron_condor, bull_put, bear_call, got an array of 1$/ },
  { name: 'score with a __proto__ key', args: (f) => ['score', '--input', f.file('score-proto.json')], code: 1, says: /candidate: unknown key "__proto__"/ },
  { name: 'score with strike 1e400', args: (f) => ['score', '--input', f.file('score-infinite.json')], code: 1, says: /leg 1: strike is out of range/ },
  { name: 'score with a 500,000-character strategy', args: (f) => ['score', '--input', f.file('score-long.json')], code: 1, says: /got "x{80}… \(500000 chars\)"$/ },
  { name: 'score with iv_rank 4000', args: (f) => ['score', '--input', f.file('score-bad-iv.json')], code: 1, says: /iv_rank must be within 0\.\.100 \(percent\), got 4000/ },
  { name: 'score --input /dev/zero', args: () => ['score', '--input', '/dev/zero'], code: 1, says: /is a character device/ },
  // analyze
  { name: "analyze --symbols ''", args: () => ['analyze', '--symbols', ''], code: 1, says: /--symbols is empty/ },
  { name: "analyze --symbols ','", args: () => ['analyze', '--symbols', ','], code: 1, says: /--symbols is empty/ },
  { name: 'analyze --symbols SPY,,QQQ', args: () => ['analyze', '--symbols', 'SPY,,QQQ'], code: 1, says: /--symbols "SPY,,QQQ" has an empty entry/ },
  { name: 'analyze --symbols ZZZ', args: () => ['analyze', '--symbols', 'ZZZ'], code: 1, says: /no underlying ZZZ in strategies\.yaml; configured: SPY, QQQ, IWM/ },
  { name: 'analyze --seed abc', args: () => ['analyze', '--seed', 'abc'], code: 1, says: /--seed must be a whole number, got "abc"/ },
  { name: 'analyze --seed 1e400', args: () => ['analyze', '--seed', '1e400'], code: 1, says: /--seed must be a whole number, got "1e400"/ },
  { name: 'analyze --seed -1', args: () => ['analyze', '--seed', '-1'], code: 1, says: /--seed must be from 0 to 4294967295, got -1/ },
  { name: 'analyze --at garbage', args: () => ['analyze', '--at', 'garbage'], code: 1, says: /--at must be an ISO time with its zone/ },
  { name: 'analyze --at without a zone', args: () => ['analyze', '--at', '2026-11-24T15:00:00'], code: 1, says: /--at must be an ISO time with its zone/ },
  { name: 'analyze --at February 30', args: () => ['analyze', '--at', '2026-02-30T15:00:00Z'], code: 1, says: /--at must be an ISO time/ },
  { name: 'analyze --at year 9999', args: () => ['analyze', '--at', '9999-01-05T15:00:00Z'], code: 1, says: /--at must be between 2000 and 2100/ },
  { name: 'analyze --market constructor', args: () => ['analyze', '--market', 'constructor'], code: 1, says: /unknown --market "constructor"; choose one of: sim, ib/ },
  { name: 'analyze --market ib with IB unreachable', args: () => ['analyze', '--market', 'ib', '--symbols', 'SPY'], env: (f) => ({ THETADESK_IB_PORT: String(f.ibPort) }), code: 3, says: /cannot connect to TWS \/ IB Gateway at 127\.0\.0\.1:\d+/ },
  // demo (all refused before Redis or any file is touched)
  { name: 'demo --days 0', args: () => ['demo', '--days', '0'], code: 1, says: /--days must be from 1 to 250, got 0/ },
  { name: 'demo --days -1', args: () => ['demo', '--days', '-1'], code: 1, says: /--days must be from 1 to 250, got -1/ },
  { name: 'demo --days 100000', args: () => ['demo', '--days', '100000'], code: 1, says: /--days must be from 1 to 250, got 100000/ },
  { name: 'demo --days 5x', args: () => ['demo', '--days', '5x'], code: 1, says: /--days must be a whole number, got "5x"/ },
  { name: 'demo --start garbage', args: () => ['demo', '--start', 'garbage'], code: 1, says: /--start must be a date like 2026-01-05/ },
  { name: 'demo --start 2026-02-30 (hung before #13)', args: () => ['demo', '--start', '2026-02-30'], code: 1, says: /--start must be a date like 2026-01-05 \(YYYY-MM-DD\), got "2026-02-30"/ },
  { name: 'demo --seed x', args: () => ['demo', '--seed', 'x'], code: 1, says: /--seed must be a whole number/ },
  { name: "demo --symbols ','", args: () => ['demo', '--symbols', ','], code: 1, says: /--symbols is empty/ },
  { name: 'demo --broker x', args: () => ['demo', '--broker', 'x'], code: 1, says: /--broker must be one of paper, ib-sim, got "x"/ },
  { name: 'demo --dir at a file', args: (f) => ['demo', '--dir', f.file('a-file')], code: 1, says: /demo folder .*a-file: not a directory; pick another --dir/ },
  { name: 'demo --dir at a folder of other files', args: (f) => ['demo', '--dir', f.cfg], code: 1, says: /holds files the demo did not make/ },
  // config folder
  { name: 'lint --config a missing folder', args: (f) => ['lint', '--config', f.file('no-such-dir')], code: 1, on: 'stdout', says: /:1:1 error E_CONFIG_DIR config folder .*no-such-dir does not exist/ },
  { name: 'lint --config at a file', args: (f) => ['lint', '--config', path.join(f.cfg, 'strategies.yaml')], code: 1, on: 'stdout', says: /E_CONFIG_DIR config folder .*strategies\.yaml is a file/ },
  { name: 'lint --config at a symlink loop', args: (f) => ['lint', '--config', f.file('loop-a')], code: 1, on: 'stdout', says: /E_CONFIG_DIR config folder .*loop-a is a symlink loop/ },
  { name: 'lint with a FIFO for strategies.yaml (hung before #13)', args: (f) => ['lint', '--config', f.file('fifo-config')], code: 1, on: 'stdout', says: /^strategies\.yaml:1:1 error E_FILE_NOT_FILE strategies\.yaml is a named pipe \(FIFO\), expected a YAML file$/ },
  { name: 'lint with an extra rules/*.yaml', args: (f) => ['lint', '--config', f.file('extra-rules')], code: 1, on: 'stdout', says: /^rules\/earnings\.yaml:1:1 error E_FILE_UNREAD rules\/earnings\.yaml is not read/ },
  { name: 'lint --format bogus', args: () => ['lint', '--format', 'bogus'], code: 2, says: /argument 'bogus' is invalid\. Allowed choices are text, json, github, sarif/ },
  { name: 'config show --config a missing folder', args: (f) => ['config', 'show', '--config', f.file('no-such-dir')], code: 1, says: /^thetadesk: config folder .*no-such-dir does not exist/ },
  { name: 'schedule list --config at a file', args: (f) => ['schedule', 'list', '--config', path.join(f.cfg, 'strategies.yaml')], code: 1, says: /is a file; --config takes the folder/ },
  // journal
  { name: 'orders --journal missing', args: (f) => ['orders', '--journal', f.file('nope.db')], code: 1, says: /no journal at .*nope\.db/ },
  { name: 'orders --journal at a folder', args: (f) => ['orders', '--journal', f.dir], code: 1, says: /^thetadesk: journal .* is not a regular file: point --journal \(or THETADESK_JOURNAL\) at the journal file$/ },
  { name: 'journal decisions --journal at a YAML file', args: (f) => ['journal', 'decisions', '--journal', path.join(f.cfg, 'strategies.yaml')], code: 1, says: /^thetadesk: journal .*strategies\.yaml: is not a SQLite database .*restore it from a backup/ },
  { name: 'journal decisions --since 2026-02-30', args: (f) => ['journal', 'decisions', '--journal', f.journal, '--since', '2026-02-30'], code: 1, says: /--since must be a date like 2026-01-05/ },
  { name: 'halt --journal under a file (unwritable)', args: (f) => ['halt', '--journal', path.join(f.file('a-file'), 'j.db')], code: 1, says: /^thetadesk: journal .*a-file\/j\.db: its folder cannot be created: a part of its folder path is a file/ },
  { name: 'resume --journal read-only', args: (f) => ['resume', '--journal', f.file('readonly.db')], code: 1, says: /^thetadesk: journal .*readonly\.db is read-only: thetadesk writes to it; make the file and its folder writable \(SQLITE_READONLY\)$/ },
  { name: 'positions --broker bogus', args: (f) => ['positions', '--journal', f.journal, '--broker', 'bogus'], code: 1, says: /unknown --broker "bogus"; choose paper or ib/ },
  { name: 'positions --broker ib with IB unreachable', args: (f) => ['positions', '--journal', f.journal, '--broker', 'ib', '--ib-port', String(f.ibPort)], code: 3, says: /cannot connect to TWS \/ IB Gateway/ },
  // enqueue (checked before Redis is asked)
  { name: 'enqueue an unknown task', args: () => ['enqueue', 'strategy_analysys'], code: 1, says: /no task "strategy_analysys" in schedules\.yaml \(did you mean "strategy_analysis"\?\)/ },
  { name: 'enqueue --symbol ZZZ', args: () => ['enqueue', 'strategy_analysis', '--symbol', 'ZZZ'], code: 1, says: /symbol "ZZZ" is not an underlying in strategies\.yaml/ },
  { name: 'enqueue --data with a misspelt key', args: () => ['enqueue', 'strategy_analysis', '--data', '{"symbl":"SPY"}'], code: 1, says: /unknown parameter "symbl" \(did you mean "symbol"\?\)/ },
  { name: 'enqueue health_check --symbol SPY', args: () => ['enqueue', 'health_check', '--symbol', 'SPY'], code: 1, says: /health_check takes no parameters/ },
  { name: 'enqueue --data broken JSON', args: () => ['enqueue', 'health_check', '--data', '{bad'], code: 1, says: /--data is not JSON/ },
  { name: 'enqueue without a task', args: () => ['enqueue'], code: 2, says: /missing required argument 'task'/ },
  { name: 'enqueue with Redis unreachable', args: () => ['enqueue', 'health_check'], env: (f) => ({ REDIS_URL: f.redisUrl }), code: 3, says: /Redis is not reachable at redis:\/\/127\.0\.0\.1:\d+/ },
  { name: 'status with Redis unreachable', args: () => ['status'], env: (f) => ({ REDIS_URL: f.redisUrl }), code: 3, says: /Redis is not reachable/ },
  // run / worker / gateway
  { name: 'run --grace abc', args: () => ['run', '--grace', 'abc'], code: 1, says: /--grace must be a duration like 30s or 2m, got "abc"/ },
  { name: 'worker --queues foo', args: () => ['worker', '--queues', 'foo'], code: 1, says: /--queues takes tasks and\/or orders, got foo/ },
  { name: 'run --market bogus', args: () => ['run', '--market', 'bogus'], code: 1, says: /unknown --market "bogus"/ },
  { name: 'run --broker ib --ib-port abc', args: () => ['run', '--broker', 'ib', '--ib-port', 'abc'], code: 1, says: /--ib-port \/ THETADESK_IB_PORT must be a whole number from 1 to 65535; got "abc"/ },
  { name: 'gateway without --sim', args: () => ['gateway'], code: 2, says: /thetadesk gateway needs --sim/ },
  { name: 'gateway --port 99999', args: () => ['gateway', '--sim', '--port', '99999'], code: 1, says: /--port must be from 0 to 65535, got 99999/ },
  { name: 'gateway on a port in use', args: (f) => ['gateway', '--sim', '--port', String(f.busyPort)], code: 3, says: /cannot listen on 127\.0\.0\.1:\d+/ },
  // the program itself
  { name: 'no arguments', args: () => [], code: 2, says: /^Usage: thetadesk \[options\] \[command\]$/ },
  { name: 'an unknown command', args: () => ['lnit'], code: 2, says: /unknown command 'lnit'/ },
  { name: 'an unknown flag', args: () => ['lint', '--no-such-flag'], code: 2, says: /unknown option '--no-such-flag'/ },
];

describe('when a user gives a command bad input', () => {
  let fixture: Fixture;
  let busy: net.Server;
  const results = new Map<string, CliResult>();
  const madeJournal: string[] = [];

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-bad-input-'));
    const file = (name: string): string => path.join(dir, name);
    for (const [name, content] of Object.entries(FILES)) fs.writeFileSync(file(name), content);
    fs.writeFileSync(file('a-file'), 'not a folder\n');
    execFileSync('mkfifo', [file('fifo')]);
    fs.symlinkSync(file('loop-b'), file('loop-a'));
    fs.symlinkSync(file('loop-a'), file('loop-b'));
    // The shipped config in the scratch folder, so commands run there as in a user's project.
    const cfg = configDirWith();
    for (const f of fs.readdirSync(cfg)) fs.cpSync(path.join(cfg, f), path.join(dir, f), { recursive: true });
    fs.cpSync(cfg, file('fifo-config'), { recursive: true });
    fs.cpSync(cfg, file('extra-rules'), { recursive: true });
    fs.rmSync(cfg, { recursive: true, force: true });
    fs.rmSync(path.join(file('fifo-config'), 'strategies.yaml'));
    execFileSync('mkfifo', [path.join(file('fifo-config'), 'strategies.yaml')]);
    fs.writeFileSync(path.join(file('extra-rules'), 'rules', 'earnings.yaml'), 'rules: []\n');
    const journal = file('journal.db');
    openJournal(journal).close();
    // Read-only even for root (CI runs as root): chmod for everyone else, the immutable flag for root.
    openJournal(file('readonly.db')).close();
    fs.chmodSync(file('readonly.db'), 0o444);
    if (process.getuid?.() === 0) execFileSync('chattr', ['+i', file('readonly.db')]);
    busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    fixture = { dir, cfg: dir, journal, file, ibPort: await closedPort(), busyPort: (busy.address() as net.AddressInfo).port, redisUrl: `redis://127.0.0.1:${await closedPort()}` };
    // Whole node processes on a two-core machine beside jest's other worker: one at a time, so
    // the suite's timing-sensitive tests (IB pacing, order walks) are not starved.
    const runs = await mapLimit(CASES, 1, async (c) => {
      const r = await run(c.args(fixture), { cwd: dir, env: { ...process.env, ...c.env?.(fixture) }, timeoutMs: 45_000 });
      // Which case made the default journal, if one did: a wrong flag must leave nothing behind.
      if (fs.existsSync(path.join(dir, 'data', 'thetadesk.db'))) {
        madeJournal.push(c.name);
        fs.rmSync(path.join(dir, 'data'), { recursive: true, force: true });
      }
      return r;
    });
    CASES.forEach((c, i) => results.set(c.name, runs[i] as CliResult));
  }, 600_000);

  afterAll(async () => {
    if (process.getuid?.() === 0) execFileSync('chattr', ['-i', fixture.file('readonly.db')]);
    await new Promise<void>((resolve) => busy.close(() => resolve()));
    fs.rmSync(fixture.dir, { recursive: true, force: true });
  });

  it('should cover at least 40 bad inputs', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('should answer %s with one line naming the problem and its exit code', (_name, c) => {
    const r = results.get(c.name) as CliResult;
    const report = c.on === 'stdout' ? r.stdout : r.stderr;
    const first = report.split('\n')[0] ?? '';
    expect({ code: r.code, first }).toEqual({ code: c.code, first: expect.stringMatching(c.says) });
    // Never a stack trace, never the input echoed back at length.
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(first.length).toBeLessThanOrEqual(400);
    if (c.on !== 'stdout' && c.args(fixture).length > 0) {
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^thetadesk: /);
      expect(r.stdout).toBe('');
    }
  });

  it('should print the help on stderr when no command is given', () => {
    const r = results.get('no arguments') as CliResult;
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Commands:');
    expect(r.stderr).toContain('  lint [options]');
  });

  it('should create no journal when a flag is wrong', () => {
    expect(madeJournal).toEqual([]);
  });
});
