/**
 * Reading bad tickets: damaged files (truncated, bit-flipped, corrupted, random bytes, trailing
 * bytes) and files that are well formed but wrong (versions, layers, counts, P_m, field ranges,
 * header JSON, padding, stray mask bits, non-finite values, huge declared sizes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../engine/config';
import { crc32 } from './crc32';
import { tinyTicket } from './formats.testing';
import { decodeTicket, encodeTicket, ticketPayloadBytes } from './ticket';
import { TICKET_FORMAT } from './ticket-header';
import { formatError } from './formats.testing';
import {
  SMALL,
  arbTicket,
  makeTicket,
  parts,
  rawTicket,
  sameBytes,
  withLayers,
} from './ticket.testing';

describe('reading damaged tickets', () => {
  it('refuses every truncation with FormatError, saying truncated once the magic is there', () => {
    for (const bytes of [SMALL, encodeTicket(tinyTicket())]) {
      for (let n = 0; n < bytes.length; n++) {
        const message = formatError(() => decodeTicket(bytes.subarray(0, n)));
        if (n > 0)
          expect(message).toMatch(
            /^This ticket file is truncated: [\d,]+ of (at least )?[\d,]+ bytes\.$/,
          );
      }
    }
    const tiny = encodeTicket(tinyTicket());
    expect(formatError(() => decodeTicket(tiny.subarray(0, 8192)))).toBe(
      `This ticket file is truncated: 8,192 of ${tiny.length.toLocaleString('en-US')} bytes.`,
    );
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
    expect(formatError(() => decodeTicket(bytes))).toBe(
      'This ticket file is corrupted (checksum mismatch).',
    );
    const crc = SMALL.slice();
    crc[17]! ^= 1;
    expect(formatError(() => decodeTicket(crc))).toBe(
      'This ticket file is corrupted (checksum mismatch).',
    );
  });

  it('refuses random bytes, with or without a ticket-like start', () => {
    const start = SMALL.subarray(0, 20);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.integer({ min: 0, max: 20 }),
        (garbage, keep) => {
          formatError(() => decodeTicket(garbage));
          const spliced = new Uint8Array(keep + garbage.length);
          spliced.set(start.subarray(0, keep));
          spliced.set(garbage, keep);
          formatError(() => decodeTicket(spliced));
        },
      ),
    );
    expect(
      formatError(() => decodeTicket(new TextEncoder().encode('PK\u0003\u0004 a zip file'))),
    ).toBe('Not a ticket file (it does not start with LTTICKET).');
  });

  it('refuses extra bytes after the end', () => {
    const longer = new Uint8Array(SMALL.length + 4);
    longer.set(SMALL);
    expect(formatError(() => decodeTicket(longer))).toMatch(
      /has 4 bytes after the [\d,]+ its header declares/,
    );
  });
});

describe('reading tickets that are well formed but wrong', () => {
  const { header, payload } = parts(SMALL);
  const decodeRaw = (h: unknown, p = payload, version = 1) =>
    formatError(() => decodeTicket(rawTicket(h, p, version)));

  it('the hand-made file of the unchanged parts decodes (the helpers are right)', () => {
    expect(sameBytes(rawTicket(header, payload), SMALL)).toBe(true);
  });

  it('names the version, newer or older', () => {
    expect(decodeRaw(header, payload, 2)).toBe(
      'This ticket is format version 2; this lab reads version 1 (a newer lab wrote it).',
    );
    expect(decodeRaw(header, payload, 0)).toBe(
      'This ticket is format version 0; this lab reads version 1 (an older format).',
    );
    expect(decodeRaw({ ...header, version: 2 })).toBe(
      "This ticket file's header is invalid: version must be 1, got 2.",
    );
    expect(decodeRaw({ ...header, format: 'lottery-ticket-lab.run' })).toBe(
      `This ticket file's header is invalid: format must be "${TICKET_FORMAT}", got "lottery-ticket-lab.run".`,
    );
  });

  it('refuses header layers that do not match the config', () => {
    // Payloads of the declared length, so that the length is not what is wrong.
    const sized = (layers: { inputs: number; outputs: number; alive: number }[]) =>
      new Uint8Array(
        ticketPayloadBytes(
          [layers[0]!.inputs, ...layers.map((d) => d.outputs)],
          layers.map((d) => d.alive),
        ),
      );
    const wider = [
      { inputs: 784, outputs: 2, alive: 10 },
      { inputs: 2, outputs: 10, alive: 1 },
    ];
    expect(decodeRaw({ ...header, layers: wider }, sized(wider))).toBe(
      "This ticket file's header is invalid: layers (784→2, 2→10) must match config.model.layers (784-1-10).",
    );
    const fewer = header.layers.slice(0, 1);
    expect(decodeRaw({ ...header, layers: fewer }, sized(fewer))).toMatch(
      /layers \(784→1\) must match config\.model\.layers/,
    );
  });

  it('refuses a mask that keeps another count than the header declares', () => {
    const layers = [{ ...header.layers[0]!, alive: header.layers[0]!.alive + 1 }, header.layers[1]];
    const longer = new Uint8Array(payload.length + 4); // room for the one survivor more, so that only the count is wrong
    longer.set(payload);
    const total = 784 + 10;
    const kept = header.layers[0]!.alive + 1 + header.layers[1]!.alive;
    const h = {
      ...header,
      layers,
      remaining: kept / total,
      remainingByLayer: [
        (header.layers[0]!.alive + 1) / 784,
        (header.remainingByLayer as number[])[1],
      ],
    };
    expect(decodeRaw(h, longer)).toBe(
      `The ticket's layer 1 (784→1) keeps ${header.layers[0]!.alive} weights in its mask, its header says ${header.layers[0]!.alive + 1}.`,
    );
  });

  it('refuses a P_m that disagrees with the masks', () => {
    expect(decodeRaw({ ...header, remaining: 0.5 })).toMatch(
      /^This ticket file's header is invalid: remaining must be 0\.\d+ \(the layers' alive counts over their sizes\), got 0\.5\.$/,
    );
    expect(decodeRaw({ ...header, remainingByLayer: [0.3, 1] })).toMatch(
      /remainingByLayer\[\d\] must be/,
    );
    expect(decodeRaw({ ...header, remainingByLayer: [0.3] })).toMatch(
      /remainingByLayer must be a list of 2 entries/,
    );
  });

  it('refuses fields out of range or of the wrong type, by path', () => {
    const config = header.config as ExperimentConfig;
    expect(decodeRaw({ ...header, round: 3 })).toMatch(
      /round must be an integer in \[0, 2\], got 3/,
    );
    expect(decodeRaw({ ...header, weights: { kind: 'rewind', iteration: 0 } })).toMatch(
      /weights must be \{"kind":"init"\}, as config\.pruning\.reset says for round 1, got/,
    );
    expect(
      decodeRaw({ ...header, config: { ...config, model: { layers: [100, 1, 10] } } }),
    ).toMatch(/config\.model\.layers\[0\] must be 784/);
    expect(
      decodeRaw({ ...header, config: { ...config, training: { ...config.training, seed: '7' } } }),
    ).toMatch(/config\.training\.seed must be a number, got "7"/);
    expect(decodeRaw({ ...header, createdAt: 'yesterday' })).toMatch(
      /createdAt must be an ISO date/,
    );
    expect(decodeRaw({ ...header, result: { ...(header.result as object), curve: [] } })).toMatch(
      /result\.curve must be a list of 1 to 10000 curve points/,
    );
    expect(
      decodeRaw({ ...header, result: { ...(header.result as object), finalTestAccuracy: 1.5 } }),
    ).toMatch(/result\.finalTestAccuracy must be a number in \[0, 1\], got 1\.5/);
  });

  it('refuses a header that is not JSON, or not written the way the lab writes it', () => {
    expect(formatError(() => decodeTicket(rawTicket(null, payload, 1, '{"format": nope')))).toMatch(
      /^This ticket file('s header is not valid UTF-8 JSON| is truncated)/,
    );
    expect(
      formatError(() =>
        decodeTicket(rawTicket(header, payload, 1, JSON.stringify(header, null, 1))),
      ),
    ).toBe("This ticket file's header is not written the way this lab writes it (was it edited?).");
    expect(
      formatError(() =>
        decodeTicket(rawTicket(header, payload, 1, JSON.stringify({ ...header, extra: 1 }))),
      ),
    ).toMatch(/not written the way/);
  });

  it('asks a rewinding run for the rewind weights in pruned rounds and θ0 in round 0', () => {
    const rewinding = withLayers([784, 1, 10], {
      pruning: { reset: { kind: 'rewind', iteration: 10 } },
    });
    const dense = makeTicket(rewinding, 0, 1, 2);
    expect(dense.weights).toEqual({ kind: 'init' });
    expect(decodeTicket(encodeTicket(dense))).toEqual(dense);
    expect(
      formatError(() => encodeTicket({ ...dense, weights: { kind: 'rewind', iteration: 10 } })),
    ).toMatch(/weights must be \{"kind":"init"\}, as config\.pruning\.reset says for round 0/);
    const pruned = makeTicket(rewinding, 2, 0.5, 2);
    expect(decodeTicket(encodeTicket(pruned))).toEqual(pruned);
    expect(
      formatError(() => encodeTicket({ ...pruned, weights: { kind: 'rewind', iteration: 11 } })),
    ).toMatch(
      /^Cannot write this ticket: weights must be \{"kind":"rewind","iteration":10\}, as config\.pruning\.reset says for round 2, got/,
    );
    expect(formatError(() => encodeTicket({ ...pruned, weights: { kind: 'init' } }))).toMatch(
      /weights must be \{"kind":"rewind","iteration":10\}/,
    );
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
      expect(formatError(() => decodeTicket(bytes))).toBe(
        'This ticket file has stray bytes after its header.',
      );
      tried++;
    }
    expect(tried).toBe(3);
  });

  it('refuses stray bits past a mask, non-zero padding and non-finite weights', () => {
    // Layer 2 (1→10) has 10 mask bits: 2 bytes, padded to 4, after layer 1's 98 (→100) mask bytes
    // and its survivors.
    const layer2 = 100 + 4 * header.layers[0]!.alive + 4;
    const stray = payload.slice();
    stray[layer2 + 1]! |= 0x80;
    expect(decodeRaw(header, stray)).toBe(
      "The ticket's layer 2 (1→10) has mask bits set past its 10 weights.",
    );
    const padded = payload.slice();
    padded[layer2 + 3] = 1;
    expect(decodeRaw(header, padded)).toMatch(/mask bits set past/);
    const nan = payload.slice();
    new DataView(nan.buffer).setFloat32(100, NaN, true);
    expect(decodeRaw(header, nan)).toMatch(
      /^The ticket's layer 1 \(784→1\) has weight \d+ that is not a finite number \(NaN\)\.$/,
    );
    const inf = payload.slice();
    new DataView(inf.buffer).setFloat32(layer2 + 4 + 4 * header.layers[1]!.alive, -Infinity, true);
    expect(decodeRaw(header, inf)).toMatch(
      /layer 2 \(1→10\) has bias 0 that is not a finite number \(-Infinity\)/,
    );
  });

  it('refuses huge declared sizes at once, before allocating', () => {
    const started = performance.now();
    const wide = {
      ...header,
      layers: [{ inputs: 784, outputs: 1_000_000, alive: 1_000_000 }, header.layers[1]],
    };
    expect(decodeRaw(wide)).toMatch(
      /layers\[0\]\.outputs must be an integer in \[1, 100000\], got 1000000/,
    );
    const many = {
      ...header,
      layers: [
        { inputs: 784, outputs: 100_000, alive: 0 },
        { inputs: 100_000, outputs: 100_000, alive: 0 },
      ],
    };
    expect(decodeRaw(many)).toMatch(
      /layers declare 10,078,400,000 weights; a ticket has at most 50,000,000/,
    );
    const bytes = SMALL.slice();
    new DataView(bytes.buffer).setUint32(12, 0xffffffff, true);
    expect(formatError(() => decodeTicket(bytes))).toBe(
      'This ticket file is damaged: its header claims 4,294,967,295 bytes, a ticket header has at most 1,048,576.',
    );
    expect(performance.now() - started).toBeLessThan(200);
  });
});
