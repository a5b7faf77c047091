import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintConfig } from '../../../engine/config/load-config';
import { configDirWith } from '../../helpers/config';

interface FileCase {
  readonly name: string;
  readonly prepare: (dir: string) => void;
  readonly file: string;
  readonly code: string;
  readonly message: RegExp;
}

const target = (dir: string): string => path.join(dir, 'strategies.yaml');

const CASES: readonly FileCase[] = [
  { name: 'missing', prepare: (d) => fs.rmSync(target(d)), file: 'strategies.yaml', code: 'E_FILE_MISSING', message: /^file not found: create strategies.yaml$/ },
  { name: 'empty', prepare: (d) => fs.writeFileSync(target(d), '# only a comment\n\n'), file: 'strategies.yaml', code: 'E_FILE_EMPTY', message: /^strategies.yaml is empty$/ },
  {
    name: 'a directory instead of a file',
    prepare: (d) => {
      fs.rmSync(target(d));
      fs.mkdirSync(target(d));
    },
    file: 'strategies.yaml',
    code: 'E_FILE_NOT_FILE',
    message: /is a directory, expected a YAML file/,
  },
  { name: 'binary', prepare: (d) => fs.writeFileSync(target(d), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01])), file: 'strategies.yaml', code: 'E_FILE_BINARY', message: /is binary/ },
  { name: 'over 1 MB', prepare: (d) => fs.writeFileSync(target(d), `a: "${'x'.repeat(1024 * 1024)}"\n`), file: 'strategies.yaml', code: 'E_FILE_TOO_LARGE', message: /a config file may be at most 1048576 bytes/ },
  {
    name: 'a billion-laughs alias bomb',
    prepare: (d) => {
      const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
      for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
      fs.writeFileSync(target(d), `${lines.join('\n')}\n`);
    },
    file: 'strategies.yaml',
    code: 'E_YAML_ALIAS_BOMB',
    message: /too many YAML aliases/,
  },
  { name: 'a syntax error', prepare: (d) => fs.writeFileSync(target(d), 'scoring: [unclosed\n'), file: 'strategies.yaml', code: 'E_YAML_SYNTAX', message: /./ },
  { name: 'a list at the top level', prepare: (d) => fs.writeFileSync(target(d), '- a\n- b\n'), file: 'strategies.yaml', code: 'E_YAML_NOT_MAPPING', message: /must be a YAML mapping/ },
];

describe('when a config file is unusable', () => {
  it.each(CASES)('should report $name as one located problem, quickly, without throwing', (c) => {
    const dir = configDirWith();
    c.prepare(dir);
    const started = process.hrtime.bigint();
    const r = lintConfig(dir);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(r.config).toBeNull();
    const mine = r.problems.filter((p) => p.file === c.file);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.code).toBe(c.code);
    expect(mine[0]?.message).toMatch(c.message);
    expect(mine[0]?.line).toBeGreaterThanOrEqual(1);
    // Not a timing assertion of speed: an alias bomb expanded would take minutes and gigabytes.
    expect(elapsedMs).toBeLessThan(30_000);
  });

  it('should still report the problems of the other files', () => {
    const dir = configDirWith((f) => {
      f['schedules.yaml'] = (f['schedules.yaml'] ?? '').replace('timezone: America/New_York', 'timezone: 5');
    });
    fs.rmSync(target(dir));
    const r = lintConfig(dir);
    expect(r.problems.map((p) => `${p.file} ${p.code}`)).toEqual(['schedules.yaml E_SCHEMA', 'strategies.yaml E_FILE_MISSING']);
  });
});
