/**
 * The `*.ticket` file (issue 4): a winning ticket — its masks and the surviving weights it is
 * reset to — with the run it was found in, so that it can be shared and trained elsewhere.
 * Only surviving weights are stored: LeNet-300-100's ticket at 7.0% of weights remaining takes
 * 114,856 bytes instead of the dense 1.06 MB. Layout and policy: docs/file-formats.md.
 *
 * Reading is strict: every field is checked and anything that would not be written back byte for
 * byte is refused, so `encodeTicket(decodeTicket(b))` equals `b` for every `b` that decodes.
 */
import { countBits, packBits, unpackBits } from './bits';
import { Obj, SchemaProblem } from './check';
import { crc32 } from './crc32';
import { FormatError, grouped, versionMessage } from './errors';
import {
  type LayerDecl,
  TICKET_VERSION,
  type TicketInfo,
  headerJson,
  asWritten,
  headerText,
  readDecls,
  readHeader,
} from './ticket-header';

export const TICKET_MAGIC = 'LTTICKET';

export interface TicketLayer {
  inputs: number;
  outputs: number;
  /** 0/1 per weight, [inputs, outputs] row-major. */
  mask: Uint8Array;
  /** Length inputs·outputs; pruned entries exactly 0. */
  weights: Float32Array;
  biases: Float32Array;
}

export interface Ticket extends TicketInfo {
  layers: TicketLayer[];
}

const MAGIC_BYTES = new TextEncoder().encode(TICKET_MAGIC);
/** Magic, version, header length, checksum. */
const FIXED = 20;
const MAX_HEADER = 1 << 20;
const pad4 = (n: number) => Math.ceil(n / 4) * 4;
const maskBytes = (weights: number) => pad4(Math.ceil(weights / 8));
const layerName = (l: number, d: { inputs: number; outputs: number }) =>
  `layer ${l + 1} (${d.inputs}→${d.outputs})`;

/**
 * Bytes a ticket of these layer widths and alive counts takes, header excluded (for docs and UI).
 */
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

/**
 * The file length the header declares, read leniently to tell truncation from damage; null if it
 * cannot tell.
 */
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

/**
 * Reads a ticket file; throws FormatError, and nothing else, for any bytes that are not a ticket
 * this lab writes.
 */
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
  // A ticket written before a setting existed (trials, issue 16's task, inputs, init, criterion,
  // foundOn) leaves it out, and reads as its default: its header is canonical without it.
  const written = {
    ...info,
    config: asWritten(info.config, (header as { config?: unknown }).config),
  };
  const canonical = new TextEncoder().encode(headerText(written, decls));
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
