export const EXIT = {
  OK: 0,
  /** The input or config is wrong. */
  INPUT: 1,
  /** Usage error (unknown command or flag). */
  USAGE: 2,
  /** A needed service (Redis, broker) is unreachable. */
  UNAVAILABLE: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Thrown by commands to end with a code and a one-line message (no stack trace). */
export class CliExit extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}
