/// <reference lib="webworker" />
/**
 * The benchmark's worker: the lab's own backend start, engine and MNIST loader, measured in a
 * worker exactly as the lab runs them. One request per worker (bench/page/main.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Compute } from '../../src/engine/compute';
import { DEFAULT_CONFIG, LENET_300_100, mergeConfig } from '../../src/engine/config';
import { BatchOrder, type Dataset, splitMnist } from '../../src/engine/data';
import { Experiment } from '../../src/engine/experiment';
import { TrialSet } from '../../src/engine/trial-set';
import { initialParams, ticketStart } from '../../src/engine/init';
import { Mask } from '../../src/engine/mask';
import { Rng } from '../../src/engine/rng';
import { KernelCompute } from '../../src/kernels/kernel-compute';
import { type StartedBackend, initBackend } from '../../src/worker/backends';
import { PRESETS } from '../../src/settings/presets';
import { startKernels } from '../../src/worker/kernel-host';
import { loadMnist } from '../../src/worker/mnist-source';
import { gpuStack } from './gpu-stack';
import type { BackendChoice } from '../../src/worker/protocol';
import type {
  BackendSeen,
  BenchReply,
  BenchRequest,
  EvalShareReply,
  LectureReply,
  MemoryReply,
  MnistReply,
  TrainReply,
} from './protocol';

declare const self: DedicatedWorkerGlobalScope;
const ASSETS = new URL('/', self.location.href).href;
const LAYERS = [...LENET_300_100];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function backend(choice: BackendChoice, threads?: number): Promise<StartedBackend> {
  if (choice === 'simd' && threads !== undefined) {
    const { compute, note } = await startKernels(ASSETS, threads);
    return {
      info: {
        backend: 'simd',
        adapter: `the lab's WebAssembly SIMD kernels, ${note}`,
        reason: 'benchmark',
      },
      compute,
    };
  }
  return initBackend(choice, ASSETS);
}

const seen = (b: StartedBackend): BackendSeen => ({ ...b.info });

async function mnist(): Promise<Dataset> {
  return splitMnist(await loadMnist(ASSETS, () => undefined), DEFAULT_CONFIG.data);
}

/** Masks keeping exactly round(density · size) weights of each layer, at random places. */
function masksOf(densities: readonly number[] | undefined): Mask[] {
  const theta0 = initialParams(LAYERS, 0);
  return theta0.weights.map((w, l) => {
    if (!densities) return Mask.ones(w.length);
    const bits = new Uint8Array(w.length);
    const order = new Rng(0, 'bench-mask', l).permutation(w.length);
    for (let i = 0; i < Math.round(densities[l]! * w.length); i++) bits[order[i]!] = 1;
    return new Mask(bits);
  });
}

/**
 * A trainer of k variants at θ0: dense, or at a pruned round's densities (the lab's kernels
 * then store the layers sparse, as a run would; tfjs's cost does not depend on the mask).
 */
function denseTrainer(
  compute: Compute,
  data: Dataset,
  batch: number,
  k: number,
  densities?: number[],
) {
  const session = compute.open(data, LAYERS, { batchSize: batch });
  const trainer = session.trainer(k);
  const theta0 = initialParams(LAYERS, 0);
  const masks = masksOf(densities);
  trainer.load(Array.from({ length: k }, () => ticketStart(theta0, masks)));
  return { session, trainer };
}

async function steps(
  trainer: ReturnType<typeof denseTrainer>['trainer'],
  order: BatchOrder,
  from: number,
  count: number,
): Promise<void> {
  for (let i = from; i < from + count; i++) {
    const wait = trainer.step(order.indices(i), 1.2e-3);
    if (wait) await wait;
  }
  await trainer.takeTrainLoss(); // the device has finished
}

/** Examples/s per variant: a warm-up, then 5 windows of about budgetMs/5 each; the median. */
async function train(r: Extract<BenchRequest, { type: 'train' }>): Promise<TrainReply> {
  const b = await backend(r.backend, r.threads);
  const data = await mnist();
  const { session, trainer } = denseTrainer(b.compute, data, r.batch, r.k, r.densities);
  const order = new BatchOrder(data.train.size, r.batch, 0);
  try {
    let at = 0;
    await steps(trainer, order, at, 3); // shaders, caches, tier-up
    at += 3;
    const probeStart = performance.now();
    await steps(trainer, order, at, 2);
    at += 2;
    const stepMs = Math.max(0.05, (performance.now() - probeStart) / 2);
    const perWindow = Math.max(1, Math.round(r.budgetMs / 5 / stepMs));
    const windows: number[] = [];
    for (let w = 0; w < 5; w++) {
      const start = performance.now();
      await steps(trainer, order, at, perWindow);
      at += perWindow;
      windows.push((perWindow * r.batch) / ((performance.now() - start) / 1000));
    }
    const rate = median(windows);
    return { ...seen(b), examplesPerSecond: rate, windows, stepMs: (1000 * r.batch) / rate };
  } finally {
    trainer.dispose();
    session.dispose();
  }
}

async function evalShare(r: Extract<BenchRequest, { type: 'evalShare' }>): Promise<EvalShareReply> {
  const b = await backend(r.backend);
  const data = await mnist();
  const { session, trainer } = denseTrainer(b.compute, data, 60, r.k);
  const order = new BatchOrder(data.train.size, 60, 0);
  try {
    await steps(trainer, order, 0, 5);
    await trainer.evaluate('validation'); // warm
    const s0 = performance.now();
    await steps(trainer, order, 5, 100);
    const stepMs = (performance.now() - s0) / 100;
    const e0 = performance.now();
    await trainer.evaluate('validation');
    await trainer.evaluate('test');
    const evalMs = performance.now() - e0;
    return { ...seen(b), stepMs, evalMs, share: evalMs / (evalMs + 100 * stepMs) };
  } finally {
    trainer.dispose();
    session.dispose();
  }
}

async function mnistLoad(r: Extract<BenchRequest, { type: 'mnist' }>): Promise<MnistReply> {
  if (r.cold)
    for (const name of await caches.keys())
      if (name.startsWith('mnist-')) await caches.delete(name);
  performance.clearResourceTimings();
  let assetBytes = 0;
  let fromCache = true;
  const t0 = performance.now();
  await loadMnist(ASSETS, (loaded, _total, cached) => {
    assetBytes = loaded;
    fromCache = cached;
  });
  const ms = performance.now() - t0;
  const transferredBytes = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
    .filter((e) => e.name.includes('/data/'))
    .reduce((a, e) => a + e.transferSize, 0);
  return { transferredBytes, assetBytes, ms, fromCache };
}

function heapBytes(compute: Compute): number {
  return compute instanceof KernelCompute ? compute.arena.used : 0;
}

async function memory(r: Extract<BenchRequest, { type: 'memory' }>): Promise<MemoryReply> {
  const b = await backend(r.backend);
  const config = mergeConfig(DEFAULT_CONFIG, {
    data: { trainSize: 55000, validationSize: 200, testSize: 200 },
    // Memory does not depend on how long a round trains: a few steps each, two variants.
    training: { iterations: 4, evalEvery: 4 },
    pruning: { rounds: r.rounds, controls: ['reinit'] },
  });
  const experiment = new Experiment(
    config,
    splitMnist(await loadMnist(ASSETS, () => undefined), config.data),
    { compute: b.compute },
  );
  const rounds: MemoryReply['rounds'] = [];
  try {
    await experiment.run({
      roundCompleted: (res) => {
        const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
        rounds.push({
          round: res.round,
          tensors: m.numTensors,
          gpuBytes: m.numBytesInGPU ?? 0,
          heapBytes: heapBytes(b.compute),
        });
      },
    });
  } finally {
    experiment.dispose();
  }
  return { ...seen(b), rounds };
}

/** The lecture-scale run of docs/results.md: the paper's settings, 12 rounds × 3,000 iterations. */
export const LECTURE_SCALE = mergeConfig(DEFAULT_CONFIG, {
  training: { iterations: 3000, evalEvery: 100 },
  pruning: { rounds: 12, controls: ['reinit', 'rearrange'] },
});

async function lecture(r: Extract<BenchRequest, { type: 'lecture' }>): Promise<LectureReply> {
  const b = await backend(r.backend);
  const base =
    r.preset === 'scale'
      ? LECTURE_SCALE
      : PRESETS.find((p) => p.id === 'lecture')!.settings({
          config: DEFAULT_CONFIG,
          backend: 'auto',
        }).config;
  const config = mergeConfig(base, { training: { trials: r.trials } });
  const data = splitMnist(await loadMnist(ASSETS, () => undefined), config.data);
  const set = new TrialSet(config, data, { compute: b.compute });
  const rounds: LectureReply['rounds'] = [];
  const t0 = performance.now();
  try {
    // Each round of every seed, timed as the lab's worker trains it; trial 0's accuracy.
    while (!set.done) {
      const start = performance.now();
      const [res] = await set.runRound();
      rounds.push({
        round: res!.round,
        variants: res!.variants.length,
        remaining: res!.remaining,
        wallMs: performance.now() - start,
        ticketAccuracy: res!.variants[0]!.earlyStop.testAccuracy,
      });
    }
  } finally {
    set.dispose();
  }
  return { ...seen(b), trials: r.trials, wallMs: performance.now() - t0, rounds };
}

async function handle(r: BenchRequest): Promise<BenchReply> {
  switch (r.type) {
    case 'train':
      return train(r);
    case 'evalShare':
      return evalShare(r);
    case 'mnist':
      return mnistLoad(r);
    case 'memory':
      return memory(r);
    case 'lecture':
      return lecture(r);
    case 'gpuStack': {
      const b = await backend(r.backend);
      return { ...seen(b), ...(await gpuStack(r, b.compute, await mnist())) };
    }
  }
}

self.onmessage = (e: MessageEvent<BenchRequest>) => {
  handle(e.data).then(
    (reply) => self.postMessage({ ok: true, reply }),
    (err: unknown) =>
      self.postMessage({
        ok: false,
        error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err),
      }),
  );
};
