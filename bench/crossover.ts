/**
 * `npx tsx bench/crossover.ts`: where sparse storage overtakes dense (layers.ts's SPARSE_BELOW),
 * measured on the kernels in Node: a step of LeNet-300-100 at batch 60, K = 3, at each density.
 */
import { defaultThreads } from '../src/node-host/node-backend';
import { nodeKernels } from '../src/node-host/node-kernels';
import { loadMnistFromDisk } from '../src/node-host/node-mnist';
import { BatchOrder, splitMnist } from '../src/engine/data';
import { DEFAULT_CONFIG, LENET_300_100 } from '../src/engine/config';
import { initialParams, ticketStart, weightSizes } from '../src/engine/init';
import { Mask } from '../src/engine/mask';
import { Rng } from '../src/engine/rng';

const LAYERS = [...LENET_300_100];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const data = splitMnist(loadMnistFromDisk(), DEFAULT_CONFIG.data);
const threads = Number(process.argv[2] ?? defaultThreads());
const kernels = await nodeKernels(threads);
console.log(
  `density  dense ms/step  sparse ms/step  (K = 3, batch 60, ${threads} thread${threads > 1 ? 's' : ''})`,
);
for (const density of [1, 0.8, 0.64, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]) {
  const theta0 = initialParams(LAYERS, 0);
  const rng = new Rng(1, 'crossover');
  const masks = weightSizes(LAYERS).map(
    (n) => new Mask(Uint8Array.from({ length: n }, () => (rng.uniform() < density ? 1 : 0))),
  );
  const times: Record<string, number> = {};
  for (const storage of ['dense', 'sparse'] as const) {
    const session = kernels.open(data, LAYERS, { batchSize: 60 });
    const trainer = session.kernelTrainer(3, storage);
    trainer.load([0, 1, 2].map(() => ticketStart(theta0, masks)));
    const order = new BatchOrder(data.train.size, 60, 0);
    for (let i = 0; i < 10; i++) trainer.step(order.indices(i), 1e-3);
    const windows: number[] = [];
    for (let w = 0; w < 5; w++) {
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) trainer.step(order.indices(i), 1e-3);
      windows.push((performance.now() - t0) / 20);
    }
    times[storage] = median(windows);
    trainer.dispose();
    session.dispose();
  }
  console.log(
    `${density.toFixed(2).padStart(7)}  ${times.dense!.toFixed(2).padStart(13)}  ${times.sparse!.toFixed(2).padStart(14)}`,
  );
}
kernels.dispose();
