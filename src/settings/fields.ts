/**
 * Every setting a user can change, in ONE typed table (TensorFlow Playground's idea, with real
 * types): the panel renders its controls from it, grouped by the `group` column; the URL hash
 * reads and writes through it (field-kinds.ts: each kind reads and writes itself); a classroom
 * link hides controls by its keys. Adding a shareable parameter is adding one row.
 *
 * Table order is the order a link is read in: `iterations` before `reset` before `rewindAt`.
 */
import {
  CONTROLS,
  type ExperimentConfig,
  type PruningMethod,
  type PruningScope,
} from '../engine/config';
import { BACKEND_CHOICES, type BackendChoice } from '../worker/protocol';
import {
  type Field,
  type LabSettings,
  choiceField,
  clampNumber,
  flagsField,
  numberField,
} from './field-kinds';
import { BEYOND_FIELDS } from './fields-beyond';
import { VARIANT_LABEL } from './labels';

const pct = (v: number) => `${Math.round(v * 100)}%`;
const int = (v: number) => v.toLocaleString('en-US');

const training = <K extends keyof ExperimentConfig['training']>(k: K) => ({
  get: (s: LabSettings) => s.config.training[k],
  set: (s: LabSettings, v: ExperimentConfig['training'][K]) => ({
    ...s,
    config: { ...s.config, training: { ...s.config.training, [k]: v } },
  }),
});
const pruning = <K extends keyof ExperimentConfig['pruning']>(k: K) => ({
  get: (s: LabSettings) => s.config.pruning[k],
  set: (s: LabSettings, v: ExperimentConfig['pruning'][K]) => ({
    ...s,
    config: { ...s.config, pruning: { ...s.config.pruning, [k]: v } },
  }),
});
const data = <K extends keyof ExperimentConfig['data']>(k: K) => ({
  get: (s: LabSettings) => s.config.data[k],
  set: (s: LabSettings, v: ExperimentConfig['data'][K]) => ({
    ...s,
    config: { ...s.config, data: { ...s.config.data, [k]: v } },
  }),
});

export const FIELDS: readonly Field[] = [
  numberField({
    key: 'rate',
    label: 'pruning rate, hidden layers',
    help: 'Share of each hidden layer’s remaining weights pruned per round (paper: 20%). With global pruning, the rate for all weights.',
    group: 'Pruning',
    kind: 'real',
    min: 0.01,
    max: 0.9,
    step: 0.01,
    format: pct,
    ...pruning('rate'),
  }),
  numberField({
    key: 'outputRate',
    label: 'pruning rate, output layer',
    help: 'Share of the output layer’s remaining weights pruned per round (paper: 10%).',
    group: 'Pruning',
    kind: 'real',
    min: 0,
    max: 0.9,
    step: 0.01,
    format: pct,
    ...pruning('outputRate'),
  }),
  numberField({
    key: 'rounds',
    label: 'rounds',
    help: 'Pruned rounds after the dense round 0.',
    group: 'Pruning',
    kind: 'int',
    min: 0,
    max: 30,
    step: 1,
    format: int,
    ...pruning('rounds'),
  }),
  numberField({
    key: 'iterations',
    label: 'iterations per round',
    help: 'Mini-batches trained per round (paper: 50,000; a lecture: ~3,000).',
    group: 'Training',
    kind: 'int',
    min: 10,
    max: 50000,
    step: 10,
    format: int,
    ...training('iterations'),
  }),
  numberField({
    key: 'lr',
    label: 'learning rate',
    help: 'Adam’s learning rate (paper: 1.2e-3).',
    group: 'Training',
    kind: 'real',
    min: 1e-4,
    max: 1e-2,
    step: 1e-5,
    log: true,
    format: (v) => v.toExponential(1),
    ...training('learningRate'),
  }),
  numberField({
    key: 'batch',
    label: 'batch size',
    help: 'Examples per mini-batch (paper: 60).',
    group: 'Training',
    kind: 'int',
    min: 10,
    max: 1000,
    step: 10,
    format: int,
    ...training('batchSize'),
  }),
  numberField({
    key: 'evalEvery',
    label: 'evaluate every',
    help: 'Iterations between evaluations on the validation and test sets.',
    group: 'Training',
    kind: 'int',
    min: 10,
    max: 5000,
    step: 10,
    format: int,
    ...training('evalEvery'),
  }),
  numberField({
    key: 'seed',
    label: 'seed',
    help: 'Seed of θ0, the data order and the controls: the same seed gives the same run.',
    group: 'Training',
    kind: 'int',
    min: 0,
    max: 99999,
    step: 1,
    format: String,
    ...training('seed'),
  }),
  numberField({
    key: 'trials',
    label: 'seeds (trials)',
    help: 'Independent trials of the whole experiment, each a seed of its own: its own θ0, data order, controls and masks. Trial 0 is the seed itself. A mean ± spread and a verdict need 3 or more (the paper averages 5).',
    group: 'Training',
    kind: 'int',
    min: 1,
    max: 10,
    step: 1,
    format: int,
    ...training('trials'),
  }),
  numberField({
    key: 'validation',
    label: 'validation examples',
    help: 'Validation images, from the end of MNIST’s training file (paper: 5,000). Fewer evaluate faster.',
    group: 'Data and device',
    kind: 'int',
    min: 100,
    max: 5000,
    step: 100,
    format: int,
    ...data('validationSize'),
  }),
  numberField({
    key: 'test',
    label: 'test examples',
    help: 'Test images (paper: 10,000). Fewer evaluate faster.',
    group: 'Data and device',
    kind: 'int',
    min: 100,
    max: 10000,
    step: 100,
    format: int,
    ...data('testSize'),
  }),
  choiceField({
    key: 'scope',
    label: 'pruning scope',
    help: 'Layer-wise: each layer at its own rate (the paper, for LeNet). Global: one magnitude threshold across layers.',
    group: 'Pruning',
    options: [
      { value: 'layer', label: 'layer-wise' },
      { value: 'global', label: 'global' },
    ],
    get: (s) => s.config.pruning.scope,
    set: (s, v) => pruning('scope').set(s, v as PruningScope),
  }),
  choiceField({
    key: 'method',
    label: 'method',
    help: 'Iterative: prune the last round’s ticket again. One-shot: prune the dense net straight to each round’s sparsity.',
    group: 'Pruning',
    options: [
      { value: 'iterative', label: 'iterative' },
      { value: 'oneShot', label: 'one-shot' },
    ],
    get: (s) => s.config.pruning.method,
    set: (s, v) => pruning('method').set(s, v as PruningMethod),
  }),
  choiceField({
    key: 'reset',
    label: 'reset survivors to',
    help: 'θ0: the winning ticket. Rewind: their values at iteration k of the dense run (late resetting).',
    group: 'Pruning',
    options: [
      { value: 'init', label: 'θ0 (initial weights)' },
      { value: 'rewind', label: 'iteration k of round 0' },
    ],
    get: (s) => s.config.pruning.reset.kind,
    // Choosing rewind again keeps the user's k; switching to it starts at iteration 100.
    set: (s, v) =>
      v !== 'rewind'
        ? pruning('reset').set(s, { kind: 'init' })
        : s.config.pruning.reset.kind === 'rewind'
          ? s
          : pruning('reset').set(s, {
              kind: 'rewind',
              iteration: Math.min(100, s.config.training.iterations),
            }),
  }),
  numberField({
    key: 'rewindAt',
    label: 'rewind iteration k',
    help: 'With rewinding: the dense run’s iteration whose weights the survivors restart from.',
    group: 'Pruning',
    kind: 'int',
    min: 0,
    max: (s) => s.config.training.iterations,
    step: 10,
    format: int,
    get: (s) => (s.config.pruning.reset.kind === 'rewind' ? s.config.pruning.reset.iteration : 0),
    // Only meaningful while rewinding: with reset to θ0 it changes nothing (it is not "rewind to
    // 0").
    set: (s, v) =>
      s.config.pruning.reset.kind === 'rewind'
        ? pruning('reset').set(s, { kind: 'rewind', iteration: v })
        : s,
    active: (s) => s.config.pruning.reset.kind === 'rewind',
    inactiveWhy: 'since survivors reset to θ0; add reset=rewind to rewind',
  }),
  flagsField({
    key: 'controls',
    label: 'controls',
    help: 'Trained alongside the ticket at the same sparsity, on the same mini-batches.',
    group: 'Pruning',
    options: CONTROLS.map((c) => ({ value: c, label: VARIANT_LABEL[c] })),
    get: (s) => [...s.config.pruning.controls],
    set: (s, v) =>
      pruning('controls').set(
        s,
        CONTROLS.filter((c) => v.includes(c)),
      ),
  }),
  ...BEYOND_FIELDS,
  choiceField({
    key: 'backend',
    label: 'backend',
    help: "auto: the fastest measured on this device. simd: the lab's own WebAssembly SIMD kernels; gpu: the lab's own WebGPU kernels; the others are tfjs's backends.",
    group: 'Data and device',
    options: BACKEND_CHOICES.map((b) => ({ value: b, label: b })),
    get: (s) => s.backend,
    set: (s, v) => ({ ...s, backend: v as BackendChoice }),
  }),
];

export const FIELD_BY_KEY: ReadonlyMap<string, Field> = new Map(FIELDS.map((f) => [f.key, f]));

/** Settings made consistent across fields (e.g. the rewind iteration within the iterations). */
export function normalizeSettings(s: LabSettings): LabSettings {
  let out = s;
  for (const f of FIELDS) {
    // An inactive field is left alone: setting the rewind iteration would switch rewinding on.
    if ((f.kind !== 'int' && f.kind !== 'real') || !f.isActive(out)) continue;
    out = f.set(out, clampNumber(f, out, f.get(out)));
  }
  return out;
}
