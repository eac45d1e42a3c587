/**
 * Helpers shared by the ticket tests (ticket.test.ts, ticket.bad-input.test.ts,
 * ticket.older.test.ts): byte helpers, files written by hand and taken apart, a ticket builder
 * for any config and round, a fast-check arbitrary of tickets, and SMALL, the smallest encoded
 * ticket the config allows.
 */
import fc from 'fast-check';
import { type ExperimentConfig, mergeConfig } from '../engine/config';
import { weightSizes } from '../engine/init';
import { Rng } from '../engine/rng';
import { crc32 } from './crc32';
import { TINY_CONFIG, tinyCurve } from './formats.testing';
import { type Ticket, encodeTicket } from './ticket';

export const pad4 = (n: number) => Math.ceil(n / 4) * 4;
export const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export const withLayers = (layers: number[], patch: Parameters<typeof mergeConfig>[1] = {}) =>
  mergeConfig(TINY_CONFIG, { ...patch, model: { layers } });

/**
 * A ticket of `config` at `round`: masks of about `density`, values from `seed` with the awkward
 * floats mixed in.
 */
export function makeTicket(
  config: ExperimentConfig,
  round: number,
  density: number,
  seed: number,
  withResult = true,
): Ticket {
  const rng = new Rng(seed, 'ticket-test');
  const special = [-0, 0, 1e-45, -1e-45, 3.4028234663852886e38, -3.4028234663852886e38, 1, -1];
  const value = () =>
    Math.fround(rng.uniform() < 0.1 ? special[rng.int(special.length)]! : rng.normal());
  const widths = config.model.layers;
  const layers = weightSizes(widths).map((size, l) => {
    const mask = Uint8Array.from({ length: size }, () =>
      round === 0 || rng.uniform() < density ? 1 : 0,
    );
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
    weights:
      reset.kind === 'rewind' && round > 0
        ? { kind: 'rewind', iteration: reset.iteration }
        : { kind: 'init' },
    remaining: alive.reduce((a, b) => a + b, 0) / sizes.reduce((a, b) => a + b, 0),
    remainingByLayer: alive.map((a, l) => a / sizes[l]!),
    result: withResult
      ? {
          earlyStop: { iteration: 10, validationAccuracy: 0.51, testAccuracy: 0.5 },
          finalTestAccuracy: 0.75,
          curve,
        }
      : null,
    createdAt: '2025-02-03T04:05:06.789Z',
    createdBy: 'ticket.test.ts',
    layers,
  };
}

export const arbTicket = fc
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
    const config = withLayers([784, ...hidden, 10], {
      pruning: {
        rounds,
        reset: rewind === null ? { kind: 'init' } : { kind: 'rewind', iteration: rewind },
      },
    });
    return makeTicket(config, round % (rounds + 1), density, seed, withResult);
  });

/** The smallest ticket the config allows (784-1-10), for fuzzing every bit and every length. */
export const SMALL = encodeTicket(makeTicket(withLayers([784, 1, 10]), 1, 0.3, 1));

/**
 * A file written by hand, for headers and payloads the encoder would refuse: right CRC, right
 * header length.
 */
export function rawTicket(
  header: unknown,
  payload: Uint8Array,
  version = 1,
  headerText = JSON.stringify(header),
): Uint8Array {
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
export function parts(bytes: Uint8Array): {
  header: Record<string, unknown> & {
    layers: { inputs: number; outputs: number; alive: number }[];
  };
  payload: Uint8Array;
} {
  const h = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  return {
    header: JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + h))),
    payload: bytes.slice(20 + pad4(h)),
  };
}
