/**
 * The worker's side of the drawing pad (issue 16): one drawn digit through the kept networks of a
 * round, on the CPU in plain loops (one image: ~0.3 M multiply-adds a network, well under a
 * millisecond), so it never waits for a round in flight.
 */
import type { DataConfig } from '../engine/config';
import { CLASSES, IMAGE_SIZE, encodeImage } from '../engine/data';
import { taskImages } from '../engine/tasks';
import type { Params } from '../engine/init';
import type { ClassifyAnswer, Command, LabEvent } from './protocol';
import type { WeightsKeeper } from './weights-keeper';

/**
 * A drawn digit (MNIST's format) as the run's networks saw their images: in the run's task (the
 * permuted task's pixel order, a quarter turn, inverted) and with the run's input encoding.
 */
export function encodePixels(pixels: Uint8Array, data: DataConfig): Float32Array {
  const x = new Float32Array(IMAGE_SIZE);
  encodeImage(taskImages(pixels, data.task), data.inputs, x);
  return x;
}

/** The network's 10 softmax outputs for input `x` (ReLU between layers, as the engine's MLP). */
export function forward(params: Params, x: Float32Array): Float32Array {
  let h = x;
  params.weights.forEach((w, l) => {
    const b = params.biases[l]!;
    const out = b.length;
    const next = Float32Array.from(b);
    for (let i = 0; i < h.length; i++) {
      const v = h[i]!;
      if (v === 0) continue;
      const row = i * out;
      for (let j = 0; j < out; j++) next[j]! += v * w[row + j]!;
    }
    if (l < params.weights.length - 1)
      for (let j = 0; j < out; j++) next[j] = Math.max(0, next[j]!);
    h = next;
  });
  let max = -Infinity;
  for (const v of h) max = Math.max(max, v);
  let sum = 0;
  const p = h.map((v) => {
    const e = Math.exp(v - max);
    sum += e;
    return e;
  });
  return p.map((v) => v / sum);
}

type Classify = Extract<Command, { type: 'classify' }>;

/** The 'classified' answer to `cmd` from what `keeper` holds; an `error` in words otherwise. */
export function classify(keeper: WeightsKeeper, cmd: Classify): LabEvent {
  const { requestId, round, trial } = cmd;
  const refuse = (error: string): LabEvent => ({
    type: 'classified',
    requestId,
    round,
    trial,
    answers: [],
    error,
  });
  if (!(cmd.pixels instanceof Uint8Array) || cmd.pixels.length !== IMAGE_SIZE)
    return refuse(`a digit is ${IMAGE_SIZE} bytes (28×28), not ${describe(cmd.pixels)}`);
  if (trial !== 0) return refuse(`only trial 0's weights are kept, not trial ${trial}'s`);
  const dense = keeper.dense;
  const kept = keeper.round(round);
  const run = keeper.run;
  // A run that will never have a dense net (an imported ticket's) answers with its round's own.
  const withoutDense = !dense && keeper.noDense !== null;
  if ((!dense && !withoutDense) || !kept || !run)
    return refuse(keeper.missing(dense || withoutDense ? round : 0)!);
  const x = encodePixels(cmd.pixels, run.config.data);
  const answers: ClassifyAnswer[] = [
    ...(dense ? [{ network: 'dense' as const, probabilities: forward(dense, x) }] : []),
    ...(round === 0
      ? []
      : kept.variants.map((network, v) => ({
          network,
          probabilities: forward(kept.trained[v]!, x),
        }))),
  ];
  for (const a of answers)
    if (a.probabilities.length !== CLASSES) throw new Error('a network without 10 outputs');
  return { type: 'classified', requestId, round, trial, answers };
}

function describe(x: unknown): string {
  return x instanceof Uint8Array ? `${x.length} bytes` : typeof x;
}
