/**
 * The training stream the page draws: curve points and progress, batched into at most 20
 * messages a second (the page appends; it never rebuilds a chart per step). Points travel packed
 * as curve-points.ts says: one transferable Float64Array per batch.
 */
import type { VariantName } from '../engine/config';
import type { CurvePoint } from '../engine/metrics';
import { packCurvePoint } from './curve-points';
import type { LabEvent, Progress } from './protocol';

/** Curve points are flushed at most this often: ≤ 20 messages a second. */
export const FLUSH_MS = 50;

export class CurveStream {
  private points: number[] = [];
  private variants: VariantName[] = [];
  private progress: Progress | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private roundStartedAt = 0;
  /** Examples trained this round (a round rewound to k starts at iteration k, not 0). */
  private roundExamples = 0;

  constructor(
    private readonly post: (e: LabEvent) => void,
    private readonly now: () => number,
  ) {}

  roundStarted(variants: VariantName[]): void {
    this.roundStartedAt = this.now();
    this.roundExamples = 0;
    this.variants = variants;
  }

  point(round: number, variant: VariantName, p: CurvePoint): void {
    packCurvePoint(this.points, round, this.variants.indexOf(variant), p);
    this.schedule();
  }

  /**
   * One training step of every variant of `together` trials (1: one trial alone), `batchSize`
   * examples each. `trials`: the run's, and `trial`, the one training alone where they take turns.
   */
  step(
    round: number,
    iteration: number,
    iterations: number,
    batchSize: number,
    trials: { trials: number; trial?: number; together: number } = { trials: 1, together: 1 },
  ): void {
    this.roundExamples += trials.together * this.variants.length * batchSize;
    const seconds = Math.max(1e-3, (this.now() - this.roundStartedAt) / 1000);
    const examplesPerSecond = this.roundExamples / seconds;
    this.progress = {
      round,
      iteration,
      iterations,
      examplesPerSecond,
      ...(trials.trials > 1
        ? { trials: trials.trials, trial: trials.trial ?? 0, together: trials.together }
        : {}),
    };
    this.schedule();
  }

  /** Sends what is pending now (before a round's results, a pause, the end of a run). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.points.length === 0 && !this.progress) return;
    const points = Float64Array.from(this.points);
    this.points = [];
    this.post({
      type: 'curvePoints',
      variants: [...this.variants],
      points,
      progress: this.progress,
    });
    this.progress = null;
  }

  /** Drops what is pending: it belongs to a round that starts over on another backend. */
  discard(): void {
    this.points = [];
    this.progress = null;
  }

  private schedule(): void {
    if (this.timer === null) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
  }
}
