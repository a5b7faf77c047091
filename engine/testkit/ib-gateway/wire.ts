/**
 * TWS API wire framing (protocol v100+), written from IB's published protocol description:
 * after the `API\0` prefix and a length-prefixed version range ("v100..193"), every message in
 * both directions is a 4-byte big-endian length followed by NUL-terminated UTF-8 fields.
 */

export const API_PREFIX = Buffer.from('API\0', 'utf8');

/** One message as a frame: length prefix + fields each ending with NUL. */
export function encodeFrame(fields: ReadonlyArray<string | number | boolean | null | undefined>): Buffer {
  const body = Buffer.from(fields.map((f) => `${f === null || f === undefined ? '' : typeof f === 'boolean' ? (f ? '1' : '0') : String(f)}\0`).join(''), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

export type WireEvent = { readonly kind: 'hello'; readonly minVersion: number; readonly maxVersion: number } | { readonly kind: 'message'; readonly fields: readonly string[] };

/** Largest frame accepted: a client sending more is broken or hostile; the connection is dropped. */
const MAX_FRAME = 16 * 1024 * 1024;

/** Incremental reader of the client's byte stream (the hello, then framed messages). */
export class FrameReader {
  private buf = Buffer.alloc(0);
  private greeted = false;

  push(chunk: Buffer): WireEvent[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: WireEvent[] = [];
    for (;;) {
      if (!this.greeted) {
        if (this.buf.length < API_PREFIX.length + 4) return out;
        if (!this.buf.subarray(0, API_PREFIX.length).equals(API_PREFIX)) throw new Error('client did not start with API\\0: not a TWS API v100+ client');
        const len = this.buf.readUInt32BE(API_PREFIX.length);
        const start = API_PREFIX.length + 4;
        if (this.buf.length < start + len) return out;
        const range = this.buf.subarray(start, start + len).toString('utf8');
        this.buf = this.buf.subarray(start + len);
        const m = /^v(\d+)(?:\.\.(\d+))?/.exec(range);
        if (!m || m[1] === undefined) throw new Error(`bad version range "${range}"`);
        this.greeted = true;
        out.push({ kind: 'hello', minVersion: Number(m[1]), maxVersion: Number(m[2] ?? m[1]) });
        continue;
      }
      if (this.buf.length < 4) return out;
      const len = this.buf.readUInt32BE(0);
      if (len > MAX_FRAME) throw new Error(`frame of ${len} bytes exceeds ${MAX_FRAME}`);
      if (this.buf.length < 4 + len) return out;
      const text = this.buf.subarray(4, 4 + len).toString('utf8');
      this.buf = this.buf.subarray(4 + len);
      const fields = text.split('\0');
      if (fields[fields.length - 1] === '') fields.pop();
      out.push({ kind: 'message', fields });
    }
  }
}
