/**
 * One round's training loop (paper §2): from the round's first iteration (0, or k for a round
 * rewound to iteration k), one step per mini-batch of the seeded order, and an evaluation on the
 * validation and test sets before the first step, every `evalEvery` iterations and at the last.
 * The observer hears of every point and step, and may hold or stop the loop at its checkpoints.
 */
import type { Batch, Trainer } from './compute';
import type { TrainingConfig, VariantName } from './config';
import type { CurvePoint } from './metrics';

/** How a round's training loop reports to whoever runs it (Experiment's Observer, in part). */
export interface RoundObserver {
  /** `slot`: the variant's place in the trainer (trials in lockstep share one). */
  curvePoint?(round: number, variant: VariantName, point: CurvePoint, slot: number): void;
  /** Called after every training step. */
  progress?(round: number, iteration: number, iterations: number): void;
  /**
   * Called before every training step and between evaluation chunks, and awaited when it returns
   * a promise: the runner's chance to yield to its event loop, to hold while paused, or to throw
   * to stop.
   */
  checkpoint?(): void | Promise<void>;
}

export interface RoundPlan {
  round: number;
  /** The variants trained in lockstep, in the trainer's order. */
  names: readonly VariantName[];
  /** The iteration training starts from: 0, or k for a rewound round. */
  first: number;
  /** The iteration whose weights a rewinding run keeps (round 0 only), or -1. */
  rewindAt: number;
}

/**
 * Trains a loaded trainer through its round; returns each variant's curve. `batchAt(i)` is the
 * batch of iteration i (the seeded order's, or one per variant for trials in lockstep);
 * `atRewind` is awaited after iteration `plan.rewindAt`, to keep the weights there.
 */
export async function trainRound(
  trainer: Trainer,
  batchAt: (iteration: number) => Batch,
  training: TrainingConfig,
  plan: RoundPlan,
  observer: RoundObserver,
  atRewind: () => Promise<void>,
): Promise<CurvePoint[][]> {
  const { iterations, evalEvery, learningRate } = training;
  const { round, names, first, rewindAt } = plan;
  const curves: CurvePoint[][] = names.map(() => []);
  let stepsSinceEval = 0;
  const record = async (iteration: number) => {
    // Before any step: the loss of the starting weights on the first batch this round trains on.
    const trainLoss =
      stepsSinceEval === 0
        ? await trainer.batchLoss(batchAt(first))
        : await trainer.takeTrainLoss();
    const validation = await trainer.evaluate('validation', observer.checkpoint);
    const test = await trainer.evaluate('test', observer.checkpoint);
    names.forEach((variant, v) => {
      const point: CurvePoint = {
        iteration,
        trainLoss: trainLoss[v]!,
        validationLoss: validation.loss[v]!,
        validationAccuracy: validation.accuracy[v]!,
        testAccuracy: test.accuracy[v]!,
      };
      curves[v]!.push(point);
      observer.curvePoint?.(round, variant, point, v);
    });
    stepsSinceEval = 0;
  };

  await record(first);
  for (let it = first + 1; it <= iterations; it++) {
    const pending = observer.checkpoint?.();
    if (pending) await pending;
    const wait = trainer.step(batchAt(it - 1), learningRate);
    if (wait) await wait;
    stepsSinceEval++;
    if (it === rewindAt) await atRewind();
    observer.progress?.(round, it, iterations);
    if (it % evalEvery === 0 || it === iterations) await record(it);
  }
  return curves;
}
