/**
 * A run as JSON (issue 4; trials since version 2, issue 14): its config, and per round every
 * trial's curves, early stops, Figure 3 histograms and survivors per pixel, with a summary over
 * trials. What "Export run" writes, "Import run" reads, the CLI writes (one file, or one per
 * shard, which `mergeRunFiles` joins), and the form of the recorded lecture run the app ships. No
 * weights: a run's weights travel as tickets. Spec: docs/file-formats.md.
 *
 * Reading checks everything the app will read, so an imported file can never put a NaN on an
 * axis or a missing variant in a table; a problem is named by its JSON path. Version 1 files (one
 * trial, no summary) are read as one-trial runs.
 */
import { type ExperimentConfig, ENGINE_VERSION, canonicalConfig } from '../engine/config';
import type { RoundResult } from '../engine/experiment';
import { trialSeed } from '../engine/trial-seed';
import { type RunRound, roundsOfTrial, trialsOfShard } from '../engine/trials';
import { MAX_LABEL, type Obj, SchemaProblem, Val, readConfig, show } from './check';
import { FormatError } from './errors';
import { firstRound, readRound, readRoundV1, roundJson } from './run-rounds';

export const RUN_FORMAT = 'lottery-ticket-lab.run';
export const RUN_VERSION = 2;
/** Versions this lab reads: 1 (one trial) and 2. */
const READS = [1, 2] as const;

/** Which part of a run's trials a file holds: shard `index` of `count` (see trialsOfShard). */
export interface Shard {
  index: number;
  count: number;
}

export interface RunFile {
  format: typeof RUN_FORMAT;
  version: typeof RUN_VERSION;
  name: string;
  /** ISO date. */
  createdAt: string;
  /** Where it ran, e.g. "webgpu (nvidia ampere)". */
  backend: string;
  /** What trained it: ENGINE_VERSION, or null for a version 1 file, which did not say. */
  engine: string | null;
  config: ExperimentConfig;
  /** `configHash(config)`: lets a person or a script tell shards of one sweep at a glance. */
  configHash: string;
  /** The part of the trials this file holds, or null for all of them. */
  shard: Shard | null;
  wallMs: number;
  rounds: RunRound[];
}

/** What a writer provides; the rest is derived. */
export type NewRunFile = Omit<RunFile, 'format' | 'version' | 'configHash' | 'engine' | 'shard'> & {
  shard?: Shard | null;
  engine?: string | null;
};

/**
 * Longest run file read or written: 64 MB of text. A trial of the paper's config (13 rounds, two
 * controls) takes about 0.5 MB, so a file holds about 120 such trials.
 */
export const MAX_TEXT = 64 * 1024 * 1024;
const megabytes = (chars: number) => `${(chars / 1024 / 1024).toFixed(1)} MB`;

/**
 * A 64-bit FNV-1a hash of the config's canonical JSON, as 16 hex digits: the same config gives
 * the same hash in every file, whatever order its fields were written in.
 */
export function configHash(config: ExperimentConfig): string {
  // Settings at their defaults that older files do not have are left out (canonicalConfig), so a
  // file's hash is what it was when the file was written.
  const text = JSON.stringify(canonicalConfig(readConfig(new Val(config, 'config'))));
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** Most shards a run may be split into: as many as a Kubernetes Indexed Job's completions. */
const MAX_SHARDS = 100_000;

function readShard(v: Val, trials: number): Shard | null {
  if (v.value === null) return null;
  const o = v.obj();
  const count = o.at('count').int(1, MAX_SHARDS);
  // A shard past the last trial holds none: the CLI writes no file for it.
  const index = o.at('index').int(0, Math.min(count, trials) - 1);
  return { index, count };
}

function readRounds(o: Obj, config: ExperimentConfig, read: (r: Val, round: number) => RunRound) {
  const most = config.pruning.rounds + 1;
  // Round 0 first, except for a run that trained an imported ticket: it starts at its round.
  return o
    .at('rounds')
    .arr(1, most, `a list of 1 to ${most} rounds`)
    .map((r, i, all) => read(r, firstRound(all[0]!, config) + i));
}

function readRun(value: unknown, version: 1 | 2): RunFile {
  const o = new Val(value, '').obj();
  const config = readConfig(o.at('config'));
  const head = {
    format: RUN_FORMAT,
    version: RUN_VERSION,
    name: o.at('name').string(MAX_LABEL),
    createdAt: o.at('createdAt').isoDate(),
    backend: o.at('backend').string(MAX_LABEL),
  } as const;
  if (version === 1)
    return {
      ...head,
      engine: null,
      config,
      configHash: configHash(config),
      shard: null,
      wallMs: o.at('wallMs').num(0, Infinity),
      rounds: readRounds(o, config, (r, round) => readRoundV1(r, round, config)),
    };
  const engine = o.at('engine').value === null ? null : o.at('engine').string(MAX_LABEL);
  const shard = readShard(o.at('shard'), config.training.trials);
  const { trials } = config.training;
  const allowed = new Set(
    shard ? trialsOfShard(trials, shard.index, shard.count) : trialsOfShard(trials, 0, 1),
  );
  const run: RunFile = {
    ...head,
    engine,
    config,
    configHash: configHash(config),
    shard,
    wallMs: o.at('wallMs').num(0, Infinity),
    rounds: readRounds(o, config, (r, round) => readRound(r, round, config, allowed)),
  };
  // Last, so a file whose config was edited by hand is first told what else no longer fits it.
  const hash = o.at('configHash');
  if (hash.value !== run.configHash) hash.fail(`${run.configHash}, the hash of this file's config`);
  return run;
}

/** A run file's JSON object, fields in the order the spec lists them. */
function runJson(run: RunFile) {
  return {
    format: run.format,
    version: run.version,
    name: run.name,
    createdAt: run.createdAt,
    backend: run.backend,
    engine: run.engine,
    config: run.config,
    configHash: run.configHash,
    shard: run.shard,
    wallMs: run.wallMs,
    rounds: run.rounds.map(roundJson),
  };
}

function checked(lead: string, read: () => RunFile): RunFile {
  try {
    return read();
  } catch (e) {
    if (e instanceof SchemaProblem) throw new FormatError(`${lead}${e.message}.`);
    throw e;
  }
}

/** The file's own object for a run: its hash and format filled in, not yet checked. */
export function runFile(run: NewRunFile): RunFile {
  return {
    format: RUN_FORMAT,
    version: RUN_VERSION,
    name: run.name,
    createdAt: run.createdAt,
    backend: run.backend,
    engine: run.engine === undefined ? ENGINE_VERSION : run.engine,
    config: run.config,
    configHash: configHash(run.config),
    shard: run.shard ?? null,
    wallMs: run.wallMs,
    rounds: run.rounds,
  };
}

/**
 * JSON text of a run, ending in a newline; throws FormatError for a run that could not be read
 * back.
 */
export function encodeRunFile(run: NewRunFile | RunFile): string {
  // Checked as it will be read: the file's own shape.
  const back = checked('Cannot write this run file: ', () => readRun(runJson(runFile(run)), 2));
  const text = `${JSON.stringify(runJson(back))}\n`;
  if (text.length > MAX_TEXT)
    throw new FormatError(
      `Cannot write this run file: it would take ${megabytes(text.length)}, and a run file holds at most 64 MB. Split the trials over runs of different seeds.`,
    );
  return text;
}

function versionMessage(found: number): string {
  const hint = found > RUN_VERSION ? ' (a newer lab wrote it)' : '';
  return `This run file is format version ${found}; this lab reads versions ${READS.join(' and ')}${hint}.`;
}

/**
 * Reads a run file; throws FormatError, and nothing else, naming the first problem by its JSON
 * path.
 */
export function decodeRunFile(text: string): RunFile {
  if (typeof text !== 'string') throw new FormatError('Not a run file (it is not text).');
  if (text.length > MAX_TEXT)
    throw new FormatError(
      `This run file is too large: ${megabytes(text.length)}, this lab reads at most 64 MB.`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FormatError('This run file is not valid JSON (is it truncated?).');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new FormatError('Not a run file (it is not a JSON object).');
  const { format, version } = value as Record<string, unknown>;
  if (format !== RUN_FORMAT)
    throw new FormatError(
      `Not a run file (its format is ${show(format)}, expected "${RUN_FORMAT}").`,
    );
  if (typeof version === 'number' && !(READS as readonly number[]).includes(version))
    throw new FormatError(versionMessage(version));
  return checked('This run file is invalid: ', () =>
    readRun(value, new Val(version, 'version').oneOf(READS)),
  );
}

/** The trials a run file holds, in order (those of its first round hold the most). */
export function trialsIn(run: RunFile): number[] {
  const seen = new Set<number>();
  for (const r of run.rounds) for (const t of r.trials) seen.add(t.trial);
  return [...seen].sort((a, b) => a - b);
}

/**
 * Trial `trial` of a run as a one-trial run of its own seed: what a one-seed view (the lab's
 * history, until it draws trials) keeps of a file. Its config's seed is the trial's, so its θ0,
 * data order and tickets are that trial's.
 */
export function oneTrialOf(
  run: RunFile,
  trial: number,
): { config: ExperimentConfig; rounds: RoundResult[] } {
  const rounds = roundsOfTrial(run.rounds, trial);
  const seed = trialSeed(run.config.training.seed, trial);
  return {
    config: { ...run.config, training: { ...run.config.training, seed, trials: 1 } },
    rounds,
  };
}
