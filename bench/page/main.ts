/**
 * The benchmark page: relays each request of bench/run.ts to a fresh worker, and measures the
 * reference on this main thread — the textbook tfjs way, as tfjs-examples trains MNIST: a
 * tf.sequential model, compiled with Adam, fitted with model.fit on tensors of the whole set.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { CLASSES, IMAGE_SIZE, fillBatch, splitMnist } from '../../src/engine/data';
import { loadMnist } from '../../src/worker/mnist-source';
import type { BenchReply, BenchRequest, ReferenceReply } from './protocol';

function ask(request: BenchRequest): Promise<BenchReply> {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<BenchReply>((resolve, reject) => {
    worker.onmessage = (
      e: MessageEvent<{ ok: true; reply: BenchReply } | { ok: false; error: string }>,
    ) => (e.data.ok ? resolve(e.data.reply) : reject(new Error(e.data.error)));
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

/** LeNet-300-100 the textbook way: examples/s of model.fit at batch 60 on `backend`. */
async function reference(
  backend: 'webgl' | 'wasm' | 'cpu',
  examples = 6000,
): Promise<ReferenceReply> {
  if (backend === 'wasm') setWasmPaths(new URL('/tfjs-wasm/', location.href).href);
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs ${backend} did not start`);
  await tf.ready();
  // The first `examples` training images, normalised as the lab does.
  const train = splitMnist(
    await loadMnist(new URL('/', location.href).href, () => undefined),
    DEFAULT_CONFIG.data,
  ).train;
  const x = new Float32Array(examples * IMAGE_SIZE);
  const y = new Float32Array(examples * CLASSES);
  fillBatch(
    train,
    Uint32Array.from({ length: examples }, (_, i) => i),
    x,
    y,
  );
  const xs = tf.tensor2d(x, [examples, IMAGE_SIZE]);
  const ys = tf.tensor2d(y, [examples, CLASSES]);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [IMAGE_SIZE],
        units: 300,
        activation: 'relu',
        kernelInitializer: 'glorotNormal',
      }),
      tf.layers.dense({ units: 100, activation: 'relu', kernelInitializer: 'glorotNormal' }),
      tf.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: 'glorotNormal' }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(1.2e-3),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  try {
    const warm = 600;
    await model.fit(xs.slice(0, warm), ys.slice(0, warm), { batchSize: 60, epochs: 1, verbose: 0 });
    const t0 = performance.now();
    await model.fit(xs, ys, { batchSize: 60, epochs: 1, shuffle: true, verbose: 0 });
    return {
      backend: `tfjs ${tf.getBackend()}, main thread`,
      batch60: examples / ((performance.now() - t0) / 1000),
    };
  } finally {
    model.dispose();
    tf.dispose([xs, ys]);
  }
}

Object.assign(window, { bench: { ask, reference } });
