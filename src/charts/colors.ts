/**
 * Colour by P_m (the paper's Figure 3 style): the dense net dark blue, sparse tickets through teal
 * and green to orange. Drawn in CIE HCL with the lightness rising slowly, so every step of the
 * scale stays at least 3:1 against the white page (WCAG 1.4.11; the HSL scale it replaces went
 * as light as 2.3:1 in its greens).
 */
import { hcl } from 'd3';

export function colorForRemaining(remaining: number): string {
  const t = Math.min(1, Math.max(0, Math.log(Math.max(remaining, 1e-3)) / Math.log(0.02)));
  return hcl(280 - 230 * t, 60, 32 + 22 * t).formatHex();
}
