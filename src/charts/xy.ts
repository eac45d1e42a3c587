/**
 * Point arrays re-shaped to {x, y}, cached by the source array: as long as the store hands over
 * the same array, the chart gets the same mapped array, and its memoised line skips the work.
 */
const cache = new WeakMap<object, Map<string, readonly { x: number; y: number }[]>>();

export function xyOf<T extends object, X extends keyof T, Y extends keyof T>(
  points: readonly T[],
  xKey: X,
  yKey: Y,
): readonly { x: number; y: number }[] {
  let byKey = cache.get(points);
  if (!byKey) cache.set(points, (byKey = new Map()));
  const id = `${String(xKey)}|${String(yKey)}`;
  let out = byKey.get(id);
  if (!out) byKey.set(id, (out = points.map((p) => ({ x: Number(p[xKey]), y: Number(p[yKey]) }))));
  return out;
}
