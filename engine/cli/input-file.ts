import * as fs from 'node:fs';
import { printable, quoteValue } from '../shared/quote-value';
import { CliExit, EXIT } from './exit-codes';

/** An --input file holds one position or one candidate: a few hundred bytes. 1 MiB is generous. */
export const INPUT_MAX_BYTES = 1024 * 1024;

const bad = (msg: string): CliExit => new CliExit(EXIT.INPUT, msg);

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function openError(flag: string, file: string, e: unknown): CliExit {
  const code = (e as NodeJS.ErrnoException).code;
  const name = quoteValue(file);
  if (code === 'ENOENT') return bad(`${flag} ${name}: no such file`);
  if (code === 'EACCES' || code === 'EPERM') return bad(`${flag} ${name}: permission denied`);
  if (code === 'ELOOP') return bad(`${flag} ${name}: too many levels of symbolic links (a symlink loop?)`);
  if (code === 'ENOTDIR') return bad(`${flag} ${name}: a part of the path is not a directory`);
  return bad(`${flag} ${name}: cannot open (${code ?? printable(String(e))})`);
}

/**
 * The text of an --input file: a regular file of at most `maxBytes` of UTF-8 text. Opened
 * non-blocking and checked on the open descriptor, so a FIFO cannot hang the command and
 * /dev/zero cannot be read until memory runs out (#13: `decide --input /dev/zero` died after 76 s).
 */
export function readInputText(flag: string, file: string, maxBytes: number = INPUT_MAX_BYTES): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw openError(flag, file, e);
  }
  let buf: Buffer;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw bad(`${flag} ${quoteValue(file)} is ${kindOf(st)}; expected a regular JSON file`);
    if (st.size > maxBytes) throw bad(`${flag} ${quoteValue(file)} is ${st.size} bytes; an input file may be at most ${maxBytes} bytes`);
    // Read one byte past the cap: a file that grew after fstat is still refused, never read whole.
    buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    while (n < buf.length) {
      const r = fs.readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
    if (n > maxBytes) throw bad(`${flag} ${quoteValue(file)} is over ${maxBytes} bytes; an input file may be at most ${maxBytes} bytes`);
    buf = buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
  if (buf.includes(0)) throw bad(`${flag} ${quoteValue(file)} is binary (contains NUL bytes); expected JSON text`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw bad(`${flag} ${quoteValue(file)} is not UTF-8 text; expected JSON`);
  }
  // A byte-order mark (some Windows editors write one) is not part of the JSON.
  return text.startsWith('\ufeff') ? text.slice(1) : text;
}

/** Line and column (1-based) of a character offset, for "not valid JSON at 3:14". */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before[before.length - 1]?.length ?? 0) + 1}`;
}

/** An --input file parsed as JSON; a syntax error is one line with its position, never the file echoed back. */
export function readJsonInput(flag: string, file: string, maxBytes: number = INPUT_MAX_BYTES): unknown {
  const text = readInputText(flag, file, maxBytes);
  if (text.trim() === '') throw bad(`${flag} ${quoteValue(file)} is empty; expected a JSON object`);
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /at position (\d+)/.exec(msg);
    // V8 quotes the input in its message ('Unexpected token …, "<input>" is not valid JSON'): drop that part.
    const reason = msg.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
    throw bad(`${flag} ${quoteValue(file)} is not valid JSON${pos ? ` at ${lineCol(text, Number(pos[1]))}` : ''}: ${printable(reason)}`);
  }
}
