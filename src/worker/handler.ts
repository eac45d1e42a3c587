/**
 * The worker's brain, free of worker globals: commands in, events out. Its platform pieces
 * (backend start, data loading, clock, yielding) are injected, so tests drive it in Node with
 * plain objects, and lab.worker.ts stays a few lines.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Compute } from '../engine/compute';
import type { VariantName } from '../engine/config';
import { ConfigError } from '../engine/config';
import { type MnistFiles, splitMnist } from '../engine/data';
import { DEFAULT_EVAL_CHUNK, Experiment, type Observer, type ResumeState, type RoundResult } from '../engine/experiment';
import { fingerprint } from '../engine/rng';
import { histogramsOf, summarize } from './events';
import { BackendFailure, fallbackNotice, fallbacksAfter, guardedRound } from './fallback';
import { Refused, type RunSpec, type RunStore, planRun } from './run-plan';
import { runLockName } from './run-lock';
import type { StartedBackend } from './backends';
import { type BackendChoice, type BackendName, type Command, CURVE_STRIDE, type LabEvent, type Progress, type RunState, assertNever, backendLabel } from './protocol';

export interface HandlerDeps {
  post(event: LabEvent): void;
  /** Starts a backend: what it is (for the badge) and the compute that trains there. */
  initBackend(choice: BackendChoice, assetBase: string): Promise<StartedBackend>;
  loadData(assetBase: string, onProgress: (loaded: number, total: number, fromCache: boolean) => void): Promise<MnistFiles>;
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
/** Curve points are flushed at most this often: ≤ 20 messages a second. */
export const FLUSH_MS = 50;
/** The training loop yields to the event loop at least this often, so pause/stop land quickly. */
const YIELD_MS = 20;

export class LabHandler {
  private assetBase = '/';
  private backend: StartedBackend | null = null;
  private backendChoice: BackendChoice | null = null;
  private active = false;
  /** Asked to pause: the loop holds at its next checkpoint, which then reports 'paused'. */
  private paused = false;
  private holdDetail: string | undefined;
  private state: RunState = 'idle';
  /** Backend starts, one after another: two must never interleave tf.setBackend. */
  private backendQueue: Promise<unknown> = Promise.resolve();
  private stopRequested = false;
  private pauseAtRoundEnd = false;
  private wake: (() => void) | null = null;
  private lastYield = 0;
  private points: number[] = [];
  private pointVariants: VariantName[] = [];
  private progress: Progress | null = null;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private roundStartedAt = 0;
  /** Steps trained this round (a round rewound to k starts at iteration k, not 0). */
  private roundSteps = 0;
  private batchSize = 0;

  constructor(private readonly deps: HandlerDeps) {}

  handle(cmd: Command): void {
    switch (cmd.type) {
      case 'init':
        this.assetBase = cmd.assetBase;
        return;
      case 'start':
        if (this.active) return this.error('a run is already in progress: stop it first');
        void this.run(cmd.name === undefined ? { kind: 'new', config: cmd.config } : { kind: 'new', config: cmd.config, name: cmd.name }, cmd.backend, cmd.pauseAfterRound ?? false);
        return;
      case 'continueRun':
        if (this.active) return this.error('a run is already in progress: stop it first');
        void this.run({ kind: 'continue', runId: cmd.runId }, cmd.backend, cmd.pauseAfterRound ?? false);
        return;
      case 'trainTicket':
        if (this.active) return this.error('a run is already in progress: stop it first');
        void this.run({ kind: 'ticket', ticket: cmd.ticket, controls: cmd.controls, name: cmd.name }, cmd.backend, false);
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
        void this.ensureBackend(cmd.backend).catch((e: unknown) => this.error(message(e)));
        return;
      default:
        assertNever(cmd);
    }
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

  private ensureBackend(choice: BackendChoice): Promise<StartedBackend> {
    const next = this.backendQueue.then(async () => {
      // tfjs's current backend is global: another start (the auto probe) may have moved it.
      const moved = this.backend && this.backend.info.backend !== 'simd' && tf.getBackend() !== this.backend.info.backend;
      if (!this.backend || this.backendChoice !== choice || moved) {
        this.backend = await this.deps.initBackend(choice, this.assetBase);
        this.backendChoice = choice;
      }
      this.post({ type: 'ready', info: this.backend.info });
      return this.backend;
    });
    this.backendQueue = next.catch(() => undefined);
    return next;
  }

  /** The chosen backend, or if it will not start, the next one that does (issue 6). */
  private async startBackend(choice: BackendChoice, failed: Set<BackendName>): Promise<StartedBackend> {
    try {
      return await this.ensureBackend(choice);
    } catch (e) {
      if (!this.deps.fallbackOrder) throw e;
      if (choice !== 'auto') failed.add(choice);
      return this.fallBack(choice, message(e), failed, null);
    }
  }

  /** Starts the first fallback after `from` that starts, and says so; throws if none does. */
  private async fallBack(from: BackendChoice, reason: string, failed: Set<BackendName>, round: number | null): Promise<StartedBackend> {
    // What the failed attempt had not flushed yet belongs to a round that starts over.
    this.points = [];
    this.progress = null;
    const reasons = [reason];
    for (const name of fallbacksAfter(from, failed, this.deps.fallbackOrder)) {
      if (this.stopRequested) throw new StopRun();
      try {
        const started = await this.ensureBackend(name);
        this.post({ type: 'fellBack', from, info: started.info, reason, round, message: fallbackNotice(from, name, reason, round) });
        return started;
      } catch (e) {
        failed.add(name);
        reasons.push(`${name}: ${message(e)}`);
      }
    }
    throw new Error(`no backend is left to go on with (${reasons.join('; ')})`);
  }

  /** Awaited by the engine between steps: yields, holds while paused, throws when stopped. */
  private checkpoint = (): void | Promise<void> => {
    if (this.stopRequested) throw new StopRun();
    if (!this.paused && this.deps.now() - this.lastYield < YIELD_MS) return;
    return (async () => {
      await this.deps.yieldToEvents();
      this.lastYield = this.deps.now();
      if (this.paused && !this.stopRequested) {
        this.flush();
        this.setState('paused', this.holdDetail);
        this.holdDetail = undefined;
        while (this.paused && !this.stopRequested) await new Promise<void>((resolve) => (this.wake = resolve));
        if (!this.stopRequested) this.setState('running');
      }
      if (this.stopRequested) throw new StopRun();
    })();
  };

  private observer: Observer = {
    roundStarted: (r) => {
      this.roundStartedAt = this.deps.now();
      this.roundSteps = 0;
      this.pointVariants = r.variants;
      this.post({ type: 'roundStarted', ...r });
    },
    curvePoint: (round, variant, p) => {
      this.points.push(round, this.pointVariants.indexOf(variant), p.iteration, p.trainLoss, p.validationLoss, p.validationAccuracy, p.testAccuracy);
      this.scheduleFlush();
    },
    progress: (round, iteration, iterations) => {
      this.roundSteps++;
      const seconds = Math.max(1e-3, (this.deps.now() - this.roundStartedAt) / 1000);
      const examplesPerSecond = (this.roundSteps * this.pointVariants.length * this.batchSize) / seconds;
      this.progress = { round, iteration, iterations, examplesPerSecond };
      this.scheduleFlush();
    },
    roundCompleted: (r) => {
      this.flush();
      this.post({ type: 'roundCompleted', summary: summarize(r) });
      this.post({ type: 'histograms', round: r.round, variants: histogramsOf(r) });
    },
    checkpoint: this.checkpoint,
  };

  private scheduleFlush(): void {
    if (this.flushTimer === null) this.flushTimer = setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.points.length === 0 && !this.progress) return;
    const points = Float64Array.from(this.points);
    this.points = [];
    if (points.length % CURVE_STRIDE !== 0) throw new Error('corrupt curve batch');
    this.post({ type: 'curvePoints', variants: [...this.pointVariants], points, progress: this.progress });
    this.progress = null;
  }

  private async run(spec: RunSpec, choice: BackendChoice, pauseAfterRound: boolean): Promise<void> {
    this.active = true;
    this.paused = false;
    this.holdDetail = undefined;
    this.stopRequested = false;
    this.pauseAtRoundEnd = pauseAfterRound;
    let experiment: Experiment | null = null;
    let history: RunStore | null = null;
    let runId: string | null = null;
    let unlock: (() => void) | null = null;
    /** The run this worker created, and whether it may write the run's status. */
    let newRunId: string | null = null;
    let owns = false;
    let saved = 0;
    try {
      this.setState('loading');
      history = await this.deps.openHistory().catch((e: unknown) => {
        this.error(`runs will not be saved: the run history could not be opened (${message(e)})`);
        return null;
      });
      const plan = await planRun(spec, history);
      this.batchSize = plan.config.training.batchSize;
      const failed = new Set<BackendName>();
      let backend = await this.startBackend(choice, failed);
      let last = { loadedBytes: 0, totalBytes: 0, fromCache: true };
      const files = await this.deps.loadData(this.assetBase, (loadedBytes, totalBytes, fromCache) => {
        last = { loadedBytes, totalBytes, fromCache };
        this.post({ type: 'dataProgress', ...last, done: false });
      });
      this.post({ type: 'dataProgress', ...last, done: true });
      if (this.stopRequested) throw new StopRun();
      const dataset = splitMnist(files, plan.config.data);
      // On the cpu backend one 1000-example evaluation pass takes seconds: small chunks keep
      // pause and stop responsive between them.
      const build = (on: StartedBackend, resume?: ResumeState) => new Experiment(plan.config, dataset, { now: this.deps.now, compute: on.compute, evalChunk: on.info.backend === 'cpu' ? 200 : DEFAULT_EVAL_CHUNK, ...(resume ? { resume } : {}) });
      experiment = build(backend, plan.resume);
      runId = plan.runId ?? null;
      if (history && !runId) {
        const created = await history.createRun({ name: plan.name, config: experiment.config, backend: backendLabel(backend.info), origin: plan.origin, theta0: experiment.theta0, rewindTo: experiment.rewindWeights, firstRound: experiment.round }).catch((e: unknown) => {
          this.error(`this run will not be saved: ${message(e)}`);
          return null;
        });
        runId = created?.id ?? null;
        newRunId = runId;
      }
      // The lock first, then any status: a second tab resuming the same run is refused before it
      // writes anything, and never marks the run the first tab trains as stopped.
      if (runId && this.deps.lock) {
        unlock = await this.deps.lock(runLockName(runId)).catch((e: unknown) => {
          throw new Refused(message(e));
        });
      }
      owns = runId !== null;
      if (history && runId && runId !== newRunId) {
        await history.setStatus(runId, 'running');
        await this.trainedOn(history, runId, backend);
      }
      this.post({
        type: 'runStarted',
        config: experiment.config,
        theta0Fingerprint: fingerprint(experiment.theta0.weights),
        theta0DeviceFingerprint: await deviceFingerprint(backend.compute, experiment.theta0.weights),
        runId,
        firstRound: experiment.round,
      });
      this.setState('running');
      this.lastYield = this.deps.now();
      while (!experiment.done) {
        let result: RoundResult;
        try {
          const current = experiment;
          result = await guardedRound((o) => current.runRound(o), this.observer, this.deps.watchBackend?.(backend.info.backend) ?? null, backend.info.backend, StopRun);
        } catch (e) {
          if (e instanceof StopRun || !this.deps.fallbackOrder) throw e;
          // The round in flight starts again from its start on the next backend (issue 6): the
          // engine has not moved on, so its snapshot is the state the round started from.
          const round = experiment.round;
          const resume: ResumeState = { ...experiment.snapshot()!, theta0: experiment.theta0 };
          experiment.dispose();
          experiment = null;
          failed.add(backend.info.backend);
          if (e instanceof BackendFailure) this.deps.forgetBackend?.(backend.info.backend);
          backend = await this.fallBack(backend.info.backend, message(e), failed, round);
          if (history && runId) await this.trainedOn(history, runId, backend);
          experiment = build(backend, resume);
          continue;
        }
        if (history && runId) {
          await this.save(history, runId, experiment, result);
          saved++;
        }
        if (this.pauseAtRoundEnd && !experiment.done) {
          this.pauseAtRoundEnd = false;
          this.paused = true;
          this.holdDetail = `after round ${experiment.round - 1}`;
          await this.checkpoint();
        }
      }
      this.flush();
      this.setState('done');
    } catch (e) {
      this.flush();
      // Saved before the state is posted: a page that starts again on 'stopped' finds the worker free.
      if (history && runId && owns) await this.ended(history, runId, runId === newRunId && saved === 0);
      if (e instanceof StopRun) this.setState('stopped');
      else {
        this.error(e instanceof ConfigError || e instanceof Refused ? e.message : `the run failed: ${message(e)}`);
        this.setState('failed', message(e));
      }
    } finally {
      experiment?.dispose();
      unlock?.();
      this.active = false;
      this.paused = false;
      this.wake = null;
    }
  }

  /**
   * A completed round into the history, with what resuming needs. If it cannot be written (a full
   * disk, say), the run holds: going on would lose the round for good. Resume tries again.
   */
  private async save(history: RunStore, runId: string, experiment: Experiment, result: RoundResult): Promise<void> {
    for (;;) {
      try {
        const run = await history.saveRound(runId, result, experiment.ticketMasks.map((m) => m.bits), experiment.snapshot());
        this.post({ type: 'runSaved', run });
        return;
      } catch (e) {
        this.error(`round ${result.round} could not be saved to the run history (${message(e)}): the run holds; Resume tries again, Stop gives the round up`);
        this.paused = true;
        this.holdDetail = `round ${result.round} not saved`;
        await this.checkpoint();
      }
    }
  }

  /** The history's row names every backend that trained the run; a failed write costs only that. */
  private async trainedOn(history: RunStore, runId: string, backend: StartedBackend): Promise<void> {
    try {
      this.post({ type: 'runSaved', run: await history.trainedOn(runId, backendLabel(backend.info)) });
    } catch (e) {
      this.error(`the run history could not note the backend now training: ${message(e)}`);
    }
  }

  /** A run that stopped or failed: marked stopped, or dropped if it never completed a round. */
  private async ended(history: RunStore, runId: string, empty: boolean): Promise<void> {
    try {
      if (empty) await history.delete(runId);
      else this.post({ type: 'runSaved', run: await history.setStatus(runId, 'stopped') });
    } catch (e) {
      this.error(`the run's status could not be saved: ${message(e)}`);
    }
  }
}

/** θ0 uploaded to the backend and read back: proves the device holds the same bits. */
async function deviceFingerprint(compute: Compute, weights: Float32Array[]): Promise<string> {
  return fingerprint(await compute.roundTrip(weights));
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
