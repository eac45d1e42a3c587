/**
 * Command-line flags of `npm run experiment`, turned into a config patch. Pure, so it is tested
 * without running anything.
 */
import { parseArgs } from 'node:util';
import {
  CONTROLS,
  CRITERIA,
  INITS,
  INPUTS,
  TASKS,
  type ConfigPatch,
  type ControlName,
  DEFAULT_CONFIG,
  type ExperimentConfig,
  mergeConfig,
} from '../src/engine/config';
import type { KernelArithmetic } from '../src/kernels/kernel-files';
import { NODE_BACKENDS, type NodeBackend } from '../src/node-host/node-backend';

export const USAGE = `Usage: npm run experiment -- [--config cfg.json] [--out result.json] [flags]
       npm run experiment -- merge SHARD.json ... --out all.json [--name TEXT]

Runs a lottery-ticket experiment in Node with the lab's engine and writes the result the lab loads.
merge joins the run files of a run's shards into the run file of the whole run (docs/trials-and-sweeps.md).
Flags override fields of the config file, which overrides the paper's defaults:
  --iterations N        training iterations per round (3000)
  --rounds N            pruned rounds after the dense round 0 (12)
  --rate R              hidden layers' pruning rate per round, or the global rate (0.2)
  --output-rate R       output layer's pruning rate per round (0.1)
  --scope layer|global  layer-wise or global magnitude pruning (layer)
  --controls LIST       comma-separated: reinit,rearrange,random,signed, or "none" (reinit,rearrange)
  --criterion NAME      what a round keeps: magnitude (the paper's), magnitude_increase, movement,
                        large_init, snip, synflow (magnitude)
  --init glorot|bimodal bimodal: every pruned round also trains two dense nets drawn from its
                        ticket's surviving starting values, as is and at Glorot's variance (glorot)
  --task NAME           mnist, permuted, rotated, inverted: made from MNIST here (mnist)
  --inputs NAME         how pixels become inputs: meanstd, unit ([0, 1]), l2 (per image) (meanstd)
  --one-shot            prune the dense net in one step to each round's sparsity
  --rewind K            rewind survivors to iteration K of the dense run instead of θ0
  --seed N              seed of θ0, the data order and the controls (0)
  --trials N            independent trials (seeds); trial 0 is --seed itself (1)
  --batch N             mini-batch size (60)
  --lr X                Adam learning rate (0.0012)
  --eval-every N        evaluate every N iterations (100)
  --backend simd|wasm|cpu  simd: the lab's WebAssembly SIMD kernels (default); wasm, cpu: tfjs's
  --threads N           threads for simd (the cores here, at most 4; with --jobs, the cores shared)
  --arithmetic plain|fma  simd's arithmetic: fma, fused multiply-add, where this Node runs relaxed
                        SIMD (the default there), or plain, a multiply then an add; each gives the
                        same numbers on any thread count, the two differ by rounding
  --shard I/N           run only the trials of shard I of N (trial t is in shard t mod N); the
                        run file records the shard, and merge joins the N files
  --jobs J              run the trials in J processes here, as J shards merged at the end
  --table FILE          also write a markdown summary table to FILE
  --tickets DIR         also write each round's winning ticket to DIR/round-NN.ticket
                        (with several trials, DIR/trial-T-round-NN.ticket)
  --ticket FILE         train a ticket file instead, as its round of the run it came from, on
                        --task (default: its run's task, where its masks were found unless that
                        run trained a transferred ticket; another task is a transfer), beside
                        --controls (default: reinit); give it once per trial, the files of one
                        run's trials 0, 1, … in order; its run's settings are the ticket's own
  --name TEXT           the run's name in the lab's history (default: a summary of the config)
  --quiet               print only round summaries`;

/** Which shard of a run's trials to run: `index` of `count` (engine/trials.ts's rule). */
export interface ShardOption {
  index: number;
  count: number;
}

export interface CliOptions {
  command: 'run' | 'merge';
  /** merge: the run files to join. */
  files: string[];
  patch: ConfigPatch;
  shard?: ShardOption;
  /** Processes to run the trials in (1: this one). */
  jobs: number;
  configFile?: string;
  out?: string;
  table?: string;
  tickets?: string;
  /** Ticket files to train instead of finding tickets (one per trial, in trial order). */
  ticketFiles: string[];
  name?: string;
  backend: NodeBackend;
  /** Threads for simd; undefined: the cores here, at most 4. */
  threads?: number;
  /** simd's arithmetic; undefined: fused multiply-add where this Node runs it. */
  arithmetic?: KernelArithmetic;
  quiet: boolean;
  help: boolean;
}

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n))
    throw new Error(`--${flag} expects a number, got "${v}"`);
  return n;
}

/** "I/N" with 0 ≤ I < N, as `--shard` takes it (a scheduler's index and its array's size). */
export function parseShard(text: string): ShardOption {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count || !Number.isSafeInteger(count))
    throw new Error(
      `--shard expects I/N with 0 ≤ I < N, e.g. 0/4 for the first of 4 shards, got "${text}"`,
    );
  return { index, count };
}

function wholeNumber(flag: string, v: string | undefined, max: number): number | undefined {
  const n = num(flag, v);
  if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > max))
    throw new Error(`--${flag} expects a whole number from 1 to ${max}, got "${v}"`);
  return n;
}

export function parseCli(argv: string[]): CliOptions {
  const command = argv[0] === 'merge' ? 'merge' : 'run';
  const { values, positionals } = parseArgs({
    args: command === 'merge' ? argv.slice(1) : argv,
    strict: true,
    allowPositionals: command === 'merge',
    options: {
      config: { type: 'string' },
      out: { type: 'string' },
      table: { type: 'string' },
      tickets: { type: 'string' },
      ticket: { type: 'string', multiple: true },
      name: { type: 'string' },
      iterations: { type: 'string' },
      rounds: { type: 'string' },
      rate: { type: 'string' },
      'output-rate': { type: 'string' },
      scope: { type: 'string' },
      controls: { type: 'string' },
      criterion: { type: 'string' },
      init: { type: 'string' },
      task: { type: 'string' },
      inputs: { type: 'string' },
      'one-shot': { type: 'boolean' },
      rewind: { type: 'string' },
      seed: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      'eval-every': { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      arithmetic: { type: 'string' },
      trials: { type: 'string' },
      shard: { type: 'string' },
      jobs: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const training: Partial<ExperimentConfig['training']> = {};
  const pruning: Partial<ExperimentConfig['pruning']> = {};
  const set = <T extends object>(o: T, key: keyof T, v: unknown) => {
    if (v !== undefined) (o as Record<keyof T, unknown>)[key] = v;
  };
  set(training, 'iterations', num('iterations', values.iterations));
  set(training, 'seed', num('seed', values.seed));
  set(training, 'trials', num('trials', values.trials));
  set(training, 'batchSize', num('batch', values.batch));
  set(training, 'learningRate', num('lr', values.lr));
  set(training, 'evalEvery', num('eval-every', values['eval-every']));
  set(pruning, 'rounds', num('rounds', values.rounds));
  set(pruning, 'rate', num('rate', values.rate));
  set(pruning, 'outputRate', num('output-rate', values['output-rate']));
  if (values.scope !== undefined) {
    if (values.scope !== 'layer' && values.scope !== 'global')
      throw new Error(`--scope expects layer or global, got "${values.scope}"`);
    pruning.scope = values.scope;
  }
  if (values.controls !== undefined) {
    const list = values.controls === 'none' ? [] : values.controls.split(',').map((s) => s.trim());
    const bad = list.filter((c) => !CONTROLS.includes(c as ControlName));
    if (bad.length)
      throw new Error(
        `--controls: unknown control ${bad.join(', ')} (known: ${CONTROLS.join(', ')})`,
      );
    pruning.controls = list as ControlName[];
  }
  const choice = <T extends string>(flag: string, v: string | undefined, names: readonly T[]) => {
    if (v !== undefined && !names.includes(v as T))
      throw new Error(`--${flag} expects ${names.join(', ')}, got "${v}"`);
    return v as T | undefined;
  };
  const data: Partial<ExperimentConfig['data']> = {};
  const model: Partial<ExperimentConfig['model']> = {};
  set(pruning, 'criterion', choice('criterion', values.criterion, CRITERIA));
  set(model, 'init', choice('init', values.init, INITS));
  set(data, 'task', choice('task', values.task, TASKS));
  set(data, 'inputs', choice('inputs', values.inputs, INPUTS));
  if (values['one-shot']) pruning.method = 'oneShot';
  const rewind = num('rewind', values.rewind);
  if (rewind !== undefined) pruning.reset = { kind: 'rewind', iteration: rewind };
  const backend = values.backend ?? 'simd';
  if (!NODE_BACKENDS.includes(backend as NodeBackend))
    throw new Error(`--backend expects ${NODE_BACKENDS.join(', ')}, got "${backend}"`);
  const threads = wholeNumber('threads', values.threads, 16);
  const arithmetic = choice('arithmetic', values.arithmetic, ['plain', 'fma'] as const);
  if (arithmetic && backend !== 'simd')
    throw new Error(`--arithmetic is the simd kernels' choice; --backend ${backend} is tfjs's`);
  const jobs = wholeNumber('jobs', values.jobs, 64) ?? 1;
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (shard && jobs > 1)
    throw new Error('--jobs and --shard do not go together: --jobs runs every shard here');
  const patch: ConfigPatch = {};
  if (Object.keys(data).length) patch.data = data;
  if (Object.keys(model).length) patch.model = model;
  if (Object.keys(training).length) patch.training = training;
  if (Object.keys(pruning).length) patch.pruning = pruning;
  const ticketFiles = values.ticket ?? [];
  if (ticketFiles.length > 0) {
    // A ticket trains with its run's settings: only where (task), beside what (controls) and
    // how the result is written may differ.
    const allowed = [
      'ticket',
      'task',
      'controls',
      'out',
      'table',
      'name',
      'backend',
      'threads',
      'arithmetic',
    ];
    const flags = Object.keys(values).filter((k) => ![...allowed, 'quiet', 'help'].includes(k));
    if (flags.length)
      throw new Error(
        `--ticket trains the ticket with the settings of the run it came from; ${flags.map((f) => `--${f}`).join(', ')} cannot change them (with --ticket: ${allowed
          .slice(1)
          .map((f) => `--${f}`)
          .join(', ')})`,
      );
  }
  if (command === 'merge') {
    const flags = Object.keys(values).filter((k) => !['out', 'name', 'quiet', 'help'].includes(k));
    if (flags.length)
      throw new Error(
        `merge takes run files, --out and --name; not ${flags.map((f) => `--${f}`).join(', ')}`,
      );
    if (!values.help && (positionals.length === 0 || !values.out))
      throw new Error('merge needs the run files of the shards and --out FILE for the whole run');
  }
  return {
    command,
    files: positionals,
    ...(shard ? { shard } : {}),
    jobs,
    patch,
    configFile: values.config,
    out: values.out,
    table: values.table,
    tickets: values.tickets,
    ticketFiles,
    name: values.name,
    backend: backend as NodeBackend,
    ...(threads === undefined ? {} : { threads }),
    ...(arithmetic === undefined ? {} : { arithmetic }),
    quiet: values.quiet ?? false,
    help: values.help ?? false,
  };
}

/**
 * Defaults ← config file ← flags. A run that finds its own masks cannot say they were found
 * elsewhere: `pruning.foundOn` is set by training a ticket file (--ticket), never by a config.
 */
export function resolveConfig(
  filePatch: ConfigPatch | undefined,
  flags: ConfigPatch,
): ExperimentConfig {
  const config = mergeConfig(mergeConfig(DEFAULT_CONFIG, filePatch ?? {}), flags);
  if (config.pruning.foundOn !== null)
    throw new Error(
      'pruning.foundOn is set only by training a ticket file found on another task (--ticket FILE --task NAME), not by a config',
    );
  return config;
}
