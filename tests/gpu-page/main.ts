/// <reference types="@webgpu/types" />
/**
 * The lab's WebGPU step (src/gpu/) and its SIMD kernels (src/kernels/, the reference) train the
 * same K variants of LeNet-300-100 on the same real MNIST batches, round after round, and this
 * page reports how far apart they are; the spec (tests/e2e/gpu-step.spec.ts) holds the limits.
 * Every GPU dispatch is counted where the browser receives it (GPUComputePassEncoder), not by the
 * trainer's own tally.
 */
import type { Trainer } from '../../src/engine/compute';
import { DEFAULT_CONFIG, LENET_300_100, mergeConfig } from '../../src/engine/config';
import { BatchOrder, splitMnist } from '../../src/engine/data';
import { type Params, type VariantStart, initialParams, ticketStart } from '../../src/engine/init';
import { Mask } from '../../src/engine/mask';
import { keepAfterRound, keepLargestPerLayer } from '../../src/engine/prune';
import { startGpu } from '../../src/gpu/gpu-compute';
import { startKernels } from '../../src/worker/kernel-host';
import { loadMnist } from '../../src/worker/mnist-source';
import type { GpuCheck, GpuCheckReport, RoundReport } from './protocol';

const ASSETS = new URL('/', location.href).href;
const LAYERS = [...LENET_300_100];
/** The paper's LeNet rates (§2): 20% of each hidden layer a round, 10% of the output layer. */
const RATES = [0.2, 0.2, 0.1];
const LR = 1.2e-3;

let dispatched = 0;
const native = GPUComputePassEncoder.prototype.dispatchWorkgroups;
GPUComputePassEncoder.prototype.dispatchWorkgroups = function (...args) {
  dispatched++;
  return native.apply(this, args);
};

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

async function check(r: GpuCheck): Promise<GpuCheckReport> {
  const started = await startGpu(navigator.gpu);
  if ('why' in started) throw new Error(started.why);
  const gpu = started.compute;
  const simd = (await startKernels(ASSETS, 1)).compute;
  const config = mergeConfig(DEFAULT_CONFIG, {
    data: { validationSize: r.heldOut, testSize: r.heldOut },
  });
  const data = splitMnist(await loadMnist(ASSETS, () => undefined), config.data);
  const gpuSession = gpu.open(data, LAYERS, { batchSize: r.batch });
  const simdSession = simd.open(data, LAYERS, { batchSize: r.batch });
  const sessions = [simdSession, gpuSession];
  const theta0 = Array.from({ length: r.k }, (_, v) => initialParams(LAYERS, v));
  let masks: Mask[][] = theta0.map((p) => p.weights.map((w) => Mask.ones(w.length)));
  const rounds: RoundReport[] = [];
  for (let round = 1; round <= r.rounds; round++) {
    // Odd rounds share one batch among the variants; even rounds give each its own (trials).
    const own = round % 2 === 0;
    const trainers: Trainer[] = [
      // The first layer on the tiles, whose sums the shaders follow in the same order; the fma
      // build would train it through the lit pixels, another order of the same sums (tested
      // against the tiles in src/kernels/kernel-lit-training.test.ts), whose rounding Adam
      // amplifies where a gradient is near ε: one variant's losses drifted 1.3e-3 apart in 20
      // steps (measured), too near the limits meant for the shaders' own rounding.
      simdSession.kernelTrainer(r.k, ['dense', 'auto', 'auto'], own),
      gpuSession.gpuTrainer(r.k, own),
    ];
    const starts: VariantStart[] = theta0.map((p, v) => ticketStart(p, masks[v]!));
    for (const t of trainers) t.load(starts);
    const orders = theta0.map((_, v) => new BatchOrder(data.train.size, r.batch, 100 * round + v));
    const trainLoss: number[] = [];
    let perStep = 0;
    for (let i = 0; i < r.steps; i++) {
      const batch = own ? orders.map((o) => o.indices(i)) : orders[0]!.indices(i);
      const before = dispatched;
      for (const t of trainers) await t.step(batch, LR);
      perStep = dispatched - before;
      if ((i + 1) % r.lossEvery === 0) {
        const [a, b] = await Promise.all(trainers.map((t) => t.takeTrainLoss()));
        trainLoss.push(maxDiff(a!, b!));
      }
    }
    const params: Params[][] = await Promise.all(
      trainers.map((t) => Promise.all(theta0.map((_, v) => t.readParams(v)))),
    );
    const [simdParams, gpuParams] = params as [Params[], Params[]];
    let prunedNonZero = 0;
    gpuParams.forEach((p, v) =>
      p.weights.forEach((w, l) => {
        const bits = masks[v]![l]!.bits;
        for (let i = 0; i < w.length; i++) if (!bits[i] && !Object.is(w[i], 0)) prunedNonZero++;
      }),
    );
    const evals = await Promise.all(trainers.map((t) => t.evaluate('validation')));
    const batch = orders[0]!.indices(r.steps);
    const lossNow = await Promise.all(
      trainers.map((t) => t.batchLoss(own ? orders.map(() => batch) : batch)),
    );
    // Each side prunes its own trained weights; the next round goes on from the kernels' masks.
    const prune = (p: Params, v: number) =>
      keepLargestPerLayer(
        p.weights,
        masks[v]!,
        masks[v]!.map((m, l) => keepAfterRound(m.count, RATES[l]!)),
      );
    const next = simdParams.map(prune);
    const gpuNext = gpuParams.map(prune);
    let maskBitsDiffering = 0;
    next.forEach((ms, v) =>
      ms.forEach((m, l) => {
        const g = gpuNext[v]![l]!.bits;
        for (let i = 0; i < m.size; i++) if (m.bits[i] !== g[i]) maskBitsDiffering++;
      }),
    );
    rounds.push({
      round,
      ownBatches: own,
      trainLossDiff: Math.max(...trainLoss),
      weightDiff: Math.max(
        ...simdParams.flatMap((p, v) =>
          p.weights.map((w, l) => maxDiff(w, gpuParams[v]!.weights[l]!)),
        ),
      ),
      biasDiff: Math.max(
        ...simdParams.flatMap((p, v) =>
          p.biases.map((b, l) => maxDiff(b, gpuParams[v]!.biases[l]!)),
        ),
      ),
      prunedNonZero,
      evalLossDiff: maxDiff(evals[0]!.loss, evals[1]!.loss),
      evalAccuracyDiff: maxDiff(evals[0]!.accuracy, evals[1]!.accuracy),
      evalAccuracy: Array.from(evals[1]!.accuracy),
      batchLossDiff: maxDiff(lossNow[0]!, lossNow[1]!),
      dispatchesPerStep: perStep,
      maskBitsDiffering,
      remaining:
        masks[0]!.reduce((a, m) => a + m.count, 0) / masks[0]!.reduce((a, m) => a + m.size, 0),
    });
    for (const t of trainers) t.dispose();
    masks = next;
  }
  // The same step at other K: its dispatches do not grow with the variants stacked.
  const dispatchesAtK: Record<number, number> = {};
  for (const k of r.countAtK) {
    const t = gpuSession.gpuTrainer(k);
    const start = ticketStart(theta0[0]!, masks[0]!);
    t.load(Array.from({ length: k }, () => start));
    const before = dispatched;
    await t.step(new BatchOrder(data.train.size, r.batch, 7).indices(0), LR);
    dispatchesAtK[k] = dispatched - before;
    await t.takeTrainLoss();
    t.dispose();
  }
  for (const s of sessions) s.dispose();
  gpu.dispose();
  simd.dispose();
  return { adapter: gpu.adapter, software: started.software, rounds, dispatchesAtK };
}

(window as unknown as { gpuCheck: typeof check }).gpuCheck = check;
