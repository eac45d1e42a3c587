/**
 * The engine in Node, as the CLI runs it (`npm run experiment`): the lab's kernels on one thread
 * and on every core, and tfjs-wasm, at batch 60, K = 1 and 3, on real MNIST. Medians of 5 windows.
 * And how soon the kernels notice a helper thread ended from outside.
 */
import { defaultThreads, startNodeCompute } from '../src/node-host/node-backend';
import { killKernelThread, nodeKernels } from '../src/node-host/node-kernels';
import { loadMnistFromDisk } from '../src/node-host/node-mnist';
import type { Compute, Trainer } from '../src/engine/compute';
import { BatchOrder, splitMnist } from '../src/engine/data';
import { DEFAULT_CONFIG, LENET_300_100 } from '../src/engine/config';
import { initialParams, ticketStart } from '../src/engine/init';
import { Mask } from '../src/engine/mask';
import type { BenchResults } from './results';

const LAYERS = [...LENET_300_100];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function rate(compute: Compute, k: number, windowMs = 500): Promise<number> {
  const data = splitMnist(loadMnistFromDisk(), DEFAULT_CONFIG.data);
  const session = compute.open(data, LAYERS, { batchSize: 60 });
  const trainer = session.trainer(k);
  const theta0 = initialParams(LAYERS, 0);
  trainer.load(
    Array.from({ length: k }, () =>
      ticketStart(
        theta0,
        theta0.weights.map((w) => Mask.ones(w.length)),
      ),
    ),
  );
  const order = new BatchOrder(data.train.size, 60, 0);
  let at = 0;
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const wait = trainer.step(order.indices(at++), 1.2e-3);
      if (wait) await wait;
    }
    await trainer.takeTrainLoss();
  };
  try {
    await run(10);
    const t0 = performance.now();
    await run(5);
    const perWindow = Math.max(2, Math.round(windowMs / ((performance.now() - t0) / 5)));
    const windows: number[] = [];
    for (let w = 0; w < 5; w++) {
      const start = performance.now();
      await run(perWindow);
      windows.push((perWindow * 60) / ((performance.now() - start) / 1000));
    }
    return median(windows);
  } finally {
    trainer.dispose();
    session.dispose();
  }
}

export async function nodeFigures(): Promise<Record<string, { batch60: number; k3: number }>> {
  const out: Record<string, { batch60: number; k3: number }> = {};
  const threads = defaultThreads();
  for (const [label, name, n] of [
    [`simd, 1 thread`, 'simd', 1],
    [`simd, ${threads} threads`, 'simd', threads],
    ['tfjs wasm', 'wasm', 1],
  ] as const) {
    if (label.startsWith('simd') && n === threads && threads === 1 && out['simd, 1 thread'])
      continue;
    const node = await startNodeCompute(name, n);
    try {
      out[label] = { batch60: await rate(node.compute, 1), k3: await rate(node.compute, 3) };
      console.log(
        `[bench] node, ${label}: batch 60 ${Math.round(out[label]!.batch60)}, K=3 ${Math.round(out[label]!.k3)} examples/s per variant`,
      );
    } finally {
      node.dispose();
    }
  }
  return out;
}

/**
 * A helper of the kernels (two threads) ended from outside, as a crash would, while LeNet trains
 * at batch 60: how long until the kernels refuse to go on, in words, for a run that keeps
 * stepping, and for one whose next call is an evaluation (as a round's end is).
 */
export async function threadLossFigures(): Promise<NonNullable<BenchResults['threadLoss']>> {
  const data = splitMnist(loadMnistFromDisk(), DEFAULT_CONFIG.data);
  const theta0 = initialParams(LAYERS, 0);
  const dense = [
    ticketStart(
      theta0,
      theta0.weights.map((w) => Mask.ones(w.length)),
    ),
  ];
  const order = new BatchOrder(data.train.size, 60, 0);
  /** Starts two threads, trains a step, ends the helper; `refused` then times how soon it shows. */
  const afterLoss = async <T>(
    refused: (trainer: Trainer) => T | Promise<T>,
  ): Promise<[number, T]> => {
    const compute = await nodeKernels(2);
    const session = compute.open(data, LAYERS, { batchSize: 60 });
    const trainer = session.trainer(1);
    try {
      trainer.load(dense);
      trainer.step(order.indices(0), 1.2e-3);
      await killKernelThread(compute);
      const t0 = performance.now();
      const out = await refused(trainer);
      return [performance.now() - t0, out];
    } finally {
      trainer.dispose();
      session.dispose();
      compute.dispose();
    }
  };
  const [steppingMs, steps] = await afterLoss((trainer) => {
    let n = 0;
    try {
      for (; n < 1_000_000; n++) trainer.step(order.indices(1 + n), 1.2e-3);
    } catch (e) {
      if (!String(e).includes('stopped answering')) throw e;
      return n;
    }
    throw new Error('the kernels never noticed their helper thread was gone');
  });
  const [evaluationMs] = await afterLoss((trainer) =>
    trainer.evaluate('validation').then(
      () => {
        throw new Error('an evaluation finished without the helper thread that was gone');
      },
      (e: unknown) => {
        if (!String(e).includes('stopped answering')) throw e;
      },
    ),
  );
  console.log(
    `[bench] node, a kernel thread ended: refused after ${Math.round(steppingMs)} ms of stepping (${steps} steps), ${Math.round(evaluationMs)} ms into an evaluation`,
  );
  return { steppingMs, steps, evaluationMs };
}
