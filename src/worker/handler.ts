/**
 * The worker's brain, free of worker globals: commands in, events out. Its platform pieces
 * (backend start, data loading, clock, yielding) are injected, so tests drive it in Node with
 * plain objects, and lab.worker.ts stays a few lines.
 */
import type { Compute } from '../engine/compute';
import { ConfigError } from '../engine/config';
import { type MnistFiles, splitMnist } from '../engine/data';
import { DEFAULT_EVAL_CHUNK, type Continuation, type RoundResult } from '../engine/experiment';
import { fingerprint } from '../engine/rng';
import { TrialSet } from '../engine/trial-set';
import { trialsCompleted, trialsObserver } from './trial-events';
import { BackendFailure, guardedRound } from './fallback';
import { Refused, type RunStore, planRun } from './run-plan';
import { runLockName } from './run-lock';
import { RunRecord } from './run-record';
import type { StartedBackend } from './backends';
import { BackendKeeper } from './backend-keeper';
import { CurveStream } from './curve-stream';
import { measureSpeed } from './speed';
import { TrainingClock } from './training-clock';
import {
  type BackendChoice,
  type BackendName,
  type Command,
  type LabEvent,
  type RunSpec,
  type RunState,
  assertNever,
  errorMessage as message,
} from './protocol';

export interface HandlerDeps {
  post(event: LabEvent): void;
  /** Starts a backend: what it is (for the badge) and the compute that trains there. */
  initBackend(choice: BackendChoice, assetBase: string): Promise<StartedBackend>;
  loadData(
    assetBase: string,
    onProgress: (loaded: number, total: number, fromCache: boolean) => void,
  ): Promise<MnistFiles>;
  now(): number;
  /** Lets queued messages (pause, stop) in: a macrotask turn of the event loop. */
  yieldToEvents(): Promise<void>;
  /** The run history; null where IndexedDB is unavailable (the lab still runs, unsaved). */
  openHistory(): Promise<RunStore | null>;
  /**
   * Holds a named lock until the returned function is called: while a worker trains a run it
   * holds `lottery-ticket-lab:run:<id>`, so a page can tell a live run from an interrupted one.
   */
  lock?(name: string): Promise<() => void>;
  /**
   * Issue 6: where to go when a backend fails (a backend that will not start, an error in a
   * round, a lost GPU), most preferred first. Without it, a failed backend fails the run.
   */
  fallbackOrder?: readonly BackendName[];
  /**
   * Settles, with the reason in words, once backend `name` (the one now in use) is lost for good
   * (a WebGPU device lost, the GPU out of memory, a kernel thread gone); null where it cannot be.
   */
  watchBackend?(name: BackendName): Promise<string> | null;
  /** Drops a lost backend, so that a later start builds it afresh (a new GPU device). */
  forgetBackend?(name: BackendName): void;
}

/** Thrown at a checkpoint to unwind a run the user stopped. */
class StopRun extends Error {}
/** The training loop yields to the event loop at least this often, so pause/stop land quickly. */
const YIELD_MS = 20;

export class LabHandler {
  private assetBase = '/';
  private active = false;
  /** Asked to pause: the loop holds at its next checkpoint, which then reports 'paused'. */
  private paused = false;
  private holdDetail: string | undefined;
  private state: RunState = 'idle';
  private stopRequested = false;
  private pauseAtRoundEnd = false;
  private wake: (() => void) | null = null;
  private lastYield = 0;
  private readonly stream: CurveStream;
  /** Training time, without the time held: what rates and round times are measured on. */
  private readonly clock: TrainingClock;
  private readonly backends: BackendKeeper;
  /** Throws StopRun once the user asked to stop: the run unwinds from wherever it is. */
  private readonly stopCheck = () => {
    if (this.stopRequested) throw new StopRun();
  };
  private batchSize = 0;
  /**
   * Work done between runs (a backend switch, a calibration), one after another: a run waits for
   * it, so a timing never shares the device with a run or with a backend starting under it.
   */
  private between: Promise<void> = Promise.resolve();

  constructor(private readonly deps: HandlerDeps) {
    this.clock = new TrainingClock(deps.now);
    this.stream = new CurveStream((e) => this.post(e), this.clock.now);
    this.backends = new BackendKeeper({
      initBackend: deps.initBackend,
      ...(deps.fallbackOrder ? { fallbackOrder: deps.fallbackOrder } : {}),
      post: (e) => this.post(e),
      assetBase: () => this.assetBase,
    });
  }

  handle(cmd: Command): void {
    switch (cmd.type) {
      case 'init':
        this.assetBase = cmd.assetBase;
        return;
      case 'start':
        if (this.active) return this.error('a run is already in progress: stop it first');
        void this.run(cmd.run, cmd.backend, cmd.pauseAfterRound ?? false);
        return;
      case 'pause':
        if (this.active) this.paused = true;
        return;
      case 'resume':
        if (!this.active || !this.paused) return;
        this.pauseAtRoundEnd = false;
        this.release();
        return;
      case 'step':
        if (!this.active) return this.error('nothing to step: start a run first');
        this.pauseAtRoundEnd = true;
        if (this.paused) this.release();
        return;
      case 'stop':
        // Always answered: the page's hard-stop timer waits for a state.
        if (!this.active) return this.setState(this.state);
        this.stopRequested = true;
        this.release();
        return;
      case 'setBackend':
        if (this.active) return this.error('stop the run before switching backend');
        this.betweenRuns(() =>
          this.backends.ensure(cmd.backend).then(
            () => undefined,
            (e: unknown) => this.error(message(e)),
          ),
        );
        return;
      case 'calibrate':
        // A run in progress measures itself: its progress carries its rate.
        if (!this.active) this.betweenRuns(() => this.calibrate(cmd.backend));
        return;
      default:
        assertNever(cmd);
    }
  }

  private betweenRuns(work: () => Promise<void>): void {
    this.between = this.between.then(work).catch(() => undefined);
  }

  /**
   * Times the chosen backend (issue 15: an estimate before the first run). Quietly nothing if it
   * cannot start (a switch to it has said why) or a run began first; a run that begins after
   * waits for it (well under a second).
   */
  private async calibrate(choice: BackendChoice): Promise<void> {
    if (this.active) return;
    const started = await this.backends.ensure(choice).catch(() => null);
    if (!started) return;
    const speed = await measureSpeed(started.compute, evalChunkOf(started)).catch(() => null);
    if (speed)
      this.post({ type: 'speed', speed: { choice, backend: started.info.backend, ...speed } });
  }

  private release(): void {
    this.paused = false;
    this.wake?.();
    this.wake = null;
  }

  private post(e: LabEvent): void {
    this.deps.post(e);
  }

  private error(text: string): void {
    this.post({ type: 'error', message: text });
  }

  private setState(state: RunState, detail?: string): void {
    this.state = state;
    this.post(detail === undefined ? { type: 'state', state } : { type: 'state', state, detail });
  }

  /** Awaited by the engine between steps: yields, holds while paused, throws when stopped. */
  private checkpoint = (): void | Promise<void> => {
    if (this.stopRequested) throw new StopRun();
    if (!this.paused && this.deps.now() - this.lastYield < YIELD_MS) return;
    return (async () => {
      await this.deps.yieldToEvents();
      this.lastYield = this.deps.now();
      if (this.paused && !this.stopRequested) {
        this.stream.flush();
        this.setState('paused', this.holdDetail);
        this.holdDetail = undefined;
        this.clock.hold();
        while (this.paused && !this.stopRequested)
          await new Promise<void>((resolve) => (this.wake = resolve));
        this.clock.release();
        if (!this.stopRequested) this.setState('running');
      }
      if (this.stopRequested) throw new StopRun();
    })();
  };

  /** Holds the run at its next checkpoint until Resume (or Stop), saying why. */
  private hold = async (detail: string): Promise<void> => {
    this.paused = true;
    this.holdDetail = detail;
    await this.checkpoint();
  };

  private async run(spec: RunSpec, choice: BackendChoice, pauseAfterRound: boolean): Promise<void> {
    this.active = true;
    this.paused = false;
    this.holdDetail = undefined;
    this.stopRequested = false;
    this.pauseAtRoundEnd = pauseAfterRound;
    let trials: TrialSet | null = null;
    let record: RunRecord | null = null;
    let unlock: (() => void) | null = null;
    try {
      this.setState('loading');
      await this.between;
      const history: RunStore | null = await this.deps.openHistory().catch((e: unknown) => {
        this.error(`runs will not be saved: the run history could not be opened (${message(e)})`);
        return null;
      });
      const plan = await planRun(spec, history);
      this.batchSize = plan.config.training.batchSize;
      const failed = new Set<BackendName>();
      let backend = await this.backends.start(choice, failed, this.stopCheck);
      let last = { loadedBytes: 0, totalBytes: 0, fromCache: true };
      const files = await this.deps.loadData(
        this.assetBase,
        (loadedBytes, totalBytes, fromCache) => {
          last = { loadedBytes, totalBytes, fromCache };
          this.post({ type: 'dataProgress', ...last, done: false });
        },
      );
      this.post({ type: 'dataProgress', ...last, done: true });
      if (this.stopRequested) throw new StopRun();
      const dataset = splitMnist(files, plan.config.data);
      const build = (on: StartedBackend, continueFrom?: Continuation[]) =>
        new TrialSet(plan.config, dataset, {
          now: this.clock.now,
          compute: on.compute,
          evalChunk: evalChunkOf(on),
          ...(continueFrom ? { continueFrom } : {}),
        });
      trials = build(backend, plan.continueFrom);
      const observer = trialsObserver({
        stream: this.stream,
        post: (e) => this.post(e),
        batchSize: this.batchSize,
        trials: plan.config.training.trials,
        checkpoint: this.checkpoint,
      });
      const first = trials.experiments[0]!;
      const say = {
        post: (e: LabEvent) => this.post(e),
        error: (text: string) => this.error(text),
      };
      if (history)
        record = plan.runId
          ? RunRecord.stored(history, plan.runId, say)
          : await RunRecord.create(
              history,
              trials,
              { name: plan.name, origin: plan.origin, backend },
              say,
            );
      // The lock first, then any status: a second tab continuing the same run is refused before it
      // writes anything, and never marks the run the first tab trains as stopped.
      if (record && this.deps.lock) {
        unlock = await this.deps.lock(runLockName(record.id)).catch((e: unknown) => {
          throw new Refused(message(e));
        });
      }
      await record?.own(backend);
      this.post({
        type: 'runStarted',
        config: trials.config,
        // Trial 0's θ0: the run's seed, as a one-seed run's.
        theta0Fingerprint: fingerprint(first.theta0.weights),
        theta0DeviceFingerprint: await deviceFingerprint(backend.compute, first.theta0.weights),
        runId: record?.id ?? null,
        firstRound: trials.round,
      });
      this.setState('running');
      this.lastYield = this.deps.now();
      while (!trials.done) {
        let results: RoundResult[];
        try {
          const current = trials;
          results = await guardedRound(
            (o) => current.runRound(o),
            observer,
            this.deps.watchBackend?.(backend.info.backend) ?? null,
            backend.info.backend,
            StopRun,
          );
        } catch (e) {
          if (e instanceof StopRun || !this.deps.fallbackOrder) throw e;
          // The round in flight starts again from its start on the next backend (issue 6): the
          // engine has not moved on, so its snapshot is the state the round started from.
          // Every trial from where the round began: trials that finished it before the failure
          // train it again (the same bits), so all go on from one round.
          const from = trials.roundStart() as Continuation[];
          const round = from[0]!.nextRound;
          trials.dispose();
          trials = null;
          failed.add(backend.info.backend);
          if (e instanceof BackendFailure) this.deps.forgetBackend?.(backend.info.backend);
          // What the failed attempt had not flushed yet belongs to a round that starts over.
          this.stream.discard();
          backend = await this.backends.fallBack(
            backend.info.backend,
            message(e),
            failed,
            round,
            this.stopCheck,
          );
          await record?.trainedOn(backend);
          trials = build(backend, from);
          continue;
        }
        this.post(trialsCompleted(trials, results));
        await record?.save(trials, results, this.hold);
        if (this.pauseAtRoundEnd && !trials.done) {
          this.pauseAtRoundEnd = false;
          await this.hold(`after round ${trials.round - 1}`);
        }
      }
      this.stream.flush();
      this.setState('done');
    } catch (e) {
      this.stream.flush();
      // Saved before the state is posted: a page that starts again on 'stopped' finds the worker
      // free.
      await record?.ended();
      if (e instanceof StopRun) this.setState('stopped');
      else {
        this.error(
          e instanceof ConfigError || e instanceof Refused
            ? e.message
            : `the run failed: ${message(e)}`,
        );
        this.setState('failed', message(e));
      }
    } finally {
      trials?.dispose();
      unlock?.();
      this.active = false;
      this.paused = false;
      this.wake = null;
    }
  }
}

/**
 * On the cpu backend one 1000-example evaluation pass takes seconds: small chunks keep pause and
 * stop responsive between them.
 */
const evalChunkOf = (on: StartedBackend) => (on.info.backend === 'cpu' ? 200 : DEFAULT_EVAL_CHUNK);

/** θ0 uploaded to the backend and read back: proves the device holds the same bits. */
async function deviceFingerprint(compute: Compute, weights: Float32Array[]): Promise<string> {
  return fingerprint(await compute.roundTrip(weights));
}
