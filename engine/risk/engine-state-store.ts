/** Durable key/value state the risk layer keeps (breaker, halt); the journal implements it. */
export interface EngineStateStore {
  get<T>(key: string): T | null;
  set(key: string, value: unknown, nowMs: number): void;
}

export class InMemoryEngineStateStore implements EngineStateStore {
  private readonly values = new Map<string, string>();

  get<T>(key: string): T | null {
    const v = this.values.get(key);
    return v === undefined ? null : (JSON.parse(v) as T);
  }

  set(key: string, value: unknown): void {
    this.values.set(key, JSON.stringify(value));
  }
}
