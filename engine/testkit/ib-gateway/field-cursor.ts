/**
 * A layout mismatch between the client's message and our reading of it. Thrown instead of guessing:
 * a field read one place off turns a price into a quantity, so the gateway refuses the message.
 */
export class WireLayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireLayoutError';
  }
}

/** Reads one message's fields in order, with IB's conventions for empty fields. */
export class FieldCursor {
  private i = 0;

  constructor(
    private readonly fields: readonly string[],
    private readonly what: string,
  ) {}

  str(): string {
    const v = this.fields[this.i];
    if (v === undefined) throw new WireLayoutError(`${this.what}: the message ends at field ${this.i}, but the layout reads more (field count ${this.fields.length})`);
    this.i += 1;
    return v;
  }

  /** IB writes an unset int as '' (read as 0, as the client's own reader does). */
  int(): number {
    const s = this.str();
    if (s === '') return 0;
    const n = Number(s);
    if (!Number.isFinite(n)) throw new WireLayoutError(`${this.what}: field ${this.i - 1} should be a number, got "${s}"`);
    return n;
  }

  /** An optional number: '' (and Double.MAX_VALUE, IB's "unset") read as null. */
  num(): number | null {
    const s = this.str();
    if (s === '') return null;
    const n = Number(s);
    if (Number.isNaN(n)) throw new WireLayoutError(`${this.what}: field ${this.i - 1} should be a number, got "${s}"`);
    return n === Number.MAX_VALUE ? null : n;
  }

  bool(): boolean {
    const s = this.str();
    return s !== '' && s !== '0' && s.toLowerCase() !== 'false';
  }

  /** A count that announces repeated groups: negative or absurd counts mean we are misaligned. */
  count(max = 1000): number {
    const n = this.int();
    if (!Number.isInteger(n) || n < 0 || n > max) throw new WireLayoutError(`${this.what}: field ${this.i - 1} should be a count 0..${max}, got ${n}`);
    return n;
  }

  skip(n: number): void {
    for (let k = 0; k < n; k += 1) this.str();
  }

  /** Asserts the layout consumed the whole message (the loud failure on a mismatch). */
  end(): void {
    if (this.i !== this.fields.length) throw new WireLayoutError(`${this.what}: ${this.fields.length - this.i} field(s) left unread after field ${this.i} of ${this.fields.length}; the layout does not match the client's`);
  }
}
