/**
 * Every setting a user can change, in ONE typed table (TensorFlow Playground's idea, with real
 * types): the controls render from it, the URL hash reads and writes through it, and a classroom
 * link hides controls by its keys. Adding a shareable parameter is adding one row.
 */
import {
  CONTROLS,
  type ExperimentConfig,
  type PruningMethod,
  type PruningScope,
} from '../engine/config';
import { BACKEND_CHOICES, type BackendChoice } from '../worker/protocol';
import { VARIANT_LABEL } from './derive';

/** What the user sets: the experiment and where it runs. */
export interface LabSettings {
  config: ExperimentConfig;
  backend: BackendChoice;
}

interface Base<T> {
  /** Name in the URL hash and in `hide=` lists. */
  key: string;
  label: string;
  help: string;
  get(s: LabSettings): T;
  set(s: LabSettings, v: T): LabSettings;
}

export interface NumberField extends Base<number> {
  kind: 'int' | 'real';
  min: number;
  max: number | ((s: LabSettings) => number);
  step: number;
  /** Sliders on a log scale (learning rate). */
  log?: boolean;
  format(v: number): string;
}

export interface ChoiceField extends Base<string> {
  kind: 'choice';
  options: readonly { value: string; label: string }[];
}

export interface FlagsField extends Base<string[]> {
  kind: 'flags';
  options: readonly { value: string; label: string }[];
}

export type Field = NumberField | ChoiceField | FlagsField;

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
  {
    key: 'rate',
    label: 'pruning rate, hidden layers',
    help: 'Share of each hidden layer’s remaining weights pruned per round (paper: 20%). With global pruning, the rate for all weights.',
    kind: 'real',
    min: 0.01,
    max: 0.9,
    step: 0.01,
    format: pct,
    ...pruning('rate'),
  },
  {
    key: 'outputRate',
    label: 'pruning rate, output layer',
    help: 'Share of the output layer’s remaining weights pruned per round (paper: 10%).',
    kind: 'real',
    min: 0,
    max: 0.9,
    step: 0.01,
    format: pct,
    ...pruning('outputRate'),
  },
  {
    key: 'rounds',
    label: 'rounds',
    help: 'Pruned rounds after the dense round 0.',
    kind: 'int',
    min: 0,
    max: 30,
    step: 1,
    format: int,
    ...pruning('rounds'),
  },
  {
    key: 'iterations',
    label: 'iterations per round',
    help: 'Mini-batches trained per round (paper: 50,000; a lecture: ~3,000).',
    kind: 'int',
    min: 10,
    max: 50000,
    step: 10,
    format: int,
    ...training('iterations'),
  },
  {
    key: 'lr',
    label: 'learning rate',
    help: 'Adam’s learning rate (paper: 1.2e-3).',
    kind: 'real',
    min: 1e-4,
    max: 1e-2,
    step: 1e-5,
    log: true,
    format: (v) => v.toExponential(1),
    ...training('learningRate'),
  },
  {
    key: 'batch',
    label: 'batch size',
    help: 'Examples per mini-batch (paper: 60).',
    kind: 'int',
    min: 10,
    max: 1000,
    step: 10,
    format: int,
    ...training('batchSize'),
  },
  {
    key: 'evalEvery',
    label: 'evaluate every',
    help: 'Iterations between evaluations on the validation and test sets.',
    kind: 'int',
    min: 10,
    max: 5000,
    step: 10,
    format: int,
    ...training('evalEvery'),
  },
  {
    key: 'seed',
    label: 'seed',
    help: 'Seed of θ0, the data order and the controls: the same seed gives the same run.',
    kind: 'int',
    min: 0,
    max: 99999,
    step: 1,
    format: String,
    ...training('seed'),
  },
  {
    key: 'validation',
    label: 'validation examples',
    help: 'Validation images, from the end of MNIST’s training file (paper: 5,000). Fewer evaluate faster.',
    kind: 'int',
    min: 100,
    max: 5000,
    step: 100,
    format: int,
    ...data('validationSize'),
  },
  {
    key: 'test',
    label: 'test examples',
    help: 'Test images (paper: 10,000). Fewer evaluate faster.',
    kind: 'int',
    min: 100,
    max: 10000,
    step: 100,
    format: int,
    ...data('testSize'),
  },
  {
    key: 'scope',
    label: 'pruning scope',
    help: 'Layer-wise: each layer at its own rate (the paper, for LeNet). Global: one magnitude threshold across layers.',
    kind: 'choice',
    options: [
      { value: 'layer', label: 'layer-wise' },
      { value: 'global', label: 'global' },
    ],
    get: (s) => s.config.pruning.scope,
    set: (s, v) => pruning('scope').set(s, v as PruningScope),
  },
  {
    key: 'method',
    label: 'method',
    help: 'Iterative: prune the last round’s ticket again. One-shot: prune the dense net straight to each round’s sparsity.',
    kind: 'choice',
    options: [
      { value: 'iterative', label: 'iterative' },
      { value: 'oneShot', label: 'one-shot' },
    ],
    get: (s) => s.config.pruning.method,
    set: (s, v) => pruning('method').set(s, v as PruningMethod),
  },
  {
    key: 'reset',
    label: 'reset survivors to',
    help: 'θ0: the winning ticket. Rewind: their values at iteration k of the dense run (late resetting).',
    kind: 'choice',
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
  },
  {
    key: 'rewindAt',
    label: 'rewind iteration k',
    help: 'With rewinding: the dense run’s iteration whose weights the survivors restart from.',
    kind: 'int',
    min: 0,
    max: (s) => s.config.training.iterations,
    step: 10,
    format: int,
    get: (s) => (s.config.pruning.reset.kind === 'rewind' ? s.config.pruning.reset.iteration : 0),
    // Only meaningful while rewinding: with reset to θ0 it changes nothing (it is not "rewind to 0").
    set: (s, v) =>
      s.config.pruning.reset.kind === 'rewind'
        ? pruning('reset').set(s, { kind: 'rewind', iteration: v })
        : s,
  },
  {
    key: 'controls',
    label: 'controls',
    help: 'Trained alongside the ticket at the same sparsity, on the same mini-batches.',
    kind: 'flags',
    options: CONTROLS.map((c) => ({ value: c, label: VARIANT_LABEL[c] })),
    get: (s) => [...s.config.pruning.controls],
    set: (s, v) =>
      pruning('controls').set(
        s,
        CONTROLS.filter((c) => v.includes(c)),
      ),
  },
  {
    key: 'backend',
    label: 'backend',
    help: "auto: the fastest measured on this device. simd: the lab's own WebAssembly SIMD kernels; the others are tfjs's backends.",
    kind: 'choice',
    options: BACKEND_CHOICES.map((b) => ({ value: b, label: b })),
    get: (s) => s.backend,
    set: (s, v) => ({ ...s, backend: v as BackendChoice }),
  },
];

export const FIELD_BY_KEY: ReadonlyMap<string, Field> = new Map(FIELDS.map((f) => [f.key, f]));

export function maxOf(f: NumberField, s: LabSettings): number {
  return typeof f.max === 'function' ? f.max(s) : f.max;
}

/** Pulls a number into a field's range and onto its grid (integers for int fields). */
export function clampNumber(f: NumberField, s: LabSettings, v: number): number {
  const hi = maxOf(f, s);
  const x = Number.isNaN(v) ? f.min : Math.min(hi, Math.max(f.min, v));
  return f.kind === 'int' ? Math.round(x) : x;
}

/**
 * Applies one user-entered value through the table: numbers are clamped, choices and flags must
 * be among the options. Returns the new settings and, when the value was changed or refused, why.
 */
export function applyField(
  s: LabSettings,
  f: Field,
  raw: unknown,
): { settings: LabSettings; notice: string | null } {
  switch (f.kind) {
    case 'int':
    case 'real': {
      const v =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : Number.NaN;
      if (!Number.isFinite(v))
        return {
          settings: s,
          notice: `${f.label}: "${String(raw)}" is not a number; kept ${f.format(f.get(s))}`,
        };
      const c = clampNumber(f, s, v);
      const inRange = v >= f.min && v <= maxOf(f, s);
      const why = inRange ? 'is not a whole number' : 'is out of range';
      return {
        settings: f.set(s, c),
        notice: c === v ? null : `${f.label}: ${String(raw)} ${why}; using ${f.format(c)}`,
      };
    }
    case 'choice': {
      if (typeof raw === 'string' && f.options.some((o) => o.value === raw))
        return { settings: f.set(s, raw), notice: null };
      return {
        settings: s,
        notice: `${f.label}: "${String(raw)}" is not one of ${f.options.map((o) => o.value).join(', ')}; kept ${f.get(s)}`,
      };
    }
    case 'flags': {
      const list = Array.isArray(raw)
        ? raw
        : typeof raw === 'string'
          ? raw === ''
            ? []
            : raw.split(',')
          : null;
      if (!list)
        return { settings: s, notice: `${f.label}: not a list; kept ${f.get(s).join(',')}` };
      const known = list.filter(
        (x): x is string => typeof x === 'string' && f.options.some((o) => o.value === x),
      );
      const unknown = list.filter((x) => !known.includes(x as string));
      return {
        settings: f.set(s, known),
        notice: unknown.length
          ? `${f.label}: ignored unknown ${unknown.map(String).join(', ')}`
          : null,
      };
    }
  }
}

/** Settings made consistent across fields (e.g. the rewind iteration within the iterations). */
export function normalizeSettings(s: LabSettings): LabSettings {
  let out = s;
  for (const f of FIELDS) {
    if (f.kind !== 'int' && f.kind !== 'real') continue;
    if (f.key === 'rewindAt' && out.config.pruning.reset.kind !== 'rewind') continue; // setting it would switch rewinding on
    out = f.set(out, clampNumber(f, out, f.get(out)));
  }
  return out;
}
