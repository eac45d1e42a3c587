/**
 * The worker's brain, free of worker globals: commands in, events out. Its platform pieces
 * (backend start, data loading, clock, yielding) are injected, so tests drive it in Node with
 * plain objects, and lab.worker.ts stays a few lines.
 */
import { ConfigError } from '../engine/config';
import { type MnistFiles, splitMnist } from '../engine/data';
import type { Continuation, RoundResult } from '../engine/experiment';
import { TrialSet } from '../engine/trial-set';
import { trialsCompleted, trialsObserver } from './trial-events';
import { BackendFailure, guardedRound } from './fallback';
import { Refused, type RunStore, planRun } from './run-plan';
import { runLockName } from './run-lock';
import { RunRecord } from './run-record';
import type { StartedBackend } from './backends';
import { BackendKeeper, evalChunkOf } from './backend-keeper';
import { CurveStream } from './curve-stream';
import { BetweenRuns } from './between-runs';
import { RunGate, StopRun } from './run-gate';
import { TrainingClock } from './training-clock';
import { loadWithProgress, theta0Fingerprints } from './run-start';
import { WeightsDesk } from './weights-desk';
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

export class LabHandler {
  private assetBase = '/';
  private active = false;
  private state: RunState = 'idle';
  private readonly stream: CurveStream;
  /** Training time, without the time held: what rates and round times are measured on. */
  private readonly clock: TrainingClock;
  private readonly backends: BackendKeeper;
  private readonly gate: RunGate;
  private batchSize = 0;
  private readonly idle: BetweenRuns;
  /** Kept weights: the supermask slider and the drawing pad (issue 16). */
  private readonly desk: WeightsDesk;

  constructor(private readonly deps: HandlerDeps) {
    this.clock = new TrainingClock(deps.now);
    this.stream = new CurveStream((e) => this.post(e), this.clock.now);
    this.gate = new RunGate({
      now: deps.now,
      yieldToEvents: deps.yieldToEvents,
      clock: this.clock,
      held: (detail) => {
        this.stream.flush();
        this.setState('paused', detail);
      },
      resumed: () => this.setState('running'),
    });
    this.backends = new BackendKeeper({
      initBackend: deps.initBackend,
      ...(deps.fallbackOrder ? { fallbackOrder: deps.fallbackOrder } : {}),
      post: (e) => this.post(e),
      assetBase: () => this.assetBase,
    });
    this.idle = new BetweenRuns({
      backends: this.backends,
      post: (e) => this.post(e),
      active: () => this.active,
    });
    this.desk = new WeightsDesk({
      post: (e) => this.post(e),
      now: deps.now,
      queueIdle: (work) => this.idle.queue(work),
      openHistory: () => deps.openHistory().catch(() => null),
      loadTest: async (config) =>
        splitMnist(await deps.loadData(this.assetBase, () => undefined), config.data).test,
      start: (choice) => this.backends.ensure(choice),
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
        if (this.active) this.gate.pause();
        return;
      case 'resume':
        if (this.active) this.gate.resume();
        return;
      case 'step':
        if (!this.active) return this.error('nothing to step: start a run first');
        this.gate.step();
        return;
      case 'stop':
        // Always answered: the page's hard-stop timer waits for a state.
        if (!this.active) return this.setState(this.state);
        this.gate.stop();
        return;
      case 'setBackend':
        if (this.active) return this.error('stop the run before switching backend');
        this.idle.switchBackend(cmd.backend);
        return;
      case 'calibrate':
        // A run in progress measures itself: its progress carries its rate.
        if (!this.active) this.idle.calibrate(cmd.backend);
        return;
      case 'classify':
      case 'supermask':
      case 'openWeights':
        this.desk.handle(cmd);
        return;
      default:
        assertNever(cmd);
    }
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

  private async run(spec: RunSpec, choice: BackendChoice, pauseAfterRound: boolean): Promise<void> {
    this.active = true;
    this.gate.begin(pauseAfterRound);
    let trials: TrialSet | null = null;
    let record: RunRecord | null = null;
    let unlock: (() => void) | null = null;
    try {
      this.setState('loading');
      this.desk.runStarting();
      await this.idle.done();
      const history: RunStore | null = await this.deps.openHistory().catch((e: unknown) => {
        this.error(`runs will not be saved: the run history could not be opened (${message(e)})`);
        return null;
      });
      const plan = await planRun(spec, history);
      this.batchSize = plan.config.training.batchSize;
      const failed = new Set<BackendName>();
      let backend = await this.backends.start(choice, failed, this.gate.stopCheck);
      const files = await loadWithProgress(this.deps.loadData, this.assetBase, (e) => this.post(e));
      this.gate.stopCheck();
      const dataset = splitMnist(files, plan.config.data);
      const build = (on: StartedBackend, continueFrom?: Continuation[]) =>
        new TrialSet(plan.config, dataset, {
          now: this.clock.now,
          compute: this.desk.capture(on.compute),
          evalChunk: evalChunkOf(on),
          ...(continueFrom ? { continueFrom } : {}),
        });
      trials = build(backend, plan.continueFrom);
      const observer = this.desk.observe(
        trialsObserver({
          stream: this.stream,
          post: (e) => this.post(e),
          batchSize: this.batchSize,
          trials: plan.config.training.trials,
          checkpoint: this.gate.checkpoint,
        }),
      );
      const first = trials.experiments[0]!;
      const say = {
        post: (e: LabEvent) => this.post(e),
        error: (text: string) => this.error(text),
      };
      if (history) record = await RunRecord.of(history, plan, trials, backend, say);
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
        ...(await theta0Fingerprints(backend.compute, first.theta0.weights)),
        runId: record?.id ?? null,
        firstRound: trials.round,
      });
      await this.desk.runBegins(
        {
          config: trials.config,
          theta0: first.theta0,
          test: dataset.test,
          firstRound: plan.firstRound,
          origin: plan.origin,
        },
        backend,
        plan.runId && history ? { history, runId: plan.runId } : null,
      );
      this.setState('running');
      this.gate.trainingStarts();
      while (!trials.done) {
        let results: RoundResult[];
        try {
          const current = trials;
          await this.desk.roundBegins();
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
            this.gate.stopCheck,
          );
          await record?.trainedOn(backend);
          this.desk.backendChanged(backend);
          trials = build(backend, from);
          continue;
        }
        this.desk.roundEnded();
        this.post(trialsCompleted(trials, results));
        await record?.save(
          trials,
          results,
          this.gate.hold,
          this.desk.keeper.round(trials.round - 1),
        );
        await this.gate.roundEnded(trials.round - 1, trials.done);
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
      // A slider evaluation borrowing the run's session finishes before the session goes.
      await this.desk.roundBegins();
      trials?.dispose();
      unlock?.();
      this.active = false;
      this.gate.end();
      this.desk.runEnded();
    }
  }
}
