/** A fenced code block of the README: its info string, first line number (1-based) and text lines. */
export interface FencedBlock {
  readonly lang: string;
  readonly line: number;
  readonly lines: readonly string[];
}

/** One command of an `sh` block: a line, or a line with its heredoc body or `\` continuations. */
export interface ShellCommand {
  readonly text: string;
  /** README line of the command's first line. */
  readonly line: number;
  /** `not run by the README test: why)` in the line's comment: the README says it is not run, and why. */
  readonly notRun: string | null;
  /** Ends in `&`: a service the next lines talk to. */
  readonly background: boolean;
}

export function fencedBlocks(markdown: string): FencedBlock[] {
  const out: FencedBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^```\s*$/.test(lines[j] ?? '')) body.push(lines[j++] ?? '');
    if (j >= lines.length) throw new Error(`README line ${i + 1}: a code block is never closed`);
    out.push({ lang: open[1] ?? '', line: i + 2, lines: body });
    i = j;
  }
  return out;
}

const NOT_RUN = /not run by the README test: ([^)]+)\)/;

/** The commands of an `sh` block, in order; comment-only and blank lines are not commands. */
export function shellCommands(block: FencedBlock): ShellCommand[] {
  const out: ShellCommand[] = [];
  const lines = block.lines;
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i] ?? '';
    if (first.trim() === '' || first.trim().startsWith('#')) continue;
    const parts = [first];
    const start = i;
    const heredoc = /<<-?\s*'?"?(\w+)'?"?/.exec(first);
    if (heredoc) {
      // The body up to the terminator line belongs to this command.
      while (i + 1 < lines.length && (lines[i] ?? '').trim() !== heredoc[1]) parts.push(lines[++i] ?? '');
    } else {
      while ((lines[i] ?? '').endsWith('\\') && i + 1 < lines.length) parts.push(lines[++i] ?? '');
    }
    const text = parts.join('\n');
    const notRun = NOT_RUN.exec(first)?.[1] ?? null;
    // The command without its trailing comment decides whether it runs in the background.
    const bare = first.replace(/\s+#.*$/, '').trimEnd();
    out.push({ text, line: block.line + start, notRun, background: !heredoc && bare.endsWith('&') });
  }
  return out;
}
