/**
 * Deterministic randomness keyed by values, not by call order: the same (seed, symbol, step) always
 * gives the same number, whichever order the simulation is queried in.
 */
export function hash32(...parts: ReadonlyArray<string | number>): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const s = typeof p === 'number' ? p.toString(36) : p;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x7c;
    h = Math.imul(h, 0x01000193);
  }
  // final avalanche (murmur3 fmix32)
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in (0, 1). */
export function uniform(...parts: ReadonlyArray<string | number>): number {
  return (hash32(...parts) + 0.5) / 4294967296;
}

/** Standard normal by Box-Muller from two keyed uniforms. */
export function gaussian(...parts: ReadonlyArray<string | number>): number {
  const u1 = uniform(...parts, 'a');
  const u2 = uniform(...parts, 'b');
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
