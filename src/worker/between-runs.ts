/**
 * What the worker does while no run trains: switching the backend, and timing this device for the
 * settings panel's estimate (issue 15). One after another, and a run waits for them, so a timing
 * never shares the device with a run or with a backend starting under it.
 */
import { type BackendKeeper, evalChunkOf } from './backend-keeper';
import { type BackendChoice, type LabEvent, errorMessage as message } from './protocol';
import { measureSpeed } from './speed';

export class BetweenRuns {
  private queued: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      backends: BackendKeeper;
      post: (e: LabEvent) => void;
      /** Whether a run holds the worker now. */
      active: () => boolean;
    },
  ) {}

  /** Starts `choice` ahead of the next run; a backend that will not start is said. */
  switchBackend(choice: BackendChoice): void {
    this.then(() =>
      this.deps.backends.ensure(choice).then(
        () => undefined,
        (e: unknown) => this.deps.post({ type: 'error', message: message(e) }),
      ),
    );
  }

  /**
   * Times the chosen backend (an estimate before the first run). Quietly nothing if it cannot
   * start (a switch to it has said why) or a run began first; a run that begins after waits for
   * it (about a second).
   */
  calibrate(choice: BackendChoice): void {
    this.then(async () => {
      if (this.deps.active()) return;
      const started = await this.deps.backends.ensure(choice).catch(() => null);
      if (!started) return;
      const speed = await measureSpeed(started.compute, evalChunkOf(started)).catch(() => null);
      if (speed)
        this.deps.post({
          type: 'speed',
          speed: { choice, backend: started.info.backend, ...speed },
        });
    });
  }

  /** Runs `work` after everything queued so far (the supermask slider's evaluations, issue 16). */
  queue(work: () => Promise<void>): void {
    this.then(work);
  }

  /** Settles once everything queued so far has. */
  done(): Promise<void> {
    return this.queued;
  }

  private then(work: () => Promise<void>): void {
    this.queued = this.queued.then(work).catch(() => undefined);
  }
}
