/**
 * The variants' names and colours on screen, everywhere: controls, legends, tables, the
 * side-by-side verdict. The order is the order they are listed and drawn in.
 */
import type { VariantName } from '../engine/config';

export const VARIANT_ORDER: readonly VariantName[] = ['ticket', 'reinit', 'rearrange', 'random'];

export const VARIANT_LABEL: Record<VariantName, string> = {
  ticket: 'winning ticket',
  reinit: 'random reinit',
  rearrange: 'rearranged connections',
  random: 'random pruning',
};

/** Lines and swatches on white: each at least 3:1 against it (WCAG 1.4.11, graphics). */
export const VARIANT_COLOR: Record<VariantName, string> = {
  ticket: '#1f5fd6',
  reinit: '#d1495b',
  rearrange: '#cc6a00',
  random: '#6a4c93',
};
