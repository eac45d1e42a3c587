/**
 * The engine in Node, as the CLI runs it (`npm run experiment`): the lab's kernels on one thread
 * and on every core, and tfjs-wasm, at batch 60, K = 1 and 3, on real MNIST. Medians of 5 windows.
 */
import { defaultThreads, startNodeCompute } from '../cli/node-backend';
import { loadMnistFromDisk } from '../cli/node-mnist';
import type { Compute } from '../src/engine/compute';
import { BatchOrder, splitMnist } from '../src/engine/data';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { initialParams, ticketStart } from '../src/engine/init';
import { Mask } from '../src/engine/mask';

const LAYERS = [784, 300, 100, 10];
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
