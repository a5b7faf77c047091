import * as path from 'node:path';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { formatProblem, type Problem } from '../config/problem';

/** `thetadesk lint --format`: text for people, json for scripts, github for Actions annotations, sarif for code scanning. */
export const LINT_FORMATS = ['text', 'json', 'github', 'sarif'] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

/**
 * A problem's file as CI tools want it: relative to the working directory (the repository root in
 * a CI job), forward slashes. Problems name files relative to the config folder; a problem with the
 * folder itself names the folder.
 */
export function ciPath(problem: Problem, configDir: string, cwd: string = process.cwd()): string {
  const abs = problem.code === 'E_CONFIG_DIR' ? path.resolve(cwd, problem.file) : path.resolve(cwd, configDir, problem.file);
  return (path.relative(cwd, abs) || '.').split(path.sep).join('/');
}

// GitHub's workflow-command escaping (actions/toolkit, command.ts): data escapes % CR LF; properties also : and ,.
const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One `::error file=…,line=…,col=…,title=CODE::message` line per problem: each annotates the pull request at its line. */
export function githubLines(problems: readonly Problem[], configDir: string, cwd?: string): string[] {
  return problems.map((p) => {
    const props = [`file=${escapeProperty(ciPath(p, configDir, cwd))}`, `line=${p.line}`, `col=${p.col}`, `title=${escapeProperty(`thetadesk ${p.code}`)}`];
    return `::${p.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(p.message)}`;
  });
}

/** The problems as one SARIF 2.1.0 log (a run of the tool "thetadesk", one result per problem, one rule per code). */
export function sarifLog(problems: readonly Problem[], configDir: string, version: string, cwd?: string): Log {
  const codes = [...new Set(problems.map((p) => p.code))].sort();
  const rules: ReportingDescriptor[] = codes.map((code) => ({
    id: code,
    name: code,
    shortDescription: { text: `thetadesk lint ${code}` },
    defaultConfiguration: { level: problems.some((p) => p.code === code && p.severity === 'error') ? 'error' : 'warning' },
  }));
  const results: Result[] = problems.map((p) => ({
    ruleId: p.code,
    ruleIndex: codes.indexOf(p.code),
    level: p.severity === 'error' ? 'error' : 'warning',
    message: { text: p.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: ciPath(p, configDir, cwd) }, region: { startLine: p.line, startColumn: p.col } } }],
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    // The yaml library counts columns in UTF-16 code units, as JavaScript strings do.
    runs: [{ tool: { driver: { name: 'thetadesk', version, rules } }, columnKind: 'utf16CodeUnits', results }],
  };
}

/** What `thetadesk lint` prints in each format (no trailing newline). */
export function lintOutput(format: LintFormat, problems: readonly Problem[], configDir: string, okLine: string | null, version: string): string {
  if (format === 'json') return JSON.stringify(problems, null, 2);
  if (format === 'sarif') return JSON.stringify(sarifLog(problems, configDir, version), null, 2);
  const lines = format === 'github' ? githubLines(problems, configDir) : problems.map(formatProblem);
  if (okLine) lines.push(okLine);
  return lines.join('\n');
}
