/**
 * Waits `ms` of wall time, or less when `signal` aborts (it resolves then, never rejects: the
 * caller looks at `signal.aborted` and applies its own stop policy). A stop signal must not leave
 * a timer holding the process open for the rest of an order walk.
 */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  if (!(ms > 0) || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
