/**
 * How fast a compute trains and evaluates LeNet-300-100 here, timed on synthetic MNIST-shaped
 * data (only shapes matter to a timing): the auto choice's probe (backends.ts) and the device
 * speed the settings panel's estimate starts from before any run (issue 15).
 */
import type { Compute, Trainer } from '../engine/compute';
import { LENET_300_100 } from '../engine/config';
import { type Dataset, IMAGE_SIZE } from '../engine/data';
import { glorotNormal, ticketStart } from '../engine/init';
import { Mask } from '../engine/mask';
import { Rng } from '../engine/rng';

function probeData(train: number, validation: number, test: number): Dataset {
  const rng = new Rng(0, 'probe-data');
  const split = (size: number) => ({
    images: Uint8Array.from({ length: size * IMAGE_SIZE }, () => rng.int(256)),
    labels: Uint8Array.from({ length: size }, () => rng.int(10)),
    size,
  });
  return { train: split(train), validation: split(validation), test: split(test) };
}

/** A dense LeNet-300-100 trainer on `data`, handed to `use`, disposed after. */
async function withTrainer<T>(
  compute: Compute,
  data: Dataset,
  batchSize: number,
  evalChunk: number,
  use: (trainer: Trainer, step: (i: number) => Promise<void>) => Promise<T>,
): Promise<T> {
  const layers = [...LENET_300_100];
  const params = glorotNormal(layers, new Rng(0, 'probe'));
  const session = compute.open(data, layers, { batchSize, evalChunk });
  const trainer = session.trainer(1);
  try {
    trainer.load([
      ticketStart(
        params,
        params.weights.map((w) => Mask.ones(w.length)),
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
}

/** Enough time for a steady reading, little enough to go unnoticed: well under a second. */
const TRAIN_BUDGET_MS = 250;
const MIN_STEPS = 3;
const MAX_STEPS = 60;
const VALIDATION = 1000;

/**
 * Times dense training steps (up to TRAIN_BUDGET_MS, after a warm-up) and one evaluation of
 * VALIDATION images (after a first one, which compiles and allocates for its chunk size), as a run on `compute` would make them.
 */
export function measureSpeed(
  compute: Compute,
  evalChunk: number,
  batchSize = 60,
): Promise<MeasuredSpeed> {
  const data = probeData(600, VALIDATION, 1);
  return withTrainer(compute, data, batchSize, evalChunk, async (trainer, step) => {
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
    return { trainPerSecond: trained, evalPerSecond: evaluated, batchSize };
  });
}
