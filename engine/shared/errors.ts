/**
 * The error hierarchy says what the caller should do next:
 * - ConfigError: the configuration or input is wrong; fix it, never retry.
 * - TransientError: a service hiccup (network, pacing, timeout); retry with backoff.
 * - BrokerRejectedError: the broker refused the order; do not retry (maps to BullMQ's UnrecoverableError).
 * - NotConnectedError: the broker/service is unreachable right now; a transient error with its own exit code.
 * - InvariantViolation: the engine's own state contradicts itself; halt trading.
 */
export type ErrorKind = 'config' | 'transient' | 'rejected' | 'not_connected' | 'invariant';

export abstract class ThetadeskError extends Error {
  abstract readonly kind: ErrorKind;
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = Object.freeze({ ...details });
  }

  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'not_connected';
  }
}

export class ConfigError extends ThetadeskError {
  readonly kind = 'config' as const;
}

export class TransientError extends ThetadeskError {
  readonly kind = 'transient' as const;
}

export class NotConnectedError extends ThetadeskError {
  readonly kind = 'not_connected' as const;
}

export class BrokerRejectedError extends ThetadeskError {
  readonly kind = 'rejected' as const;
}

export class InvariantViolation extends ThetadeskError {
  readonly kind = 'invariant' as const;
}

export function isThetadeskError(e: unknown): e is ThetadeskError {
  return e instanceof ThetadeskError;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
