/**
 * The variants' names and colours on screen, everywhere: controls, legends, tables, the
 * side-by-side verdict. The order is the order they are listed and drawn in.
 */
import { type CriterionName, type TaskName, VARIANTS, type VariantName } from '../engine/config';

/** The engine's order: the ticket, its controls, the dense nets of a bimodal init. */
export const VARIANT_ORDER: readonly VariantName[] = VARIANTS;

export const VARIANT_LABEL: Record<VariantName, string> = {
  ticket: 'winning ticket',
  reinit: 'random reinit',
  rearrange: 'rearranged connections',
  random: 'random pruning',
  signed: 'reinit, θ0’s signs',
  bimodal: 'dense, bimodal init',
  'bimodal-glorot': 'dense, bimodal at Glorot’s variance',
};

/** Lines and swatches on white: each at least 3:1 against it (WCAG 1.4.11, graphics). */
export const VARIANT_COLOR: Record<VariantName, string> = {
  ticket: '#1f5fd6',
  reinit: '#d1495b',
  rearrange: '#cc6a00',
  random: '#6a4c93',
  signed: '#00796b',
  bimodal: '#6d4c41',
  'bimodal-glorot': '#7a6f00',
};

/**
 * Which weights a round removes, by criterion, as a phrase: "the weights of smallest magnitude
 * are removed".
 */
export const CRITERION_REMOVES: Record<CriterionName, string> = {
  magnitude: 'the weights of smallest magnitude',
  magnitude_increase: 'the weights whose magnitude grew least in training',
  movement: 'the weights that moved least in training',
  large_init: 'the weights of smallest initial magnitude',
  snip: 'the weights of smallest |gradient × weight| at initialisation (SNIP)',
  synflow: 'the weights of least synaptic flow at initialisation (SynFlow)',
};

export const CRITERION_LABEL: Record<CriterionName, string> = {
  magnitude: 'magnitude (large final)',
  magnitude_increase: 'magnitude increase',
  movement: 'movement',
  large_init: 'large initial',
  snip: 'SNIP (at init)',
  synflow: 'SynFlow (at init)',
};

/** A task as the settings list it. */
export const TASK_LABEL: Record<TaskName, string> = {
  mnist: 'MNIST',
  permuted: 'permuted pixels (one fixed order)',
  rotated: 'rotated a quarter turn',
  inverted: 'inverted (white on black ↔ black on white)',
};

/** A task's images in a sentence: "found on MNIST digits, trained on permuted digits". */
export const TASK_DIGITS: Record<TaskName, string> = {
  mnist: 'MNIST digits',
  permuted: 'permuted digits',
  rotated: 'rotated digits',
  inverted: 'inverted digits',
};
