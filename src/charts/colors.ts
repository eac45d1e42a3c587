/** Colour by P_m (the paper's Figure 3 style): the dense net dark blue, sparse tickets bright. */
export function colorForRemaining(remaining: number): string {
  const t = Math.min(1, Math.max(0, Math.log(Math.max(remaining, 1e-3)) / Math.log(0.02)));
  return `hsl(${Math.round(225 - 190 * t)}, 75%, ${Math.round(32 + 16 * t)}%)`;
}
