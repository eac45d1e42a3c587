import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExperimentConfig, DEFAULT_CONFIG, mergeConfig } from '../engine/config';
import { weightSizes } from '../engine/init';
import { scheduledLayerCounts } from '../engine/prune';
import { Rng } from '../engine/rng';
import { packBits } from './bits';
import { crc32 } from './crc32';
import { FormatError } from './errors';
import { TINY_CONFIG, tinyCurve, tinyTicket } from './formats.testing';
import { type Ticket, TICKET_FORMAT, decodeTicket, encodeTicket, ticketPayloadBytes } from './ticket';

/** The message of the FormatError `f` throws; fails the test on anything else, or on no error. */
function formatError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof FormatError && e.name === 'FormatError') return e.message;
    throw new Error(`expected a FormatError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a FormatError, but it decoded');
}

const pad4 = (n: number) => Math.ceil(n / 4) * 4;
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** A file written by hand, for headers and payloads the encoder would refuse: right CRC, right header length. */
function rawTicket(header: unknown, payload: Uint8Array, version = 1, headerText = JSON.stringify(header)): Uint8Array {
  const h = new TextEncoder().encode(headerText);
  const bytes = new Uint8Array(20 + pad4(h.length) + payload.length);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode('LTTICKET'));
  view.setUint32(8, version, true);
  view.setUint32(12, h.length, true);
  bytes.set(h, 20);
  bytes.set(payload, 20 + pad4(h.length));
  view.setUint32(16, crc32(bytes, 20), true);
  return bytes;
}

/** A valid file taken apart: its header as an object and its payload. */
function parts(bytes: Uint8Array): { header: Record<string, unknown> & { layers: { inputs: number; outputs: number; alive: number }[] }; payload: Uint8Array } {
  const h = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + h))), payload: bytes.slice(20 + pad4(h)) };
}

const withLayers = (layers: number[], patch: Parameters<typeof mergeConfig>[1] = {}) => mergeConfig(TINY_CONFIG, { ...patch, model: { layers } });

/** A ticket of `config` at `round`: masks of about `density`, values from `seed` with the awkward floats mixed in. */
function makeTicket(config: ExperimentConfig, round: number, density: number, seed: number, withResult = true): Ticket {
  const rng = new Rng(seed, 'ticket-test');
  const special = [-0, 0, 1e-45, -1e-45, 3.4028234663852886e38, -3.4028234663852886e38, 1, -1];
  const value = () => Math.fround(rng.uniform() < 0.1 ? special[rng.int(special.length)]! : rng.normal());
  const widths = config.model.layers;
  const layers = weightSizes(widths).map((size, l) => {
    const mask = Uint8Array.from({ length: size }, () => (round === 0 || rng.uniform() < density ? 1 : 0));
    return {
      inputs: widths[l]!,
      outputs: widths[l + 1]!,
      mask,
      weights: Float32Array.from(mask, (m) => (m ? value() : 0)),
      biases: Float32Array.from({ length: widths[l + 1]! }, value),
    };
  });
  const alive = layers.map((l) => l.mask.reduce((a, b) => a + b, 0));
  const sizes = weightSizes(widths);
  const curve = tinyCurve(config, round, 0);
  const reset = config.pruning.reset;
  return {
    config,
    round,
    weights: reset.kind === 'rewind' && round > 0 ? { kind: 'rewind', iteration: reset.iteration } : { kind: 'init' },
    remaining: alive.reduce((a, b) => a + b, 0) / sizes.reduce((a, b) => a + b, 0),
    remainingByLayer: alive.map((a, l) => a / sizes[l]!),
    result: withResult ? { earlyStopIteration: 10, earlyStopTestAccuracy: 0.5, earlyStopValidationAccuracy: 0.51, finalTestAccuracy: 0.75, curve } : null,
    createdAt: '2025-02-03T04:05:06.789Z',
    createdBy: 'ticket.test.ts',
    layers,
  };
}

const arbTicket = fc
  .record({
    hidden: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 2 }),
    rounds: fc.integer({ min: 0, max: 4 }),
    round: fc.nat(),
    density: fc.double({ min: 0, max: 1, noNaN: true }),
    rewind: fc.option(fc.integer({ min: 0, max: 20 })),
    seed: fc.nat(),
    withResult: fc.boolean(),
  })
  .map(({ hidden, rounds, round, density, rewind, seed, withResult }) => {
    const config = withLayers([784, ...hidden, 10], { pruning: { rounds, reset: rewind === null ? { kind: 'init' } : { kind: 'rewind', iteration: rewind } } });
    return makeTicket(config, round % (rounds + 1), density, seed, withResult);
  });

/** The smallest ticket the config allows (784-1-10), for fuzzing every bit and every length. */
const SMALL = encodeTicket(makeTicket(withLayers([784, 1, 10]), 1, 0.3, 1));

describe('the ticket file layout', () => {
  it('writes magic, version, header length, checksum, header, masks, survivors and biases where the spec says', () => {
    const config = withLayers([784, 3, 10]);
    const t = makeTicket(config, 2, 0.25, 3);
    // Bit-exact survivors: a negative zero, the largest float32, a subnormal.
    const [first] = t.layers;
    const alive = [...first!.mask.keys()].filter((i) => first!.mask[i]);
    [first!.weights[alive[0]!], first!.weights[alive[1]!], first!.weights[alive[2]!]] = [-0, 3.4028234663852886e38, 1e-45];
    const bytes = encodeTicket(t);
    const view = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('LTTICKET');
    expect(view.getUint32(8, true)).toBe(1);
    const h = view.getUint32(12, true);
    expect(view.getUint32(16, true)).toBe(crc32(bytes, 20));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + h)));
    expect(Object.keys(header)).toEqual(['format', 'version', 'config', 'round', 'weights', 'remaining', 'remainingByLayer', 'result', 'createdAt', 'createdBy', 'layers']);
    expect(header).toMatchObject({ format: TICKET_FORMAT, version: 1, round: 2, config, weights: { kind: 'init' } });
    const counts = t.layers.map((l) => l.mask.reduce((a, b) => a + b, 0));
    expect(header.layers).toEqual([
      { inputs: 784, outputs: 3, alive: counts[0] },
      { inputs: 3, outputs: 10, alive: counts[1] },
    ]);
    expect([...bytes.subarray(20 + h, 20 + pad4(h))].every((b) => b === 0)).toBe(true);

    let at = 20 + pad4(h);
    for (const [l, layer] of t.layers.entries()) {
      const packed = packBits(layer.mask);
      expect(sameBytes(bytes.subarray(at, at + packed.length), packed)).toBe(true);
      at += pad4(packed.length); // layer 2: 30 bits → 4 bytes, 0 padding; layer 1: 2352 bits → 294 → 296
      const survivors = layer.weights.filter((_, i) => layer.mask[i]);
      expect(survivors.length).toBe(counts[l]);
      for (const w of survivors) {
        expect(Object.is(view.getFloat32(at, true), w)).toBe(true);
        at += 4;
      }
      for (const b of layer.biases) {
        expect(view.getFloat32(at, true)).toBe(b);
        at += 4;
      }
    }
    expect(at).toBe(bytes.length);
    expect(bytes.length).toBe(20 + pad4(h) + ticketPayloadBytes([784, 3, 10], counts));
    expect(view.getUint32(20 + pad4(h) + 296, true)).toBe(0x80000000); // -0, bit for bit

    const back = decodeTicket(bytes);
    expect(back).toEqual(t);
    expect(Object.is(back.layers[0]!.weights[alive[0]!], -0)).toBe(true);
    expect(sameBytes(encodeTicket(back), bytes)).toBe(true);
  });

  it('round-trips the tiny fixture and a rewound ticket without a result', () => {
    for (const t of [tinyTicket(), tinyTicket(0), makeTicket(withLayers([784, 16, 8, 10], { pruning: { reset: { kind: 'rewind', iteration: 10 } } }), 1, 0.5, 9, false)]) {
      const bytes = encodeTicket(t);
      const back = decodeTicket(bytes);
      expect(back).toEqual(t);
      expect(sameBytes(encodeTicket(back), bytes)).toBe(true);
      // Pruned weights come back as exactly +0.
      back.layers.forEach((l) => l.mask.forEach((m, i) => m || expect(Object.is(l.weights[i], 0)).toBe(true)));
    }
  });

  it('round-trips any ticket byte for byte (property)', () => {
    fc.assert(
      fc.property(arbTicket, (t) => {
        const bytes = encodeTicket(t);
        const back = decodeTicket(bytes);
        expect(back).toEqual(t);
        expect(sameBytes(encodeTicket(back), bytes)).toBe(true);
        const h = new DataView(bytes.buffer).getUint32(12, true);
        const alive = t.layers.map((l) => l.mask.reduce((a, b) => a + b, 0));
        expect(bytes.length).toBe(20 + pad4(h) + ticketPayloadBytes(t.config.model.layers, alive));
      }),
      { numRuns: 60 },
    );
  });

  it('reads a ticket from a view into a larger buffer at any offset', () => {
    const big = new Uint8Array(SMALL.length + 7);
    big.set(SMALL, 3);
    expect(sameBytes(encodeTicket(decodeTicket(big.subarray(3, 3 + SMALL.length))), SMALL)).toBe(true);
  });
});

describe('reading damaged tickets', () => {
  it('refuses every truncation with FormatError, saying truncated once the magic is there', () => {
    for (const bytes of [SMALL, encodeTicket(tinyTicket())]) {
      for (let n = 0; n < bytes.length; n++) {
        const message = formatError(() => decodeTicket(bytes.subarray(0, n)));
        if (n > 0) expect(message).toMatch(/^This ticket file is truncated: [\d,]+ of (at least )?[\d,]+ bytes\.$/);
      }
    }
    const tiny = encodeTicket(tinyTicket());
    expect(formatError(() => decodeTicket(tiny.subarray(0, 8192)))).toBe(`This ticket file is truncated: 8,192 of ${tiny.length.toLocaleString('en-US')} bytes.`);
    expect(formatError(() => decodeTicket(new Uint8Array(0)))).toBe('This ticket file is empty.');
  });

  it('refuses every single bit flip of a small ticket, and random flips of larger ones', () => {
    for (let bit = 0; bit < SMALL.length * 8; bit++) {
      const flipped = SMALL.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      formatError(() => decodeTicket(flipped));
    }
    fc.assert(
      fc.property(arbTicket, fc.nat(), (t, pick) => {
        const bytes = encodeTicket(t);
        const bit = pick % (bytes.length * 8);
        bytes[bit >> 3]! ^= 1 << (bit & 7);
        formatError(() => decodeTicket(bytes));
      }),
      { numRuns: 60 },
    );
  });

  it('says corrupted when the checksum does not match, whatever byte changed after it', () => {
    const bytes = SMALL.slice();
    bytes[bytes.length - 1]! ^= 0x40;
    expect(formatError(() => decodeTicket(bytes))).toBe('This ticket file is corrupted (checksum mismatch).');
    const crc = SMALL.slice();
    crc[17]! ^= 1;
    expect(formatError(() => decodeTicket(crc))).toBe('This ticket file is corrupted (checksum mismatch).');
  });

  it('refuses random bytes, with or without a ticket-like start', () => {
    const start = SMALL.subarray(0, 20);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 0, max: 20 }), (garbage, keep) => {
        formatError(() => decodeTicket(garbage));
        const spliced = new Uint8Array(keep + garbage.length);
        spliced.set(start.subarray(0, keep));
        spliced.set(garbage, keep);
        formatError(() => decodeTicket(spliced));
      }),
    );
    expect(formatError(() => decodeTicket(new TextEncoder().encode('PK\u0003\u0004 a zip file')))).toBe('Not a ticket file (it does not start with LTTICKET).');
  });

  it('refuses extra bytes after the end', () => {
    const longer = new Uint8Array(SMALL.length + 4);
    longer.set(SMALL);
    expect(formatError(() => decodeTicket(longer))).toMatch(/has 4 bytes after the [\d,]+ its header declares/);
  });
});

describe('reading tickets that are well formed but wrong', () => {
  const { header, payload } = parts(SMALL);
  const decodeRaw = (h: unknown, p = payload, version = 1) => formatError(() => decodeTicket(rawTicket(h, p, version)));

  it('the hand-made file of the unchanged parts decodes (the helpers are right)', () => {
    expect(sameBytes(rawTicket(header, payload), SMALL)).toBe(true);
  });

  it('names the version, newer or older', () => {
    expect(decodeRaw(header, payload, 2)).toBe('This ticket is format version 2; this lab reads version 1 (a newer lab wrote it).');
    expect(decodeRaw(header, payload, 0)).toBe('This ticket is format version 0; this lab reads version 1 (an older format).');
    expect(decodeRaw({ ...header, version: 2 })).toBe("This ticket file's header is invalid: version must be 1, got 2.");
    expect(decodeRaw({ ...header, format: 'lottery-ticket-lab.run' })).toBe(`This ticket file's header is invalid: format must be "${TICKET_FORMAT}", got "lottery-ticket-lab.run".`);
  });

  it('refuses header layers that do not match the config', () => {
    // Payloads of the declared length, so that the length is not what is wrong.
    const sized = (layers: { inputs: number; outputs: number; alive: number }[]) =>
      new Uint8Array(ticketPayloadBytes([layers[0]!.inputs, ...layers.map((d) => d.outputs)], layers.map((d) => d.alive)));
    const wider = [
      { inputs: 784, outputs: 2, alive: 10 },
      { inputs: 2, outputs: 10, alive: 1 },
    ];
    expect(decodeRaw({ ...header, layers: wider }, sized(wider))).toBe(
      "This ticket file's header is invalid: layers (784→2, 2→10) must match config.model.layers (784-1-10).",
    );
    const fewer = header.layers.slice(0, 1);
    expect(decodeRaw({ ...header, layers: fewer }, sized(fewer))).toMatch(/layers \(784→1\) must match config\.model\.layers/);
  });

  it('refuses a mask that keeps another count than the header declares', () => {
    const layers = [{ ...header.layers[0]!, alive: header.layers[0]!.alive + 1 }, header.layers[1]];
    const longer = new Uint8Array(payload.length + 4); // room for the one survivor more, so that only the count is wrong
    longer.set(payload);
    const total = 784 + 10;
    const kept = header.layers[0]!.alive + 1 + header.layers[1]!.alive;
    const h = { ...header, layers, remaining: kept / total, remainingByLayer: [(header.layers[0]!.alive + 1) / 784, (header.remainingByLayer as number[])[1]] };
    expect(decodeRaw(h, longer)).toBe(`The ticket's layer 1 (784→1) keeps ${header.layers[0]!.alive} weights in its mask, its header says ${header.layers[0]!.alive + 1}.`);
  });

  it('refuses a P_m that disagrees with the masks', () => {
    expect(decodeRaw({ ...header, remaining: 0.5 })).toMatch(/^This ticket file's header is invalid: remaining must be 0\.\d+ \(the layers' alive counts over their sizes\), got 0\.5\.$/);
    expect(decodeRaw({ ...header, remainingByLayer: [0.3, 1] })).toMatch(/remainingByLayer\[\d\] must be/);
    expect(decodeRaw({ ...header, remainingByLayer: [0.3] })).toMatch(/remainingByLayer must be a list of 2 entries/);
  });

  it('refuses fields out of range or of the wrong type, by path', () => {
    const config = header.config as ExperimentConfig;
    expect(decodeRaw({ ...header, round: 3 })).toMatch(/round must be an integer in \[0, 2\], got 3/);
    expect(decodeRaw({ ...header, weights: { kind: 'rewind', iteration: 0 } })).toMatch(/weights must be \{"kind":"init"\}, as config\.pruning\.reset says for round 1, got/);
    expect(decodeRaw({ ...header, config: { ...config, model: { layers: [100, 1, 10] } } })).toMatch(/config\.model\.layers\[0\] must be 784/);
    expect(decodeRaw({ ...header, config: { ...config, training: { ...config.training, seed: '7' } } })).toMatch(/config\.training\.seed must be a number, got "7"/);
    expect(decodeRaw({ ...header, createdAt: 'yesterday' })).toMatch(/createdAt must be an ISO date/);
    expect(decodeRaw({ ...header, result: { ...(header.result as object), curve: [] } })).toMatch(/result\.curve must be a list of 1 to 10000 curve points/);
    expect(decodeRaw({ ...header, result: { ...(header.result as object), finalTestAccuracy: 1.5 } })).toMatch(/result\.finalTestAccuracy must be a number in \[0, 1\], got 1\.5/);
  });

  it('refuses a header that is not JSON, or not written the way the lab writes it', () => {
    expect(formatError(() => decodeTicket(rawTicket(null, payload, 1, '{"format": nope')))).toMatch(/^This ticket file('s header is not valid UTF-8 JSON| is truncated)/);
    expect(formatError(() => decodeTicket(rawTicket(header, payload, 1, JSON.stringify(header, null, 1))))).toBe("This ticket file's header is not written the way this lab writes it (was it edited?).");
    expect(formatError(() => decodeTicket(rawTicket(header, payload, 1, JSON.stringify({ ...header, extra: 1 }))))).toMatch(/not written the way/);
  });

  it('asks a rewinding run for the rewind weights in pruned rounds and θ0 in round 0', () => {
    const rewinding = withLayers([784, 1, 10], { pruning: { reset: { kind: 'rewind', iteration: 10 } } });
    const dense = makeTicket(rewinding, 0, 1, 2);
    expect(dense.weights).toEqual({ kind: 'init' });
    expect(decodeTicket(encodeTicket(dense))).toEqual(dense);
    expect(formatError(() => encodeTicket({ ...dense, weights: { kind: 'rewind', iteration: 10 } }))).toMatch(/weights must be \{"kind":"init"\}, as config\.pruning\.reset says for round 0/);
    const pruned = makeTicket(rewinding, 2, 0.5, 2);
    expect(decodeTicket(encodeTicket(pruned))).toEqual(pruned);
    expect(formatError(() => encodeTicket({ ...pruned, weights: { kind: 'rewind', iteration: 11 } }))).toMatch(
      /^Cannot write this ticket: weights must be \{"kind":"rewind","iteration":10\}, as config\.pruning\.reset says for round 2, got/,
    );
    expect(formatError(() => encodeTicket({ ...pruned, weights: { kind: 'init' } }))).toMatch(/weights must be \{"kind":"rewind","iteration":10\}/);
  });

  it('refuses non-zero padding after the header', () => {
    let tried = 0;
    for (const createdBy of ['a', 'ab', 'abc', 'abcd']) {
      const bytes = rawTicket({ ...header, createdBy }, payload);
      const view = new DataView(bytes.buffer);
      const h = view.getUint32(12, true);
      if (h % 4 === 0) continue;
      bytes[20 + h] = 0x20; // a space: JSON would not mind, the byte-exact round trip would
      view.setUint32(16, crc32(bytes, 20), true);
      expect(formatError(() => decodeTicket(bytes))).toBe('This ticket file has stray bytes after its header.');
      tried++;
    }
    expect(tried).toBe(3);
  });

  it('refuses stray bits past a mask, non-zero padding and non-finite weights', () => {
    // Layer 2 (1→10) has 10 mask bits: 2 bytes, padded to 4, after layer 1's 98 (→100) mask bytes and its survivors.
    const layer2 = 100 + 4 * header.layers[0]!.alive + 4;
    const stray = payload.slice();
    stray[layer2 + 1]! |= 0x80;
    expect(decodeRaw(header, stray)).toBe("The ticket's layer 2 (1→10) has mask bits set past its 10 weights.");
    const padded = payload.slice();
    padded[layer2 + 3] = 1;
    expect(decodeRaw(header, padded)).toMatch(/mask bits set past/);
    const nan = payload.slice();
    new DataView(nan.buffer).setFloat32(100, NaN, true);
    expect(decodeRaw(header, nan)).toMatch(/^The ticket's layer 1 \(784→1\) has weight \d+ that is not a finite number \(NaN\)\.$/);
    const inf = payload.slice();
    new DataView(inf.buffer).setFloat32(layer2 + 4 + 4 * header.layers[1]!.alive, -Infinity, true);
    expect(decodeRaw(header, inf)).toMatch(/layer 2 \(1→10\) has bias 0 that is not a finite number \(-Infinity\)/);
  });

  it('refuses huge declared sizes at once, before allocating', () => {
    const started = performance.now();
    const wide = { ...header, layers: [{ inputs: 784, outputs: 1_000_000, alive: 1_000_000 }, header.layers[1]] };
    expect(decodeRaw(wide)).toMatch(/layers\[0\]\.outputs must be an integer in \[1, 100000\], got 1000000/);
    const many = { ...header, layers: [{ inputs: 784, outputs: 100_000, alive: 0 }, { inputs: 100_000, outputs: 100_000, alive: 0 }] };
    expect(decodeRaw(many)).toMatch(/layers declare 10,078,400,000 weights; a ticket has at most 50,000,000/);
    const bytes = SMALL.slice();
    new DataView(bytes.buffer).setUint32(12, 0xffffffff, true);
    expect(formatError(() => decodeTicket(bytes))).toBe("This ticket file is damaged: its header claims 4,294,967,295 bytes, a ticket header has at most 1,048,576.");
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('writing tickets', () => {
  it('refuses what could not be read back', () => {
    const t = tinyTicket();
    const broken = (f: (t: Ticket) => void) => {
      const copy = tinyTicket();
      f(copy);
      return formatError(() => encodeTicket(copy));
    };
    const pruned = t.layers[0]!.mask.indexOf(0);
    expect(broken((c) => (c.layers[0]!.weights[pruned] = 0.5))).toBe(`Cannot write this ticket: layer 1 (784→16) has pruned weight 0.5 at ${pruned}.`);
    expect(broken((c) => (c.layers[1]!.mask[0] = 2))).toBe('Cannot write this ticket: layer 2 (16→8) has mask entry 2 at 0.');
    expect(broken((c) => (c.layers[2]!.weights = new Float32Array(3)))).toMatch(/layer 3 \(8→10\) needs 80 mask entries and weights and 10 biases/);
    expect(broken((c) => (c.layers[2]!.biases[0] = NaN))).toMatch(/layer 3 \(8→10\) has a bias that is not a finite number/);
    expect(broken((c) => (c.remaining = 0.9))).toMatch(/^Cannot write this ticket: remaining must be/);
    expect(broken((c) => (c.createdBy = 'x'.repeat(201)))).toMatch(/createdBy must be a string of at most 200 characters/);
  });
});

describe("LeNet-300-100's ticket at 7.0% of weights remaining, as docs/file-formats.md states it", () => {
  const LENET = DEFAULT_CONFIG.model.layers;
  const alive = scheduledLayerCounts(DEFAULT_CONFIG, weightSizes(LENET), 12);
  const doc = readFileSync(new URL('../../docs/file-formats.md', import.meta.url), 'utf8');
  /** The number in the last cell of the table row whose first cell starts with `label`. */
  const row = (label: string) => {
    const line = doc.split('\n').find((l) => l.startsWith(`| ${label}`));
    if (!line) throw new Error(`no row "${label}" in docs/file-formats.md`);
    return Number(line.split('|').at(-2)!.replace(/[≈~,\s]/g, ''));
  };

  it('keeps the counts of 12 rounds of layer-wise 20% / 10% pruning', () => {
    const total = alive.reduce((a, b) => a + b, 0) / weightSizes(LENET).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(0.07, 3);
    expect(row('dense float32 weights')).toBe(266_200 * 4);
  });

  it('has the payload the docs give, part by part', () => {
    const masks = weightSizes(LENET).reduce((s, n) => s + pad4(Math.ceil(n / 8)), 0);
    const weights = 4 * alive.reduce((a, b) => a + b, 0);
    expect(row('masks')).toBe(masks);
    expect(row('surviving weights')).toBe(weights);
    expect(row('biases')).toBe(4 * (300 + 100 + 10));
    expect(row('payload')).toBe(ticketPayloadBytes(LENET, alive));
    expect(masks + weights + 4 * 410).toBe(ticketPayloadBytes(LENET, alive));
  });

  it('takes the header and total size the docs give (within 2%), with a 31-point curve', () => {
    const config = mergeConfig(DEFAULT_CONFIG, {});
    const rng = new Rng(0, 'lenet-ticket');
    const t = makeTicket(config, 12, 0, 0);
    t.layers.forEach((layer, l) => {
      const order = rng.permutation(layer.mask.length);
      for (let i = 0; i < alive[l]!; i++) {
        layer.mask[order[i]!] = 1;
        layer.weights[order[i]!] = Math.fround(rng.normal() * 0.05);
      }
    });
    t.remainingByLayer = alive.map((a, l) => a / weightSizes(LENET)[l]!);
    t.remaining = alive.reduce((a, b) => a + b, 0) / 266_200;
    t.result!.curve = tinyCurve(config, 12, 0); // 0, 100, …, 3000
    expect(t.result!.curve).toHaveLength(31);
    const bytes = encodeTicket(t);
    const header = bytes.length - ticketPayloadBytes(LENET, alive);
    expect(Math.abs(row('fixed fields and JSON header') - header) / header).toBeLessThan(0.02);
    expect(Math.abs(row('total') - bytes.length) / bytes.length).toBeLessThan(0.02);
  });
});

describe('round 0', () => {
  it('is the dense net: a sparse mask there is refused, not silently trained dense', () => {
    const sparse = makeTicket(withLayers([784, 1, 10]), 1, 0.5, 4);
    expect(() => encodeTicket({ ...sparse, round: 0, weights: { kind: 'init' } })).toThrow(/layers\[0\]\.alive must be 784 in round 0 \(the dense net keeps every weight\)/);
  });
});
