import * as path from 'node:path';
import { ConfigError } from '../shared/errors';
import type { CompiledConfig } from './types';
import { sortProblems, formatProblem, type Problem } from './problem';
import { readYaml, type ParsedYaml } from './read-yaml';
import { validateSchema, type SchemaName } from './validate-schema';
import { CONFIG_FILES, type Check, type FileKey, type LintContext } from './lint-context';
import { compileConfig, type RawFiles } from './compile-config';
import { configDirProblem, unreadRuleFiles } from './config-dir';
import { checkFacts } from './checks/check-facts';
import { checkConditionRefs, checkNames, checkPriorities } from './checks/check-rule-structure';
import { checkShadowedRules } from './checks/check-shadowed-rules';
import { checkScoring } from './checks/check-scoring';
import { checkStrategyRanges } from './checks/check-strategy-ranges';
import { checkSchedules } from './checks/check-schedules';
import { checkMaintenance } from './checks/check-maintenance';
import { checkWatchdog } from './checks/check-watchdog';
import { checkRollParams } from './checks/check-roll-params';

const SCHEMA_OF: Readonly<Record<FileKey, SchemaName>> = {
  strategies: 'strategies',
  exit: 'exit-rules',
  entry: 'entry-gates',
  schedules: 'schedules',
};

// Reference checks run before the shadowing check: shadowing resolves `condition:` references.
const CHECKS: readonly Check[] = [checkNames, checkPriorities, checkConditionRefs, checkFacts, checkScoring, checkStrategyRanges, checkSchedules, checkMaintenance, checkWatchdog, checkRollParams];

export interface LintResult {
  readonly dir: string;
  readonly config: CompiledConfig | null;
  readonly problems: readonly Problem[];
  readonly files: readonly string[];
}

/** Every problem of the config in DIR (all files, all checks), and the compiled config when clean. */
export function lintConfig(dir: string): LintResult {
  const absDir = path.resolve(dir);
  const files = Object.values(CONFIG_FILES);
  const dirProblem = configDirProblem(dir);
  if (dirProblem) return { dir: absDir, config: null, problems: [dirProblem], files };
  const problems: Problem[] = [...unreadRuleFiles(absDir)];
  const parsed: Partial<Record<FileKey, ParsedYaml>> = {};
  for (const key of Object.keys(CONFIG_FILES) as FileKey[]) {
    const file = CONFIG_FILES[key];
    const r = readYaml(path.join(absDir, file), file);
    if (!r.ok) {
      problems.push(...r.problems);
      continue;
    }
    const schemaProblems = validateSchema(SCHEMA_OF[key], r.parsed);
    problems.push(...schemaProblems);
    if (schemaProblems.length === 0) parsed[key] = r.parsed;
  }
  if (problems.length > 0 || !parsed.strategies || !parsed.exit || !parsed.entry || !parsed.schedules) {
    return { dir: absDir, config: null, problems: sortProblems(problems), files };
  }
  const ctx: LintContext = { files: parsed as Record<FileKey, ParsedYaml> };
  for (const check of CHECKS) problems.push(...check(ctx));
  // Shadowing only makes sense once references resolve and priorities are sane.
  if (!problems.some((p) => p.code === 'E_CONDITION_REF' || p.code === 'E_CONDITION_CYCLE')) problems.push(...checkShadowedRules(ctx));
  if (problems.some((p) => p.severity === 'error')) return { dir: absDir, config: null, problems: sortProblems(problems), files };
  const raw = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.data])) as unknown as RawFiles;
  const sources = (Object.keys(CONFIG_FILES) as FileKey[]).map((k) => ({ file: CONFIG_FILES[k], text: parsed[k]?.text ?? '' }));
  return { dir: absDir, config: compileConfig(raw, absDir, sources), problems: sortProblems(problems), files };
}

/** The compiled config of DIR; throws ConfigError listing every problem (fix the files, never retry). */
export function loadConfig(dir: string): CompiledConfig {
  const r = lintConfig(dir);
  if (!r.config) {
    const only = r.problems.length === 1 ? r.problems[0] : undefined;
    if (only?.code === 'E_CONFIG_DIR') throw new ConfigError('E_CONFIG_DIR', only.message, { problems: r.problems });
    const lines = r.problems.map(formatProblem);
    if (only) throw new ConfigError('E_CONFIG_INVALID', `configuration in ${r.dir} is invalid (run thetadesk lint): ${formatProblem(only)}`, { problems: r.problems });
    throw new ConfigError('E_CONFIG_INVALID', `configuration in ${r.dir} is invalid (${lines.length} problem${lines.length === 1 ? '' : 's'}; run thetadesk lint):\n${lines.join('\n')}`, {
      problems: r.problems,
    });
  }
  return r.config;
}
