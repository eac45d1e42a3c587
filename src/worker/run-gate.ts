/**
 * Where a run in the worker stops to listen: Pause, Resume, Step and Stop land at the engine's
 * checkpoints, which also yield to the event loop often enough for them to arrive. While held, the
 * training clock stands still (issue 15: a rate counts time spent training).
 */
import type { TrainingClock } from './training-clock';

/** Thrown at a checkpoint to unwind a run the user stopped. */
export class StopRun extends Error {}
/** The training loop yields to the event loop at least this often, so pause/stop land quickly. */
const YIELD_MS = 20;

export interface GateDeps {
  now(): number;
  yieldToEvents(): Promise<void>;
  clock: TrainingClock;
  /** The run now holds (flush what it streamed, say 'paused' with why). */
  held(detail: string | undefined): void;
  /** The run goes on after a hold. */
  resumed(): void;
}

export class RunGate {
  /** Asked to pause: the loop holds at its next checkpoint, which then reports 'paused'. */
  private paused = false;
  private holdDetail: string | undefined;
  private stopRequested = false;
  /** Step: hold once the round in flight ends. */
  private pauseAtRoundEnd = false;
  private wake: (() => void) | null = null;
  private lastYield = 0;

  constructor(private readonly deps: GateDeps) {}

  /** A new run: nothing asked yet (`pauseAfterRound`: it was started by Step). */
  begin(pauseAfterRound: boolean): void {
    this.paused = false;
    this.holdDetail = undefined;
    this.stopRequested = false;
    this.pauseAtRoundEnd = pauseAfterRound;
    this.lastYield = this.deps.now();
  }

  /** Training starts now: the first yield is due YIELD_MS from here. */
  trainingStarts(): void {
    this.lastYield = this.deps.now();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.pauseAtRoundEnd = false;
    this.release();
  }

  step(): void {
    this.pauseAtRoundEnd = true;
    if (this.paused) this.release();
  }

  stop(): void {
    this.stopRequested = true;
    this.release();
  }

  /** The run has ended, however: nothing holds it any more. */
  end(): void {
    this.paused = false;
    this.wake = null;
  }

  /** Throws StopRun once the user asked to stop: the run unwinds from wherever it is. */
  readonly stopCheck = (): void => {
    if (this.stopRequested) throw new StopRun();
  };

  /** Awaited by the engine between steps: yields, holds while paused, throws when stopped. */
  readonly checkpoint = (): void | Promise<void> => {
    this.stopCheck();
    if (!this.paused && this.deps.now() - this.lastYield < YIELD_MS) return;
    return (async () => {
      await this.deps.yieldToEvents();
      this.lastYield = this.deps.now();
      if (this.paused && !this.stopRequested) {
        this.deps.held(this.holdDetail);
        this.holdDetail = undefined;
        this.deps.clock.hold();
        while (this.paused && !this.stopRequested)
          await new Promise<void>((resolve) => (this.wake = resolve));
        this.deps.clock.release();
        if (!this.stopRequested) this.deps.resumed();
      }
      this.stopCheck();
    })();
  };

  /** Holds the run at its next checkpoint until Resume (or Stop), saying why. */
  readonly hold = async (detail: string): Promise<void> => {
    this.paused = true;
    this.holdDetail = detail;
    await this.checkpoint();
  };

  /** After a round, where Step asked to hold (not after the last). */
  async roundEnded(round: number, done: boolean): Promise<void> {
    if (!this.pauseAtRoundEnd || done) return;
    this.pauseAtRoundEnd = false;
    await this.hold(`after round ${round}`);
  }

  private release(): void {
    this.paused = false;
    this.wake?.();
    this.wake = null;
  }
}
