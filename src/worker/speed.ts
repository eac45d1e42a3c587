/**
 * How fast a compute trains and evaluates LeNet-300-100 here, timed on synthetic MNIST-shaped
 * data (only shapes matter to a timing): the auto choice's probe (backends.ts) and the device
 * speed the settings panel's estimate starts from before any run (issue 15).
 */
import type { Compute, Trainer } from '../engine/compute';
import { LENET_300_100 } from '../engine/config';
import { type Dataset, IMAGE_SIZE, pixelTable } from '../engine/data';
import { glorotNormal, ticketStart } from '../engine/init';
import { Mask } from '../engine/mask';
import { Rng } from '../engine/rng';
import type { SpeedAtDensity } from './protocol';

function probeData(train: number, validation: number, test: number): Dataset {
  const rng = new Rng(0, 'probe-data');
  const split = (size: number) => ({
    images: Uint8Array.from({ length: size * IMAGE_SIZE }, () => rng.int(256)),
    labels: Uint8Array.from({ length: size }, () => rng.int(10)),
    size,
    table: pixelTable(),
    scale: null,
  });
  return { train: split(train), validation: split(validation), test: split(test) };
}

/** A dense LeNet-300-100 trainer on `data`, handed to `use`, disposed after. */
/** A mask keeping a `density` share of `size` weights, at random (seeded): a pruned layer's shape. */
function maskOf(size: number, density: number, rng: Rng): Mask {
  if (density >= 1) return Mask.ones(size);
  return new Mask(Uint8Array.from({ length: size }, () => (rng.uniform() < density ? 1 : 0)));
}

async function withTrainer<T>(
  compute: Compute,
  data: Dataset,
  batchSize: number,
  evalChunk: number,
  use: (trainer: Trainer, step: (i: number) => Promise<void>) => Promise<T>,
  density = 1,
): Promise<T> {
  const layers = [...LENET_300_100];
  const params = glorotNormal(layers, new Rng(0, 'probe'));
  const session = compute.open(data, layers, { batchSize, evalChunk });
  const trainer = session.trainer(1);
  try {
    const rng = new Rng(0, 'probe-mask');
    trainer.load([
      ticketStart(
        params,
        params.weights.map((w) => maskOf(w.length, density, rng)),
      ),
    ]);
    const step = async (i: number) => {
      const indices = Uint32Array.from(
        { length: batchSize },
        (_, b) => (i * batchSize + b) % data.train.size,
      );
      const wait = trainer.step(indices, 1e-3);
      if (wait) await wait;
    };
    return await use(trainer, step);
  } finally {
    trainer.dispose();
    session.dispose();
  }
}

/** Training examples per second of LeNet-300-100 at batch 60 on `compute`, after a warm-up. */
export function measure(compute: Compute, batch = 60, steps = 8): Promise<number> {
  return withTrainer(compute, probeData(600, 64, 64), batch, 64, async (trainer, step) => {
    for (let i = 0; i < 3; i++) await step(i); // compile shaders, warm caches
    await trainer.takeTrainLoss(); // the device has finished them
    const t0 = performance.now();
    for (let i = 3; i < 3 + steps; i++) await step(i);
    await trainer.takeTrainLoss();
    return (steps * batch) / ((performance.now() - t0) / 1000);
  });
}

/** A device's measured speed: what a run's time is estimated from before any run. */
export interface MeasuredSpeed {
  /** Training examples a second (one dense variant, at `batchSize`). */
  trainPerSecond: number;
  /** Images a second through the forward pass alone (an evaluation). */
  evalPerSecond: number;
  batchSize: number;
  /** The same with masks of each of SPEED_DENSITIES, densest first (the first is the dense one). */
  byDensity: SpeedAtDensity[];
}

/**
 * Densities timed: dense; 50% (round 3's P_m, where the kernels' sparse storage starts); 20%
 * (round 7) and 5% (past round 12). A round's cost is read between them (plan.ts).
 */
export const SPEED_DENSITIES = [1, 0.5, 0.2, 0.05] as const;

/** Enough time for a steady reading, little enough to go unnoticed: about a second in all. */
const TRAIN_BUDGET_MS = 120;
const MIN_STEPS = 3;
const MAX_STEPS = 60;
const VALIDATION = 1000;

/**
 * Times training steps (up to TRAIN_BUDGET_MS, after a warm-up) and one evaluation of
 * VALIDATION images (after a first one, which compiles and allocates for its chunk size) with
 * masks of one density, as a run on `compute` would make them.
 */
function measureAt(
  compute: Compute,
  data: Dataset,
  evalChunk: number,
  batchSize: number,
  density: number,
): Promise<SpeedAtDensity> {
  return withTrainer(
    compute,
    data,
    batchSize,
    evalChunk,
    async (trainer, step) => {
      for (let i = 0; i < 3; i++) await step(i);
      await trainer.takeTrainLoss();
      const t0 = performance.now();
      let steps = 0;
      while (steps < MAX_STEPS && (steps < MIN_STEPS || performance.now() - t0 < TRAIN_BUDGET_MS)) {
        await step(3 + steps++);
        // Read the loss back now and then: a GPU queue has done the steps only once it answers.
        if (steps % 5 === 0) await trainer.takeTrainLoss();
      }
      await trainer.takeTrainLoss();
      const trained = (steps * batchSize) / ((performance.now() - t0) / 1000);
      await trainer.evaluate('validation');
      const t1 = performance.now();
      await trainer.evaluate('validation');
      const evaluated = VALIDATION / ((performance.now() - t1) / 1000);
      return { density, trainPerSecond: trained, evalPerSecond: evaluated };
    },
    density,
  );
}

/** This device's speed on `compute`, dense and at each of SPEED_DENSITIES. */
export async function measureSpeed(
  compute: Compute,
  evalChunk: number,
  batchSize = 60,
): Promise<MeasuredSpeed> {
  const data = probeData(600, VALIDATION, 1);
  const byDensity: SpeedAtDensity[] = [];
  for (const d of SPEED_DENSITIES)
    byDensity.push(await measureAt(compute, data, evalChunk, batchSize, d));
  const dense = byDensity[0]!;
  return {
    trainPerSecond: dense.trainPerSecond,
    evalPerSecond: dense.evalPerSecond,
    batchSize,
    byDensity,
  };
}
