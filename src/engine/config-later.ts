/**
 * The settings added after the paper's (issue 16: task, inputs, init, criterion, foundOn) and older
 * configs: their defaults filled in where a file, stored run, ticket or link predates them; the
 * canonical form that hashes a config as it hashed before they existed; and their words in a
 * run's default name.
 */
import type { ExperimentConfig } from './config';

/** The settings added after the paper's (issue 16), at their defaults. */
const LATER_DEFAULTS = {
  data: { task: 'mnist', inputs: 'meanstd' },
  model: { init: 'glorot' },
  pruning: { criterion: 'magnitude', foundOn: null },
} as const;

/**
 * A config written before `task`, `inputs`, `init`, `criterion` and `foundOn` existed (stored runs, run
 * files, tickets, links) trained with their defaults: the same config with them filled in.
 * Fields present are kept as they are, for validateConfig to judge.
 */
export function withLaterDefaults<C extends Partial<Record<keyof ExperimentConfig, unknown>>>(
  c: C,
): C {
  const out: Record<string, unknown> = { ...c };
  for (const [group, fields] of Object.entries(LATER_DEFAULTS)) {
    const g = out[group];
    if (typeof g === 'object' && g !== null && !Array.isArray(g))
      out[group] = { ...fields, ...(g as object) };
  }
  return out as C;
}

/**
 * The later settings a config changes from the paper's, in a few words each ("snip masks",
 * "bimodal init", "permuted digits", "l2 inputs"): what a run's default name says of them.
 */
export function beyondThePaper(c: ExperimentConfig): string[] {
  return [
    c.pruning.criterion !== 'magnitude' ? `${c.pruning.criterion} masks` : '',
    c.model.init !== 'glorot' ? `${c.model.init} init` : '',
    c.pruning.foundOn ? `${c.pruning.foundOn} ticket` : '',
    c.data.task !== 'mnist' ? `${c.data.task} digits` : '',
    c.data.inputs !== 'meanstd' ? `${c.data.inputs} inputs` : '',
  ].filter(Boolean);
}

/**
 * The config as a canonical object for hashing and comparing: the later settings are left out
 * where they are at their defaults, so a config means (and hashes to) what it did before they
 * existed.
 */
export function canonicalConfig(c: ExperimentConfig): object {
  const strip = <T extends object>(group: T, defaults: object): Partial<T> => {
    const out = { ...group } as Record<string, unknown>;
    for (const [k, v] of Object.entries(defaults)) if (out[k] === v) delete out[k];
    return out as Partial<T>;
  };
  return {
    data: strip(c.data, LATER_DEFAULTS.data),
    model: strip(c.model, LATER_DEFAULTS.model),
    training: c.training,
    pruning: strip(c.pruning, LATER_DEFAULTS.pruning),
  };
}
