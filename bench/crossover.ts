/**
 * `npx tsx bench/crossover.ts [threads]`: where sparse storage overtakes dense, layer by layer
 * (layers.ts's SPARSE_BELOW), measured on the kernels in Node: a step of LeNet-300-100 at batch
 * 60, K = 3, with one layer at each density and forced dense or sparse, the others dense. Dense
 * and sparse windows alternate, so a machine that slows down slows both. On one thread the time
 * is the process's CPU time (what the step costs, whoever else shares the cores); on more, wall
 * time. Prints each layer's table and its crossover: the highest density from which sparse is no
 * slower all the way down.
 */
import { defaultThreads } from '../src/node-host/node-backend';
import { nodeKernels } from '../src/node-host/node-kernels';
import { loadMnistFromDisk } from '../src/node-host/node-mnist';
import { BatchOrder, splitMnist } from '../src/engine/data';
import { DEFAULT_CONFIG, LENET_300_100 } from '../src/engine/config';
import { initialParams, ticketStart, weightSizes } from '../src/engine/init';
import type { LayerStorage } from '../src/kernels/layers';
import { Mask } from '../src/engine/mask';
import { Rng } from '../src/engine/rng';

const LAYERS = [...LENET_300_100];
const DENSITIES = [0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.4, 0.3, 0.2];
const WINDOWS = 5;
const STEPS = 40;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const data = splitMnist(loadMnistFromDisk(), DEFAULT_CONFIG.data);
const threads = Number(process.argv[2] ?? defaultThreads());
const kernels = await nodeKernels(threads);
const clock =
  threads === 1
    ? () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      }
    : () => performance.now();
const order = new BatchOrder(data.train.size, 60, 0);

/** Milliseconds a step, one window, with layer `l` at `density` stored as `storage`. */
function window(l: number, density: number, storage: LayerStorage): number {
  const theta0 = initialParams(LAYERS, 0);
  const rng = new Rng(1, 'crossover');
  const masks = weightSizes(LAYERS).map(
    (n, m) =>
      new Mask(Uint8Array.from({ length: n }, () => (m !== l || rng.uniform() < density ? 1 : 0))),
  );
  const session = kernels.open(data, LAYERS, { batchSize: 60 });
  const storages = LAYERS.slice(1).map((_, m) => (m === l ? storage : 'dense'));
  const trainer = session.kernelTrainer(3, storages);
  try {
    trainer.load([0, 1, 2].map(() => ticketStart(theta0, masks)));
    for (let i = 0; i < 5; i++) trainer.step(order.indices(i), 1e-3);
    const t0 = clock();
    for (let i = 0; i < STEPS; i++) trainer.step(order.indices(i), 1e-3);
    return (clock() - t0) / STEPS;
  } finally {
    trainer.dispose();
    session.dispose();
  }
}

console.log(
  `${kernels.name}: K = 3, batch 60, ms a step (${threads === 1 ? 'CPU time' : 'wall time'}), median of ${WINDOWS} windows`,
);
for (let l = 0; l < LAYERS.length - 1; l++) {
  console.log(`\nlayer ${l + 1} (${LAYERS[l]}×${LAYERS[l + 1]})\ndensity   dense  sparse`);
  let crossover = 0;
  for (const density of DENSITIES) {
    const times = { dense: [] as number[], sparse: [] as number[] };
    for (let w = 0; w < WINDOWS; w++)
      for (const storage of ['dense', 'sparse'] as const)
        times[storage].push(window(l, density, storage));
    const [dense, sparse] = [median(times.dense), median(times.sparse)];
    console.log(
      `${density.toFixed(2).padStart(7)}  ${dense.toFixed(2).padStart(6)}  ${sparse.toFixed(2).padStart(6)}`,
    );
    if (sparse > dense) crossover = 0;
    else if (crossover === 0) crossover = density;
  }
  console.log(
    `sparse no slower from density ${crossover ? crossover.toFixed(2) : '(none measured)'} down`,
  );
}
kernels.dispose();
