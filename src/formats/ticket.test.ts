/**
 * The ticket file: its byte layout and round trips, what the writer refuses, LeNet-300-100's
 * ticket at 7.0% remaining against docs/file-formats.md, and round 0. Reading bad tickets is
 * in ticket.bad-input.test.ts.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig } from '../engine/config';
import { weightSizes } from '../engine/init';
import { scheduledLayerCounts } from '../engine/prune';
import { Rng } from '../engine/rng';
import { packBits } from './bits';
import { crc32 } from './crc32';
import { tinyCurve, tinyTicket } from './formats.testing';
import { type Ticket, decodeTicket, encodeTicket, ticketPayloadBytes } from './ticket';
import { TICKET_FORMAT } from './ticket-header';
import { formatError } from './formats.testing';
import { SMALL, arbTicket, makeTicket, pad4, sameBytes, withLayers } from './ticket.testing';

describe('the ticket file layout', () => {
  it('writes magic, version, header length, checksum, header, masks, survivors and biases where the spec says', () => {
    const config = withLayers([784, 3, 10]);
    const t = makeTicket(config, 2, 0.25, 3);
    // Bit-exact survivors: a negative zero, the largest float32, a subnormal.
    const [first] = t.layers;
    const alive = [...first!.mask.keys()].filter((i) => first!.mask[i]);
    [first!.weights[alive[0]!], first!.weights[alive[1]!], first!.weights[alive[2]!]] = [
      -0, 3.4028234663852886e38, 1e-45,
    ];
    const bytes = encodeTicket(t);
    const view = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('LTTICKET');
    expect(view.getUint32(8, true)).toBe(1);
    const h = view.getUint32(12, true);
    expect(view.getUint32(16, true)).toBe(crc32(bytes, 20));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + h)));
    expect(Object.keys(header)).toEqual([
      'format',
      'version',
      'config',
      'round',
      'weights',
      'remaining',
      'remainingByLayer',
      'result',
      'createdAt',
      'createdBy',
      'layers',
    ]);
    expect(header).toMatchObject({
      format: TICKET_FORMAT,
      version: 1,
      round: 2,
      config,
      weights: { kind: 'init' },
    });
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
    for (const t of [
      tinyTicket(),
      tinyTicket(0),
      makeTicket(
        withLayers([784, 16, 8, 10], { pruning: { reset: { kind: 'rewind', iteration: 10 } } }),
        1,
        0.5,
        9,
        false,
      ),
    ]) {
      const bytes = encodeTicket(t);
      const back = decodeTicket(bytes);
      expect(back).toEqual(t);
      expect(sameBytes(encodeTicket(back), bytes)).toBe(true);
      // Pruned weights come back as exactly +0.
      back.layers.forEach((l) =>
        l.mask.forEach((m, i) => m || expect(Object.is(l.weights[i], 0)).toBe(true)),
      );
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
    expect(sameBytes(encodeTicket(decodeTicket(big.subarray(3, 3 + SMALL.length))), SMALL)).toBe(
      true,
    );
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
    expect(broken((c) => (c.layers[0]!.weights[pruned] = 0.5))).toBe(
      `Cannot write this ticket: layer 1 (784→16) has pruned weight 0.5 at ${pruned}.`,
    );
    expect(broken((c) => (c.layers[1]!.mask[0] = 2))).toBe(
      'Cannot write this ticket: layer 2 (16→8) has mask entry 2 at 0.',
    );
    expect(broken((c) => (c.layers[2]!.weights = new Float32Array(3)))).toMatch(
      /layer 3 \(8→10\) needs 80 mask entries and weights and 10 biases/,
    );
    expect(broken((c) => (c.layers[2]!.biases[0] = NaN))).toMatch(
      /layer 3 \(8→10\) has a bias that is not a finite number/,
    );
    expect(broken((c) => (c.remaining = 0.9))).toMatch(
      /^Cannot write this ticket: remaining must be/,
    );
    expect(broken((c) => (c.createdBy = 'x'.repeat(201)))).toMatch(
      /createdBy must be a string of at most 200 characters/,
    );
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
    return Number(
      line
        .split('|')
        .at(-2)!
        .replace(/[≈~,\s]/g, ''),
    );
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
    expect(() => encodeTicket({ ...sparse, round: 0, weights: { kind: 'init' } })).toThrow(
      /layers\[0\]\.alive must be 784 in round 0 \(the dense net keeps every weight\)/,
    );
  });
});
