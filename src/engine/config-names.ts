/**
 * The names a config chooses among (variants, controls, tasks, input encodings, mask criteria,
 * inits), as lists and types: the vocabulary config.ts, the CLI, the settings and the labels
 * share. No imports, so anything may import it without a cycle.
 */
/**
 * Variant names as they appear in results and in the CLI's JSON: the ticket, its controls, and
 * the dense nets a bimodal init adds (`model.init`).
 */
export const VARIANTS = [
  'ticket',
  'reinit',
  'rearrange',
  'random',
  'signed',
  'bimodal',
  'bimodal-glorot',
] as const;
export type VariantName = (typeof VARIANTS)[number];
/** The dense nets drawn from each round's ticket survivors when `model.init` is 'bimodal'. */
export const BIMODAL_VARIANTS = ['bimodal', 'bimodal-glorot'] as const;
export type BimodalName = (typeof BIMODAL_VARIANTS)[number];
/** The controls: trained at the ticket's sparsity, chosen per run. */
export type ControlName = Exclude<VariantName, 'ticket' | BimodalName>;
export const CONTROLS: readonly ControlName[] = ['reinit', 'rearrange', 'random', 'signed'];

/**
 * Tasks made on the device from MNIST's own bytes (no download): the digits as they are, their
 * pixels in one fixed seeded order, turned a quarter turn, or ink and paper swapped.
 */
export const TASKS = ['mnist', 'permuted', 'rotated', 'inverted'] as const;
export type TaskName = (typeof TASKS)[number];

/**
 * How a pixel byte p becomes an input: (p/255 − 0.1307)/0.3081 (open_lth, the default), p/255,
 * or each image as a unit vector (p/‖p‖₂ over its 784 pixels).
 */
export const INPUTS = ['meanstd', 'unit', 'l2'] as const;
export type InputsName = (typeof INPUTS)[number];

/**
 * What decides which weights a round keeps (prune.ts): the paper's magnitude of the trained
 * weights (Zhou et al.'s `large_final`), or another score of trained and starting weights, or a
 * score at initialisation (SNIP's one-batch |g·w|, SynFlow's data-free path flow).
 */
export const CRITERIA = [
  'magnitude',
  'magnitude_increase',
  'movement',
  'large_init',
  'snip',
  'synflow',
] as const;
export type CriterionName = (typeof CRITERIA)[number];

/** θ0 and the init experiment: Glorot only, or Glorot plus dense nets drawn bimodally. */
export const INITS = ['glorot', 'bimodal'] as const;
export type InitName = (typeof INITS)[number];
