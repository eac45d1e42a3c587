/**
 * The `*.ticket` file's JSON header (ticket.ts holds the binary layout around it): the run the
 * ticket was found in, its round and reset, its P_m, how it trained there, and each layer's
 * shape and alive count. Read strictly, every field checked against the others; written in a
 * fixed key order, the early stop flat (docs/file-formats.md).
 */
import type { ExperimentConfig } from '../engine/config';
import type { CurvePoint, EarlyStop } from '../engine/metrics';
import {
  MAX_LABEL,
  type Obj,
  SchemaProblem,
  Val,
  earlyStopFields,
  readConfig,
  readCurve,
  readEarlyStop,
} from './check';
import { grouped } from './errors';

export const TICKET_FORMAT = 'lottery-ticket-lab.ticket';
export const TICKET_VERSION = 1;

export interface TicketResult {
  earlyStop: EarlyStop;
  finalTestAccuracy: number;
  curve: CurvePoint[];
}

export interface TicketInfo {
  /**
   * The run the ticket was found in: architecture (config.model.layers), data set sizes, training
   * hyperparameters, seed, pruning.
   */
  config: ExperimentConfig;
  /** The pruning round the masks belong to (0 = dense). */
  round: number;
  /**
   * What the stored weights are: θ0 (the paper's reset) or the weights at iteration k (rewind).
   * Always config.pruning.reset, except in round 0, whose dense net starts from θ0.
   */
  weights: { kind: 'init' } | { kind: 'rewind'; iteration: number };
  /** P_m, the fraction of weights kept. */
  remaining: number;
  remainingByLayer: number[];
  /** How the ticket trained in the run it came from (null if never trained there). */
  result: TicketResult | null;
  /** ISO date. */
  createdAt: string;
  /** e.g. "lottery-ticket-lab 0.1 (cli, wasm)". */
  createdBy: string;
}

/** A layer as the header declares it: its shape and how many weights survive. */
export interface LayerDecl {
  inputs: number;
  outputs: number;
  alive: number;
}

/** Sizes refused before anything is allocated: far beyond any network the lab trains. */
const MAX_WIDTH = 100_000;
const MAX_WEIGHTS = 50_000_000;
const MAX_LAYERS = 64;
/** Agreement asked of the header's P_m with the masks' counts. */
const TOLERANCE = 1e-6;

/** The layers' declared shapes and alive counts, refused before anything is allocated if huge. */
export function readDecls(v: Val): LayerDecl[] {
  const decls = v.arr(1, MAX_LAYERS).map((x) => {
    const o = x.obj();
    const inputs = o.at('inputs').int(1, MAX_WIDTH);
    const outputs = o.at('outputs').int(1, MAX_WIDTH);
    return { inputs, outputs, alive: o.at('alive').int(0, inputs * outputs) };
  });
  const total = decls.reduce((sum, d) => sum + d.inputs * d.outputs, 0);
  if (total > MAX_WEIGHTS)
    throw new SchemaProblem(
      `layers declare ${grouped(total)} weights; a ticket has at most ${grouped(MAX_WEIGHTS)}`,
    );
  return decls;
}

function readResult(o: Obj, iterations: number): TicketResult {
  return {
    earlyStop: readEarlyStop(o, iterations),
    finalTestAccuracy: o.at('finalTestAccuracy').num(0, 1),
    curve: readCurve(o.at('curve'), iterations),
  };
}

/** The header's fields, checked against each other; throws SchemaProblem. */
export function readHeader(value: unknown): { info: TicketInfo; decls: LayerDecl[] } {
  const o = new Val(value, '').obj();
  o.at('format').oneOf([TICKET_FORMAT]);
  o.at('version').oneOf([TICKET_VERSION]);
  // The declared sizes first: they are the ones that could ask for huge allocations.
  const decls = readDecls(o.at('layers'));
  const config = readConfig(o.at('config'));
  const widths = config.model.layers;
  if (
    decls.length !== widths.length - 1 ||
    decls.some((d, l) => d.inputs !== widths[l] || d.outputs !== widths[l + 1])
  ) {
    const shapes = decls.map((d) => `${d.inputs}→${d.outputs}`).join(', ');
    throw new SchemaProblem(
      `layers (${shapes}) must match config.model.layers (${widths.join('-')})`,
    );
  }
  const round = o.at('round').int(0, config.pruning.rounds);
  // Round 0 is the dense net: a sparse mask there would be ignored by training (and is no ticket of
  // round 0).
  decls.forEach((d, l) => {
    if (round === 0 && d.alive !== d.inputs * d.outputs)
      throw new SchemaProblem(
        `layers[${l}].alive must be ${d.inputs * d.outputs} in round 0 (the dense net keeps every weight), got ${d.alive}`,
      );
  });
  // Pruned rounds reset as the config says; the dense round 0 always starts from θ0.
  const reset = round > 0 ? config.pruning.reset : { kind: 'init' };
  const w = o.at('weights');
  const kind = w
    .obj()
    .at('kind')
    .oneOf(['init', 'rewind'] as const);
  const weights =
    kind === 'rewind'
      ? { kind, iteration: w.obj().at('iteration').int(0, config.training.iterations) }
      : { kind };
  if (JSON.stringify(weights) !== JSON.stringify(reset)) {
    w.fail(`${JSON.stringify(reset)}, as config.pruning.reset says for round ${round}`);
  }
  const kept =
    decls.reduce((s, d) => s + d.alive, 0) / decls.reduce((s, d) => s + d.inputs * d.outputs, 0);
  const rem = o.at('remaining');
  const remaining = rem.num(0, 1);
  if (Math.abs(remaining - kept) > TOLERANCE)
    rem.fail(`${kept} (the layers' alive counts over their sizes)`);
  const byLayer = o.at('remainingByLayer').arr(decls.length, decls.length);
  const remainingByLayer = byLayer.map((x, l) => {
    const d = decls[l]!;
    const share = x.num(0, 1);
    if (Math.abs(share - d.alive / (d.inputs * d.outputs)) > TOLERANCE)
      x.fail(`${d.alive / (d.inputs * d.outputs)} (layers[${l}].alive over its size)`);
    return share;
  });
  const r = o.at('result');
  const result = r.value === null ? null : readResult(r.obj(), config.training.iterations);
  const info: TicketInfo = {
    config,
    round,
    weights,
    remaining,
    remainingByLayer,
    result,
    createdAt: o.at('createdAt').isoDate(),
    createdBy: o.at('createdBy').string(MAX_LABEL),
  };
  return { info, decls };
}

/**
 * `config` with only the fields the file's own header config has, group by group, in `config`'s
 * order: a file written before a setting existed leaves that setting out (and reads it as its
 * default), so its canonical header leaves it out too. The config itself is the one read.
 */
export function asWritten(config: ExperimentConfig, raw: unknown): ExperimentConfig {
  if (typeof raw !== 'object' || raw === null) return config;
  const groups = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [group, fields] of Object.entries(config)) {
    const has = groups[group];
    if (typeof has !== 'object' || has === null || Array.isArray(has)) {
      out[group] = fields;
      continue;
    }
    out[group] = Object.fromEntries(
      Object.entries(fields as object).filter(([k]) => Object.hasOwn(has, k)),
    );
  }
  return out as unknown as ExperimentConfig;
}

/** The header as written: fixed key order, known fields only, the early stop flat. */
export function headerJson(info: TicketInfo, decls: readonly LayerDecl[]) {
  const { config, round, weights, remaining, remainingByLayer, result, createdAt, createdBy } =
    info;
  return {
    format: TICKET_FORMAT,
    version: TICKET_VERSION,
    config,
    round,
    weights,
    remaining,
    remainingByLayer,
    result: result && {
      ...earlyStopFields(result.earlyStop),
      finalTestAccuracy: result.finalTestAccuracy,
      curve: result.curve,
    },
    createdAt,
    createdBy,
    layers: decls,
  };
}

export const headerText = (info: TicketInfo, decls: readonly LayerDecl[]) =>
  JSON.stringify(headerJson(info, decls));
