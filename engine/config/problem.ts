export type Severity = 'error' | 'warning';

/** One lint finding, located in a file. Lines and columns are 1-based. */
export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col} ${p.severity} ${p.code} ${p.message}`;
}

export function sortProblems(list: readonly Problem[]): Problem[] {
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code));
}
