import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Problem } from './problem';
import { CONFIG_FILES } from './lint-context';

const problem = (file: string, code: string, message: string): Problem => ({ file, line: 1, col: 1, severity: 'error', code, message });

const WHAT = 'the folder holding strategies.yaml, schedules.yaml and rules/';

/**
 * What is wrong with the config folder itself, before any file in it is read: missing, a file, a
 * symlink loop (#13: all three said "file not found: create strategies.yaml", three times).
 */
export function configDirProblem(dir: string): Problem | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return problem(dir, 'E_CONFIG_DIR', `config folder ${dir} does not exist; --config takes ${WHAT}`);
    if (code === 'ELOOP') return problem(dir, 'E_CONFIG_DIR', `config folder ${dir} is a symlink loop (too many levels of symbolic links); --config takes ${WHAT}`);
    if (code === 'ENOTDIR') return problem(dir, 'E_CONFIG_DIR', `config folder ${dir}: a part of the path is a file, not a folder; --config takes ${WHAT}`);
    return problem(dir, 'E_CONFIG_DIR', `config folder ${dir} cannot be read (${code ?? String(e)})`);
  }
  if (!st.isDirectory()) return problem(dir, 'E_CONFIG_DIR', `config folder ${dir} is a file; --config takes ${WHAT}, e.g. --config ${path.dirname(dir)}`);
  return null;
}

const READ_RULE_FILES: ReadonlySet<string> = new Set([CONFIG_FILES.exit, CONFIG_FILES.entry].map((f) => path.basename(f)));

/**
 * YAML files in rules/ that thetadesk does not read are errors, never silently ignored: someone
 * who adds rules/earnings.yaml expects its rules to run. The 12 position rules live in exit.yaml
 * (priorities exactly 1..12, so rules cannot be spread over files) and the gates in entry.yaml.
 */
export function unreadRuleFiles(absDir: string): Problem[] {
  let names: string[];
  try {
    names = fs.readdirSync(path.join(absDir, 'rules'));
  } catch {
    return []; // a missing rules/ is reported by its two files
  }
  return names
    .filter((n) => /\.ya?ml$/i.test(n) && !READ_RULE_FILES.has(n))
    .sort()
    .map((n) =>
      problem(
        `rules/${n}`,
        'E_FILE_UNREAD',
        `rules/${n} is not read: thetadesk reads only rules/exit.yaml (the 12 position rules) and rules/entry.yaml (the entry gates); move its rules there or delete it`,
      ),
    );
}
