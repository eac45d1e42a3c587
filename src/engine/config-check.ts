/**
 * The engine's check of an experiment config at its boundary (a file, a link, a message, the
 * UI): every problem named with its field's path and value, in words. Re-exported by config.ts.
 */
import type { ExperimentConfig, ResetSpec } from './config';
import { CONTROLS, CRITERIA, INITS, INPUTS, TASKS } from './config-names';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid experiment config: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const MNIST_TRAIN = 60000;
/** Trials the engine accepts (the lab's slider stops at 10; a cluster sweep may run many more). */
export const MAX_TRIALS = 10_000;
const MAX_LAYERS = 10;
const GROUPS = ['data', 'model', 'training', 'pruning'] as const;

/** A value in a message, whatever it is (String() throws for some objects a JSON file can hold). */
function show(v: unknown): string {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean')
    return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  try {
    return (JSON.stringify(v) ?? typeof v).slice(0, 60);
  } catch {
    return typeof v;
  }
}
const MNIST_TEST = 10000;

/**
 * Checks a config at the engine boundary (the UI is not the only guard) and lists every problem
 * in words. Throws ConfigError if there is any; returns the config otherwise.
 */
export function validateConfig(c: ExperimentConfig): ExperimentConfig {
  // A config may come from a file, a link or a message: check the shape before reading fields.
  if (typeof c !== 'object' || c === null)
    throw new ConfigError([`a config must be an object, got ${show(c)}`]);
  const groups = c as unknown as Partial<Record<string, unknown>>;
  const missing = GROUPS.filter((g) => typeof groups[g] !== 'object' || groups[g] === null);
  if (missing.length)
    throw new ConfigError(missing.map((g) => `${g} must be an object of settings`));
  const p: string[] = [];
  // Comparisons between fields only once both are numbers: `[] + 1` or `x > [{ toString: null }]`
  // would coerce a hostile value and throw a TypeError instead of naming the field.
  const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);
  const int = (name: string, v: unknown, min: number, max: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      p.push(`${name} must be an integer in [${min}, ${max}], got ${show(v)}`);
  };
  const real = (name: string, v: unknown, min: number, max: number, openMin = false) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v > max || (openMin ? v <= min : v < min)) {
      p.push(`${name} must be a number in ${openMin ? '(' : '['}${min}, ${max}], got ${show(v)}`);
    }
  };
  int('data.validationSize', c.data.validationSize, 1, 30000);
  int('data.trainSize', c.data.trainSize, 1, MNIST_TRAIN - 1);
  if (num(c.data.trainSize) + num(c.data.validationSize) > MNIST_TRAIN)
    p.push(`data.trainSize + data.validationSize must be at most ${MNIST_TRAIN}`);
  int('data.testSize', c.data.testSize, 1, MNIST_TEST);
  const layers = c.model.layers;
  if (!Array.isArray(layers) || layers.length < 2 || layers.length > MAX_LAYERS)
    p.push(`model.layers must list 2 to ${MAX_LAYERS} widths: an input, hidden layers, an output`);
  else {
    layers.forEach((w, i) => int(`model.layers[${i}]`, w, 1, 4096));
    if (layers[0] !== 784)
      p.push(`model.layers[0] must be 784 (28×28 MNIST pixels), got ${show(layers[0])}`);
    if (layers[layers.length - 1] !== 10)
      p.push(
        `the last of model.layers must be 10 (digits), got ${show(layers[layers.length - 1])}`,
      );
  }
  real('training.learningRate', c.training.learningRate, 0, 1, true);
  int('training.batchSize', c.training.batchSize, 1, 4096);
  if (num(c.training.batchSize) > num(c.data.trainSize))
    p.push('training.batchSize must not exceed data.trainSize');
  int('training.iterations', c.training.iterations, 1, 1_000_000);
  int('training.evalEvery', c.training.evalEvery, 1, 1_000_000);
  int('training.seed', c.training.seed, 0, 2 ** 31 - 1);
  int('training.trials', c.training.trials, 1, MAX_TRIALS);
  if (c.pruning.scope !== 'layer' && c.pruning.scope !== 'global')
    p.push(`pruning.scope must be "layer" or "global", got ${show(c.pruning.scope)}`);
  real('pruning.rate', c.pruning.rate, 0, 0.99);
  real('pruning.outputRate', c.pruning.outputRate, 0, 0.99);
  int('pruning.rounds', c.pruning.rounds, 0, 60);
  if (c.pruning.method !== 'iterative' && c.pruning.method !== 'oneShot')
    p.push(`pruning.method must be "iterative" or "oneShot", got ${show(c.pruning.method)}`);
  const oneOf = (name: string, v: unknown, names: readonly string[]) => {
    if (typeof v !== 'string' || !names.includes(v))
      p.push(`${name} must be one of ${names.join(', ')}, got ${show(v)}`);
  };
  oneOf('data.task', c.data.task, TASKS);
  oneOf('data.inputs', c.data.inputs, INPUTS);
  oneOf('model.init', c.model.init, INITS);
  oneOf('pruning.criterion', c.pruning.criterion, CRITERIA);
  if (c.pruning.foundOn !== null) oneOf('pruning.foundOn', c.pruning.foundOn, TASKS);
  if (c.pruning.foundOn !== null && c.pruning.foundOn === c.data.task)
    p.push('pruning.foundOn names another task than data.task, or is null (masks found here)');
  const reset = c.pruning.reset as Partial<ResetSpec> | undefined;
  if (reset?.kind === 'rewind')
    int(
      'pruning.reset.iteration',
      (reset as { iteration?: unknown }).iteration,
      0,
      Number.isInteger(c.training.iterations) ? c.training.iterations : 1_000_000,
    );
  else if (reset?.kind !== 'init')
    p.push('pruning.reset must be { kind: "init" } or { kind: "rewind", iteration }');
  if (!Array.isArray(c.pruning.controls) || c.pruning.controls.some((x) => !CONTROLS.includes(x))) {
    p.push(`pruning.controls must be a list drawn from ${CONTROLS.join(', ')}`);
  } else if (new Set(c.pruning.controls).size !== c.pruning.controls.length)
    p.push('pruning.controls must not repeat a control');
  if (p.length > 0) throw new ConfigError(p);
  return c;
}
