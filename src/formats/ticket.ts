/**
 * The `*.ticket` file (issue 4): a winning ticket — its masks and the surviving weights it is
 * reset to — with the run it was found in, so that it can be shared and trained elsewhere.
 * Only surviving weights are stored: LeNet-300-100's ticket at 7.0% of weights remaining takes
 * 114,856 bytes instead of the dense 1.06 MB. Layout and policy: docs/file-formats.md.
 *
 * Reading is strict: every field is checked and anything that would not be written back byte for
 * byte is refused, so `encodeTicket(decodeTicket(b))` equals `b` for every `b` that decodes.
 */
import type { ExperimentConfig } from '../engine/config';
import type { CurvePoint, EarlyStop } from '../engine/metrics';
import {
  MAX_LABEL,
  Obj,
  SchemaProblem,
  Val,
  earlyStopFields,
  readConfig,
  readCurve,
  readEarlyStop,
} from './check';
import { countBits, packBits, unpackBits } from './bits';
import { crc32 } from './crc32';
import { FormatError, grouped, versionMessage } from './errors';

export const TICKET_MAGIC = 'LTTICKET';
export const TICKET_FORMAT = 'lottery-ticket-lab.ticket';
export const TICKET_VERSION = 1;

export interface TicketLayer {
  inputs: number;
  outputs: number;
  /** 0/1 per weight, [inputs, outputs] row-major. */
  mask: Uint8Array;
  /** Length inputs·outputs; pruned entries exactly 0. */
  weights: Float32Array;
  biases: Float32Array;
}

export interface TicketResult {
  earlyStop: EarlyStop;
  finalTestAccuracy: number;
  curve: CurvePoint[];
}

export interface TicketInfo {
  /** The run the ticket was found in: architecture (config.model.layers), data set sizes, training hyperparameters, seed, pruning. */
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

export interface Ticket extends TicketInfo {
  layers: TicketLayer[];
}

/** A layer as the header declares it: its shape and how many weights survive. */
interface LayerDecl {
  inputs: number;
  outputs: number;
  alive: number;
}

const MAGIC_BYTES = new TextEncoder().encode(TICKET_MAGIC);
/** Magic, version, header length, checksum. */
const FIXED = 20;
const MAX_HEADER = 1 << 20;
/** Sizes refused before anything is allocated: far beyond any network the lab trains. */
const MAX_WIDTH = 100_000;
const MAX_WEIGHTS = 50_000_000;
const MAX_LAYERS = 64;
/** Agreement asked of the header's P_m with the masks' counts. */
const TOLERANCE = 1e-6;

const pad4 = (n: number) => Math.ceil(n / 4) * 4;
const maskBytes = (weights: number) => pad4(Math.ceil(weights / 8));
const layerName = (l: number, d: { inputs: number; outputs: number }) =>
  `layer ${l + 1} (${d.inputs}→${d.outputs})`;

/** Bytes a ticket of these layer widths and alive counts takes, header excluded (for docs and UI). */
export function ticketPayloadBytes(layers: readonly number[], alive: readonly number[]): number {
  if (alive.length !== layers.length - 1)
    throw new RangeError(
      `${layers.length} layer widths need ${layers.length - 1} alive counts, got ${alive.length}`,
    );
  let bytes = 0;
  for (let l = 0; l < alive.length; l++)
    bytes += maskBytes(layers[l]! * layers[l + 1]!) + 4 * alive[l]! + 4 * layers[l + 1]!;
  return bytes;
}

const fileLength = (headerBytes: number, decls: readonly LayerDecl[]) =>
  FIXED +
  pad4(headerBytes) +
  decls.reduce((sum, d) => sum + maskBytes(d.inputs * d.outputs) + 4 * d.alive + 4 * d.outputs, 0);

function readDecls(v: Val): LayerDecl[] {
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
function readHeader(value: unknown): { info: TicketInfo; decls: LayerDecl[] } {
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
  // Round 0 is the dense net: a sparse mask there would be ignored by training (and is no ticket of round 0).
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

/** The header as written: fixed key order, known fields only, the early stop flat. */
function headerJson(info: TicketInfo, decls: readonly LayerDecl[]) {
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

const headerText = (info: TicketInfo, decls: readonly LayerDecl[]) =>
  JSON.stringify(headerJson(info, decls));

/** Runs a header check, turning its SchemaProblem into a FormatError that starts with `lead`. */
function checked<T>(lead: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof SchemaProblem) throw new FormatError(`${lead}${e.message}.`);
    throw e;
  }
}

/** Writes a ticket; throws FormatError for a ticket that could not be read back. */
export function encodeTicket(t: Ticket): Uint8Array {
  const cannot = 'Cannot write this ticket: ';
  const decls = t.layers.map((layer, l): LayerDecl => {
    const { inputs, outputs, mask, weights, biases } = layer;
    const name = layerName(l, layer);
    const size = inputs * outputs;
    if (mask.length !== size || weights.length !== size || biases.length !== outputs)
      throw new FormatError(
        `${cannot}${name} needs ${size} mask entries and weights and ${outputs} biases.`,
      );
    let alive = 0;
    for (let i = 0; i < size; i++) {
      const m = mask[i]!;
      const w = weights[i]!;
      if (m > 1 || !Number.isFinite(w) || (m === 0 && w !== 0))
        throw new FormatError(
          `${cannot}${name} has ${m > 1 ? `mask entry ${m}` : m ? `weight ${w}` : `pruned weight ${w}`} at ${i}.`,
        );
      alive += m;
    }
    if (!biases.every(Number.isFinite))
      throw new FormatError(`${cannot}${name} has a bias that is not a finite number.`);
    return { inputs, outputs, alive };
  });
  // Checked as it will be read back: the header's own shape.
  const { info } = checked(cannot, () => readHeader(headerJson(t, decls)));
  const header = new TextEncoder().encode(headerText(info, decls));
  if (header.length > MAX_HEADER)
    throw new FormatError(
      `${cannot}its header takes ${grouped(header.length)} bytes; at most ${grouped(MAX_HEADER)} are allowed.`,
    );

  const bytes = new Uint8Array(fileLength(header.length, decls));
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC_BYTES, 0);
  view.setUint32(8, TICKET_VERSION, true);
  view.setUint32(12, header.length, true);
  bytes.set(header, FIXED);
  let at = FIXED + pad4(header.length);
  t.layers.forEach((layer, l) => {
    bytes.set(packBits(layer.mask), at);
    at += maskBytes(layer.mask.length);
    for (let i = 0; i < layer.mask.length; i++) {
      if (!layer.mask[i]) continue;
      view.setFloat32(at, layer.weights[i]!, true);
      at += 4;
    }
    for (let j = 0; j < decls[l]!.outputs; j++, at += 4)
      view.setFloat32(at, layer.biases[j]!, true);
  });
  view.setUint32(16, crc32(bytes, FIXED), true);
  return bytes;
}

/** The file length the header declares, read leniently to tell truncation from damage; null if it cannot tell. */
function declaredLength(headerBytes: number, header: unknown): number | null {
  if (typeof header !== 'object' || header === null) return null;
  try {
    return fileLength(
      headerBytes,
      readDecls(new Obj(header as Record<string, unknown>, '').at('layers')),
    );
  } catch {
    return null;
  }
}

const NOT_JSON = Symbol('not JSON');

function parseHeader(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes));
  } catch {
    return NOT_JSON;
  }
}

const truncated = (have: number, need: number, atLeast = '') =>
  new FormatError(
    `This ticket file is truncated: ${grouped(have)} of ${atLeast}${grouped(need)} bytes.`,
  );

/** Reads a ticket file; throws FormatError, and nothing else, for any bytes that are not a ticket this lab writes. */
export function decodeTicket(bytes: Uint8Array): Ticket {
  const n = bytes.length;
  if (n === 0) throw new FormatError('This ticket file is empty.');
  const magic = MAGIC_BYTES.every((b, i) => i >= n || bytes[i] === b);
  if (!magic) throw new FormatError(`Not a ticket file (it does not start with ${TICKET_MAGIC}).`);
  if (n < FIXED) throw truncated(n, FIXED, 'at least ');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== TICKET_VERSION)
    throw new FormatError(versionMessage('ticket', version, TICKET_VERSION));
  const h = view.getUint32(12, true);
  if (h > MAX_HEADER)
    throw new FormatError(
      `This ticket file is damaged: its header claims ${grouped(h)} bytes, a ticket header has at most ${grouped(MAX_HEADER)}.`,
    );
  if (n < FIXED + pad4(h)) throw truncated(n, FIXED + pad4(h), 'at least ');
  const header = parseHeader(bytes.subarray(FIXED, FIXED + h));
  const length = declaredLength(h, header);
  if (length !== null && length > n) throw truncated(n, length);
  if (length !== null && length < n)
    throw new FormatError(
      `This ticket file has ${grouped(n - length)} bytes after the ${grouped(length)} its header declares.`,
    );
  if (crc32(bytes, FIXED) !== view.getUint32(16, true))
    throw new FormatError('This ticket file is corrupted (checksum mismatch).');
  if (header === NOT_JSON)
    throw new FormatError("This ticket file's header is not valid UTF-8 JSON.");
  const { info, decls } = checked("This ticket file's header is invalid: ", () =>
    readHeader(header),
  );
  if (length !== n)
    throw new FormatError(
      `This ticket file is ${grouped(n)} bytes, its header declares ${grouped(fileLength(h, decls))}.`,
    );
  const canonical = new TextEncoder().encode(headerText(info, decls));
  if (canonical.length !== h || canonical.some((b, i) => b !== bytes[FIXED + i]))
    throw new FormatError(
      "This ticket file's header is not written the way this lab writes it (was it edited?).",
    );
  if (bytes.subarray(FIXED + h, FIXED + pad4(h)).some((b) => b !== 0))
    throw new FormatError('This ticket file has stray bytes after its header.');

  let at = FIXED + pad4(h);
  const layers = decls.map((d, l): TicketLayer => {
    const name = `The ticket's ${layerName(l, d)}`;
    const size = d.inputs * d.outputs;
    const packed = bytes.subarray(at, at + Math.ceil(size / 8));
    const kept = countBits(packed, size);
    if (kept !== d.alive)
      throw new FormatError(
        `${name} keeps ${grouped(kept)} weights in its mask, its header says ${grouped(d.alive)}.`,
      );
    const tail = size % 8 ? packed[packed.length - 1]! >> (size % 8) : 0;
    if (tail || bytes.subarray(at + packed.length, at + maskBytes(size)).some((b) => b !== 0))
      throw new FormatError(`${name} has mask bits set past its ${grouped(size)} weights.`);
    const mask = unpackBits(packed, size);
    at += maskBytes(size);
    const read = (what: string, i: number) => {
      const x = view.getFloat32(at, true);
      if (!Number.isFinite(x))
        throw new FormatError(`${name} has ${what} ${i} that is not a finite number (${x}).`);
      at += 4;
      return x;
    };
    const weights = new Float32Array(size);
    for (let i = 0; i < size; i++) if (mask[i]) weights[i] = read('weight', i);
    const biases = new Float32Array(d.outputs);
    for (let j = 0; j < d.outputs; j++) biases[j] = read('bias', j);
    return { inputs: d.inputs, outputs: d.outputs, mask, weights, biases };
  });
  return { ...info, layers };
}
