/**
 * Exact values under the pointer or the keyboard's cursor (issue 15: every live chart reads out
 * its values, keyboard reachable). Pure: which x positions a chart has, which is nearest, and the
 * words for the series' values there.
 */

export interface ReadoutSeries {
  label: string;
  points: readonly { x: number; y: number }[];
}

/** Every x any series has a point at, ascending, once. */
export function readoutXs(series: readonly ReadoutSeries[]): number[] {
  const xs = new Set<number>();
  for (const s of series) for (const p of s.points) xs.add(p.x);
  return [...xs].sort((a, b) => a - b);
}

/** The index of the x nearest to `x` (by `distance`, default |a − b|), or -1 for none. */
export function nearestIndex(
  xs: readonly number[],
  x: number,
  distance: (a: number, b: number) => number = (a, b) => Math.abs(a - b),
): number {
  let best = -1;
  let bestD = Infinity;
  xs.forEach((v, i) => {
    const d = distance(v, x);
    if (d < bestD) [best, bestD] = [i, d];
  });
  return best;
}

/** Each series' value at exactly `x` (series without a point there are left out). */
export function valuesAt(
  series: readonly ReadoutSeries[],
  x: number,
): { label: string; y: number }[] {
  const out: { label: string; y: number }[] = [];
  for (const s of series) {
    const p = s.points.find((q) => q.x === x);
    if (p) out.push({ label: s.label, y: p.y });
  }
  return out;
}

/** "iteration 1,200: winning ticket 97.8%; random reinit 97.1%". */
export function readoutText(
  series: readonly ReadoutSeries[],
  x: number,
  xName: string,
  xFormat: (v: number) => string,
  yFormat: (v: number) => string,
): string {
  const values = valuesAt(series, x);
  return `${xName} ${xFormat(x)}: ${values.map((v) => `${v.label} ${yFormat(v.y)}`).join('; ')}`;
}
