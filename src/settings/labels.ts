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

export const VARIANT_COLOR: Record<VariantName, string> = {
  ticket: '#1f5fd6',
  reinit: '#d1495b',
  rearrange: '#e8871e',
  random: '#6a4c93',
};
