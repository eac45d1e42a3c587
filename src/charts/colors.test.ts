import { rgb } from 'd3';
import { describe, expect, it } from 'vitest';
import { VARIANT_COLOR } from '../settings/labels';
import { colorForRemaining } from './colors';
import { LAYER_COLORS } from './LayerBars';

/** WCAG's contrast ratio of a colour against white. */
function contrastOnWhite(color: string): number {
  const c = rgb(color);
  const lin = (v: number) => {
    const x = v / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  return 1.05 / (l + 0.05);
}

describe('chart colours on the white page', () => {
  it('every line, bar and swatch colour stands at least 3:1 against white (WCAG 1.4.11)', () => {
    const colors = {
      ...Object.fromEntries(Object.entries(VARIANT_COLOR).map(([k, v]) => [`variant ${k}`, v])),
      ...Object.fromEntries(LAYER_COLORS.map((c, i) => [`layer ${i + 1}`, c])),
      ...Object.fromEntries(
        [1, 0.8, 0.512, 0.211, 0.07, 0.02, 0.001].map((r) => [`P_m ${r}`, colorForRemaining(r)]),
      ),
    };
    const weak = Object.entries(colors)
      .map(([name, c]) => [name, c, contrastOnWhite(c)] as const)
      .filter(([, , ratio]) => ratio < 3);
    expect(weak).toEqual([]);
  });
});
