/**
 * The worker's brain, free of worker globals: commands in, events out. Its platform pieces
 * (backend start, data loading, clock, yielding) are injected, so tests drive it in Node with
 * plain objects, and lab.worker.ts stays a few lines.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig, VariantName } from '../engine/config';
import { ConfigError } from '../engine/config';
import { type MnistFiles, splitMnist } from '../engine/data';
import { DEFAULT_EVAL_CHUNK, Experiment, type Observer, type RoundResult } from '../engine/experiment';
import { fingerprint } from '../engine/rng';
import {
  type BackendChoice,
  type BackendInfo,
  type Command,
  CURVE_STRIDE,
  type LabEvent,
  type Progress,
  type RoundSummary,
  type RunState,
  type VariantHistograms,
  assertNever,
} from './protocol';

export interface HandlerDeps {
  post(event: LabEvent): void;
  initBackend(choice: BackendChoice, assetBase: string): Promise<BackendInfo>;
  loadData(assetBase: string, onProgress: (loaded: number, total: number, fromCache: boolean) => void): Promise<MnistFiles>;
  now(): number;
  /** Lets queued messages (pause, stop) in: a macrotask turn of the event loop. */
  yieldToEvents(): Promise<void>;
}

/** Thrown at a checkpoint to unwind a run the user stopped. */
class StopRun extends Error {}

/** Curve points are flushed at most this often: ≤ 20 messages a second. */
export const FLUSH_MS = 50;
/** The training loop yields to the event loop at least this often, so pause/stop land quickly. */
const YIELD_MS = 20;

export class LabHandler {
  private assetBase = '/';
  private backend: BackendInfo | null = null;
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
        void this.run(cmd.config, cmd.backend, cmd.pauseAfterRound ?? false);
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

  private ensureBackend(choice: BackendChoice): Promise<BackendInfo> {
    const next = this.backendQueue.then(async () => {
      if (!this.backend || this.backendChoice !== choice || tf.getBackend() !== this.backend.backend) {
        this.backend = await this.deps.initBackend(choice, this.assetBase);
        this.backendChoice = choice;
      }
      this.post({ type: 'ready', info: this.backend });
      return this.backend;
    });
    this.backendQueue = next.catch(() => undefined);
    return next;
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

  private async run(config: ExperimentConfig, choice: BackendChoice, pauseAfterRound: boolean): Promise<void> {
    this.active = true;
    this.paused = false;
    this.holdDetail = undefined;
    this.stopRequested = false;
    this.pauseAtRoundEnd = pauseAfterRound;
    this.batchSize = config.training.batchSize;
    let experiment: Experiment | null = null;
    try {
      this.setState('loading');
      await this.ensureBackend(choice);
      let last = { loadedBytes: 0, totalBytes: 0, fromCache: true };
      const files = await this.deps.loadData(this.assetBase, (loadedBytes, totalBytes, fromCache) => {
        last = { loadedBytes, totalBytes, fromCache };
        this.post({ type: 'dataProgress', ...last, done: false });
      });
      this.post({ type: 'dataProgress', ...last, done: true });
      if (this.stopRequested) throw new StopRun();
      // On the cpu backend one 1000-example evaluation pass takes seconds: small chunks keep
      // pause and stop responsive between them.
      const evalChunk = this.backend?.backend === 'cpu' ? 200 : DEFAULT_EVAL_CHUNK;
      experiment = new Experiment(config, splitMnist(files, config.data), this.deps.now, evalChunk);
      this.post({
        type: 'runStarted',
        config: experiment.config,
        theta0Fingerprint: fingerprint(experiment.theta0.weights),
        theta0DeviceFingerprint: await deviceFingerprint(experiment.theta0.weights),
      });
      this.setState('running');
      this.lastYield = this.deps.now();
      while (!experiment.done) {
        await experiment.runRound(this.observer);
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
      if (e instanceof StopRun) this.setState('stopped');
      else {
        this.error(e instanceof ConfigError ? e.message : `the run failed: ${message(e)}`);
        this.setState('failed', message(e));
      }
    } finally {
      experiment?.dispose();
      this.active = false;
      this.paused = false;
      this.wake = null;
    }
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** θ0 uploaded to the backend and read back: proves the device holds the same bits. */
async function deviceFingerprint(weights: Float32Array[]): Promise<string> {
  const tensors = weights.map((w) => tf.tensor1d(w));
  try {
    return fingerprint((await Promise.all(tensors.map((t) => t.data()))) as Float32Array[]);
  } finally {
    tf.dispose(tensors);
  }
}

export function summarize(r: RoundResult): RoundSummary {
  return {
    ...r,
    variants: r.variants.map((v) => {
      const { curve: _curve, histograms: _histograms, pixelSurvivors: _pixels, ...rest } = v;
      return rest;
    }),
  };
}

export function histogramsOf(r: RoundResult): VariantHistograms[] {
  return r.variants.map((v) => ({
    variant: v.variant,
    layers: v.histograms.map((h) => ({
      layer: h.layer,
      edges: Float64Array.from(h.all.edges),
      all: Uint32Array.from(h.all.counts),
      surviving: Uint32Array.from(h.surviving.counts),
    })),
    pixelSurvivors: Uint16Array.from(v.pixelSurvivors),
  }));
}
