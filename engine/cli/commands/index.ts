import type { Command } from 'commander';

/** Every command registers itself on the program; keep this list sorted by name. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [];
