export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Resolves on the first SIGINT or SIGTERM, taking its handlers off again. `ready` runs once the
 * handlers are in: a supervisor may stop the process the moment it reads the line `ready` prints.
 */
export function untilStopSignal(ready: () => void): Promise<StopSignal> {
  return new Promise<StopSignal>((resolve) => {
    const stop = (sig: StopSignal): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(sig);
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    ready();
  });
}
