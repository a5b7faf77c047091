/** Edit distance (insertions, deletions, substitutions), stopping early once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length] ?? limit + 1;
}

const squash = (s: string): string => s.toLowerCase().replace(/[_\-\s]/g, '');

/**
 * The known name a typo most likely meant (`strik` → `strike`, `ivrank` → `iv_rank`), or null.
 * Names are compared without case and underscores, within two edits (one for short names).
 */
export function closestName(typo: string, known: readonly string[]): string | null {
  if (typo.length > 64) return null;
  const t = squash(typo);
  let best: { name: string; d: number } | null = null;
  for (const name of known) {
    const limit = name.length <= 4 ? 1 : 2;
    const d = distance(t, squash(name), limit);
    if (d <= limit && (!best || d < best.d)) best = { name, d };
  }
  return best?.name ?? null;
}

/** ` (did you mean "strike"?)` or nothing: to append to an "unknown key" message. */
export function didYouMean(typo: string, known: readonly string[]): string {
  const c = closestName(typo, known);
  return c === null ? '' : ` (did you mean "${c}"?)`;
}
