/**
 * Time spent training: the worker's clock less the time a run was held (paused by the user, by
 * Step, or waiting for storage). Rates and round times read it, so examples/s after a resume are
 * measured over training, not over a window that counts the pause (issue 15: the bar's rate and
 * ETA went wrong after a pause), and a stored round's wall time is the time it trained.
 */
export class TrainingClock {
  /** When the current hold began on the wall clock (null: training). */
  private heldSince: number | null = null;
  /** Wall time held so far, every hold that has ended. */
  private heldMs = 0;

  constructor(private readonly wall: () => number) {}

  /** Milliseconds of training: stands still while held, goes on from there after. */
  readonly now = (): number => (this.heldSince ?? this.wall()) - this.heldMs;

  hold(): void {
    this.heldSince ??= this.wall();
  }

  release(): void {
    if (this.heldSince === null) return;
    this.heldMs += this.wall() - this.heldSince;
    this.heldSince = null;
  }
}
