/**
 * A run as JSON (issue 4): its config, and per round the engine's RoundResult — curves,
 * summaries, Figure 3 histograms, survivors per pixel. What "Export run" writes, "Import run"
 * reads, and the form of the recorded lecture run the app ships. No weights: a run's weights
 * travel as a ticket. Spec: docs/file-formats.md.
 *
 * Reading checks everything the app will read, so an imported file can never put a NaN on an
 * axis or a missing variant in a table; a problem is named by its JSON path.
 */
import { type ExperimentConfig, type VariantName, variantsOfRound } from '../engine/config';
import type { RoundResult, VariantResult } from '../engine/experiment';
import type { Histogram, LayerHistogram } from '../engine/metrics';
import {
  MAX_LABEL,
  type Obj,
  SchemaProblem,
  Val,
  earlyStopFields,
  readConfig,
  readCurve,
  readEarlyStop,
  show,
} from './check';
import { FormatError, versionMessage } from './errors';

export const RUN_FORMAT = 'lottery-ticket-lab.run';
export const RUN_VERSION = 1;

export interface RunFile {
  format: typeof RUN_FORMAT;
  version: typeof RUN_VERSION;
  name: string;
  /** ISO date. */
  createdAt: string;
  /** Where it ran, e.g. "webgpu (nvidia ampere)". */
  backend: string;
  config: ExperimentConfig;
  wallMs: number;
  rounds: RoundResult[];
}

/** Longest run file read: 64 MB of text (a 60-round run with all controls takes a few MB). */
const MAX_TEXT = 64 * 1024 * 1024;
const MAX_BINS = 1000;

function readHistogram(v: Val, bins: number | null, maxCount: number): Histogram {
  const o = v.obj();
  const e = o.at('edges');
  const edges = e.nums(
    -Infinity,
    Infinity,
    bins === null ? 2 : bins + 1,
    bins === null ? MAX_BINS + 1 : bins + 1,
  );
  for (let i = 1; i < edges.length; i++)
    if (edges[i]! <= edges[i - 1]!)
      new Val(edges[i], `${e.path}[${i}]`).fail(`a number above ${edges[i - 1]} (edges ascend)`);
  return {
    edges,
    counts: o.at('counts').nums(0, maxCount, edges.length - 1, edges.length - 1, true),
  };
}

function readHistograms(v: Val, layers: readonly number[]): LayerHistogram[] {
  return v.arr(layers.length - 1, layers.length - 1).map((h, l) => {
    const o = h.obj();
    o.at('layer').oneOf([l]);
    const size = layers[l]! * layers[l + 1]!;
    const all = readHistogram(o.at('all'), null, size);
    return { layer: l, all, surviving: readHistogram(o.at('surviving'), all.counts.length, size) };
  });
}

function readVariant(o: Obj, name: VariantName, config: ExperimentConfig): VariantResult {
  const layers = config.model.layers;
  const { iterations } = config.training;
  o.at('variant').oneOf([name]);
  return {
    variant: name,
    remaining: o.at('remaining').num(0, 1),
    remainingByLayer: o.at('remainingByLayer').nums(0, 1, layers.length - 1, layers.length - 1),
    curve: readCurve(o.at('curve'), iterations),
    earlyStop: readEarlyStop(o, iterations),
    finalTestAccuracy: o.at('finalTestAccuracy').num(0, 1),
    histograms: readHistograms(o.at('histograms'), layers),
    pixelSurvivors: o.at('pixelSurvivors').nums(0, layers[1]!, layers[0]!, layers[0]!, true),
  };
}

function firstRound(v: Val, config: ExperimentConfig): number {
  const r = v.obj().at('round');
  return r.int(0, config.pruning.rounds);
}

function readRound(v: Val, round: number, config: ExperimentConfig): RoundResult {
  const o = v.obj();
  const r = o.at('round');
  if (r.value !== round) r.fail(`${round} (rounds listed in order, one after another)`);
  if (round > config.pruning.rounds)
    r.fail(`at most ${config.pruning.rounds} (the config's last round)`);
  const widths = config.model.layers.length - 1;
  const names = variantsOfRound(config, round);
  return {
    round,
    remaining: o.at('remaining').num(0, 1),
    remainingByLayer: o.at('remainingByLayer').nums(0, 1, widths, widths),
    variants: o
      .at('variants')
      .arr(
        names.length,
        names.length,
        `a list of the ${names.length} variants of round ${round} (${names.join(', ')})`,
      )
      .map((x, i) => readVariant(x.obj(), names[i]!, config)),
    wallMs: o.at('wallMs').num(0, Infinity),
    examplesPerSecond: o.at('examplesPerSecond').num(0, Infinity),
  };
}

/** A round as the file writes it: the early stop flat among a variant's fields, in this order. */
function roundJson(r: RoundResult) {
  return {
    ...r,
    variants: r.variants.map(({ earlyStop, ...v }) => ({
      variant: v.variant,
      remaining: v.remaining,
      remainingByLayer: v.remainingByLayer,
      curve: v.curve,
      ...earlyStopFields(earlyStop),
      finalTestAccuracy: v.finalTestAccuracy,
      histograms: v.histograms,
      pixelSurvivors: v.pixelSurvivors,
    })),
  };
}

function readRun(value: unknown): RunFile {
  const o = new Val(value, '').obj();
  const config = readConfig(o.at('config'));
  const most = config.pruning.rounds + 1;
  return {
    format: RUN_FORMAT,
    version: RUN_VERSION,
    name: o.at('name').string(MAX_LABEL),
    createdAt: o.at('createdAt').isoDate(),
    backend: o.at('backend').string(MAX_LABEL),
    config,
    wallMs: o.at('wallMs').num(0, Infinity),
    // Round 0 first, except for a run that trained an imported ticket: it starts at the ticket's
    // round.
    rounds: o
      .at('rounds')
      .arr(1, most, `a list of 1 to ${most} rounds`)
      .map((r, i, all) => readRound(r, firstRound(all[0]!, config) + i, config)),
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

/**
 * JSON text of a run, ending in a newline; throws FormatError for a run that could not be read
 * back.
 */
export function encodeRunFile(run: Omit<RunFile, 'format' | 'version'>): string {
  // Checked as it will be read: the file's own shape, in which the early stop is flat.
  const checkedRun = checked('Cannot write this run file: ', () =>
    readRun({ ...run, rounds: run.rounds.map(roundJson) }),
  );
  return `${JSON.stringify({ ...checkedRun, rounds: checkedRun.rounds.map(roundJson) })}\n`;
}

/**
 * Reads a run file; throws FormatError, and nothing else, naming the first problem by its JSON
 * path.
 */
export function decodeRunFile(text: string): RunFile {
  if (typeof text !== 'string') throw new FormatError('Not a run file (it is not text).');
  if (text.length > MAX_TEXT)
    throw new FormatError(
      `This run file is too large: ${(text.length / 1024 / 1024).toFixed(1)} MB, this lab reads at most 64 MB.`,
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
  if (typeof version === 'number' && version !== RUN_VERSION)
    throw new FormatError(versionMessage('run file', version, RUN_VERSION));
  return checked('This run file is invalid: ', () => {
    new Val(version, 'version').oneOf([RUN_VERSION]);
    return readRun(value);
  });
}
