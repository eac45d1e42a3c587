/// <reference types="@webgpu/types" />
/**
 * One round's GPU memory and the dispatch lists that run over it, laid out once per trainer:
 * a step, a loss without a step, and an evaluation chunk of each held-out split are then each one
 * compute pass of pre-made bind groups (no allocation, no bind group made per step).
 */
import type { HeldOut } from '../engine/compute';
import type { GpuSession, SplitOnGpu } from './gpu-compute';
import { type Dispatch, WORKGROUP, bind, buffer, pipelines, uniform } from './gpu-kit';
import { GpuLayer } from './gpu-layer';

/** Held-out examples per chunk (one submission each; the engine's checkpoint runs between). */
export const EVAL_CHUNK = 1000;
const PIXELS = 784;

/** The activations of `rows` examples: input (shared or one per variant), labels, each layer. */
export interface Activations {
  rows: number;
  x: GPUBuffer;
  labels: GPUBuffer;
  /** h[l + 1]: layer l's output, [K][rows][out] (h[0] unused: the input is x). */
  h: GPUBuffer[];
  /** The uniform block written before each submission over these rows (Step in wgsl.ts). */
  step: GPUBuffer;
}

export interface RoundMemory {
  layers: GpuLayer[];
  /** A training batch: one input for all, or one per variant (`ownBatches`). */
  train: Activations;
  /** An evaluation chunk: its input is always shared. */
  held: Activations;
  /** dz[l + 1]: the loss gradient at layer l's output (pre-activation), [K][bs][out]. */
  dz: GPUBuffer[];
  /** The step's example indices, [inputs][bs]. */
  idx: GPUBuffer;
  /** Per variant (loss, right answers): summed on the GPU, read at evaluation points only. */
  trainAcc: GPUBuffer;
  evalAcc: GPUBuffer;
  /** Every buffer above but the layers': the trainer destroys them with it. */
  owned: GPUBuffer[];
}

export interface RoundPasses {
  step: Dispatch[];
  loss: Dispatch[];
  held: Record<HeldOut, Dispatch[]>;
}

export function roundMemory(session: GpuSession, k: number, ownBatches: boolean): RoundMemory {
  const { device, layers, batchSize: bs } = session;
  const owned: GPUBuffer[] = [];
  const f32 = (n: number) => {
    const b = buffer(device, n * 4);
    owned.push(b);
    return b;
  };
  const inputs = ownBatches ? k : 1;
  const acts = (rows: number, perVariant: number): Activations => {
    const step = buffer(device, 32, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    owned.push(step);
    return {
      rows,
      x: f32(perVariant * rows * PIXELS),
      labels: f32(perVariant * rows),
      h: [f32(0), ...layers.slice(1).map((w) => f32(k * rows * w))],
      step,
    };
  };
  return {
    layers: layers.slice(1).map((out, l) => new GpuLayer(device, layers[l]!, out, k)),
    train: acts(bs, inputs),
    held: acts(Math.min(EVAL_CHUNK, session.longestHeldOut), 1),
    dz: [f32(0), ...layers.slice(1).map((w) => f32(k * bs * w))],
    idx: f32(inputs * bs),
    trainAcc: f32(2 * k),
    evalAcc: f32(2 * k),
    owned,
  };
}

/** The dispatch lists of a round (see wgsl.ts for each shader's bindings and shape words). */
export function roundPasses(
  session: GpuSession,
  mem: RoundMemory,
  k: number,
  ownBatches: boolean,
): RoundPasses {
  const { device, batchSize: bs } = session;
  const p = pipelines(device);
  const u = (words: number[]) => {
    const b = uniform(device, words);
    mem.owned.push(b);
    return b;
  };
  const { layers, train, dz } = mem;
  const last = layers.length;
  const shared = !ownBatches;

  const gather = (a: Activations, split: SplitOnGpu, sequential: boolean, y: number) => ({
    pipeline: p.gather,
    group: bind(device, p.gather, [
      a.step,
      u([a.rows, sequential ? 1 : 0, split.scale ? 1 : 0, 0]),
      split.images,
      split.labels,
      split.scale ?? split.images,
      session.lut,
      mem.idx,
      a.x,
      a.labels,
    ]),
    threads: a.rows * PIXELS,
    variants: y,
  });
  const forward = (a: Activations, sharedInput: boolean): Dispatch[] =>
    layers.map((layer, l) => ({
      pipeline: p.forward,
      group: bind(device, p.forward, [
        a.step,
        u([
          layer.inn,
          layer.out,
          a.rows,
          l === 0 && sharedInput ? 0 : a.rows * layer.inn,
          l < last - 1 ? 1 : 0,
          0,
          0,
          0,
        ]),
        l === 0 ? a.x : a.h[l]!,
        layer.wb,
        a.h[l + 1]!,
      ]),
      threads: a.rows * layer.out,
      variants: k,
    }));
  const head = (a: Activations, sharedLabels: boolean, training: boolean, acc: GPUBuffer) => ({
    pipeline: p.head,
    group: bind(device, p.head, [
      a.step,
      u([layers[last - 1]!.out, a.rows, sharedLabels ? 0 : a.rows, training ? 1 : 0]),
      a.h[last]!,
      a.labels,
      dz[last]!,
      acc,
    ]),
    threads: WORKGROUP, // one workgroup per variant
    variants: k,
  });
  const backward: Dispatch[] = [];
  for (let l = last - 1; l >= 0; l--) {
    const layer = layers[l]!;
    // The gradient at this layer's input first: it reads the weights before their update.
    if (l > 0)
      backward.push({
        pipeline: p.inputGrad,
        group: bind(device, p.inputGrad, [
          train.step,
          u([layer.inn, layer.out, bs, 0]),
          dz[l + 1]!,
          layer.wb,
          train.h[l]!,
          dz[l]!,
        ]),
        threads: bs * layer.inn,
        variants: k,
      });
    backward.push({
      pipeline: p.update,
      group: bind(device, p.update, [
        train.step,
        u([layer.inn, layer.out, bs, l === 0 && shared ? 0 : bs * layer.inn]),
        l === 0 ? train.x : train.h[l]!,
        dz[l + 1]!,
        layer.mask,
        layer.wb,
        layer.m,
        layer.v,
      ]),
      threads: (layer.inn + 1) * layer.out,
      variants: k,
    });
  }
  const trainForward = [
    gather(train, session.train, false, ownBatches ? k : 1),
    ...forward(train, shared),
  ];
  const heldPass = (s: SplitOnGpu) => [
    gather(mem.held, s, true, 1),
    ...forward(mem.held, true),
    head(mem.held, true, false, mem.evalAcc),
  ];
  return {
    step: [...trainForward, head(train, shared, true, mem.trainAcc), ...backward],
    loss: [...trainForward, head(train, shared, false, mem.evalAcc)],
    held: { validation: heldPass(session.held.validation), test: heldPass(session.held.test) },
  };
}
