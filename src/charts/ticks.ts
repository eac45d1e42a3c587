/** Tick values for the lean charts' axes: round steps, and labels that keep their distance. */

/**
 * The ticks to label, taken in the order given (most wanted first) and dropping any that would sit
 * within `gap` of one already kept: a log axis crowds 80%, 90% and 95% into a few units.
 */
export function spacedTicks(
  ticks: readonly number[],
  at: (t: number) => number,
  gap: number,
): number[] {
  const kept: number[] = [];
  for (const t of ticks) if (kept.every((k) => Math.abs(at(k) - at(t)) >= gap)) kept.push(t);
  return kept;
}

/** Round tick values for [0, max]: about `count` ticks (default 6) at 1, 2 or 5 × 10^k. */
export function niceTicks(max: number, count = 6): number[] {
  if (!(max > 0)) return [0];
  const raw = max / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let t = 0; t <= max + 1e-9; t += step) out.push(Math.round(t * 1e6) / 1e6);
  return out;
}
