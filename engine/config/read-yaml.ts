import * as fs from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document, type Node } from 'yaml';
import type { Problem } from './problem';

export const MAX_FILE_BYTES = 1024 * 1024;
/** Aliases beyond this are a "billion laughs" document, not a config. */
const MAX_ALIAS_COUNT = 100;

export interface ParsedYaml {
  /** Path relative to the config dir, as shown in problems. */
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  /** Plain JS value of the document. */
  readonly data: unknown;
}

export type ReadResult = { ok: true; parsed: ParsedYaml } | { ok: false; problems: Problem[] };

function fileProblem(file: string, code: string, message: string, line = 1, col = 1): Problem {
  return { file, line, col, severity: 'error', code, message };
}

function statProblem(file: string, e: unknown): Problem {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return fileProblem(file, 'E_FILE_MISSING', `file not found: create ${file}`);
  if (code === 'ELOOP') return fileProblem(file, 'E_FILE_NOT_FILE', `${file} is a symlink loop (too many levels of symbolic links)`);
  if (code === 'EACCES' || code === 'EPERM') return fileProblem(file, 'E_FILE_UNREADABLE', `${file} cannot be read: permission denied`);
  return fileProblem(file, 'E_FILE_UNREADABLE', `${file} cannot be read (${code ?? String(e)})`);
}

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * The file's text, opened non-blocking and checked on the open descriptor: a FIFO named
 * strategies.yaml made lint hang (#13), a device would be read forever.
 */
function readText(abs: string, file: string): { text: string } | { problem: Problem } {
  let fd: number;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    return { problem: statProblem(file, e) };
  }
  let buf: Buffer;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { problem: fileProblem(file, 'E_FILE_NOT_FILE', `${file} is ${kindOf(st)}, expected a YAML file`) };
    if (st.size > MAX_FILE_BYTES) {
      return { problem: fileProblem(file, 'E_FILE_TOO_LARGE', `${file} is ${st.size} bytes; a config file may be at most ${MAX_FILE_BYTES} bytes`) };
    }
    buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < buf.length) {
      const r = fs.readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
    buf = buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
  if (buf.includes(0)) return { problem: fileProblem(file, 'E_FILE_BINARY', `${file} is binary (contains NUL bytes), expected YAML text`) };
  const text = buf.toString('utf8');
  if (text.trim() === '' || text.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('#'))) {
    return { problem: fileProblem(file, 'E_FILE_EMPTY', `${file} is empty`) };
  }
  return { text };
}

/** Reads and parses one YAML file, never throwing: every failure is a located problem. */
export function readYaml(abs: string, file: string): ReadResult {
  const r = readText(abs, file);
  if ('problem' in r) return { ok: false, problems: [r.problem] };
  const lines = new LineCounter();
  const doc = parseDocument(r.text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  const problems: Problem[] = doc.errors.map((e) => {
    const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
    const code = e.code === 'DUPLICATE_KEY' ? 'E_YAML_DUPLICATE_KEY' : 'E_YAML_SYNTAX';
    const first = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
    return fileProblem(file, code, first, pos.line, pos.col);
  });
  if (problems.length > 0) return { ok: false, problems };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const code = /alias/i.test(msg) ? 'E_YAML_ALIAS_BOMB' : 'E_YAML_SYNTAX';
    return { ok: false, problems: [fileProblem(file, code, /alias/i.test(msg) ? `too many YAML aliases (over ${MAX_ALIAS_COUNT}): refusing a possible alias bomb` : msg)] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, problems: [fileProblem(file, 'E_YAML_NOT_MAPPING', `${file} must be a YAML mapping (key: value) at the top level`)] };
  }
  return { ok: true, parsed: { file, text: r.text, doc, lines, data } };
}

/** Line and column of the node at a path, or of its nearest existing ancestor. */
export function locate(p: ParsedYaml, path: readonly (string | number)[]): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? p.doc.contents : p.doc.getIn(path.slice(0, n), true);
    if (isNode(node) && (node as Node).range) {
      const start = (node as Node).range?.[0] ?? 0;
      // For a scalar value, point at its key when possible: the key is what the user looks for.
      const pos = p.lines.linePos(keyOffset(p, path.slice(0, n)) ?? start);
      return { line: pos.line, col: pos.col };
    }
  }
  return { line: 1, col: 1 };
}

function keyOffset(p: ParsedYaml, path: readonly (string | number)[]): number | null {
  if (path.length === 0) return null;
  const parent: unknown = path.length === 1 ? p.doc.contents : p.doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (parent && typeof parent === 'object' && 'items' in parent && Array.isArray((parent as { items: unknown[] }).items)) {
    for (const item of (parent as { items: unknown[] }).items) {
      if (item && typeof item === 'object' && 'key' in item) {
        const key = (item as { key: unknown }).key;
        if (isNode(key) && (key as unknown as { value: unknown }).value === last && key.range) return key.range[0];
      }
    }
  }
  return null;
}
