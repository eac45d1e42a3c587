/**
 * The messages between the page and the lab's worker. Each `type` carries its own payload
 * (discriminated unions), so a `switch` narrows without casts and ends in `assertNever`.
 * Numbers in bulk cross as transferred typed arrays; tensors never cross.
 */
import type { ControlName, ExperimentConfig, TaskName, VariantName } from '../engine/config';
import type { RoundResult, VariantResult } from '../engine/experiment';
import type { SignsKept } from '../engine/supermask';
import type { RunRound } from '../engine/trials';
import type { Ticket } from '../formats/ticket';
import type { RunMeta } from '../history/run-meta';

/**
 * tfjs's backends, `simd` (the lab's own WebAssembly SIMD kernels, src/kernels/) and `gpu` (the
 * lab's own WebGPU step, src/gpu/: WGSL kernels beside tfjs's `webgpu`, issue 17).
 */
export type BackendName = 'gpu' | 'webgpu' | 'simd' | 'wasm' | 'webgl' | 'cpu';
/** "auto": the fastest measured on this device (software GPU adapters not tried). */
export type BackendChoice = 'auto' | BackendName;
export const BACKEND_CHOICES: readonly BackendChoice[] = [
  'auto',
  'gpu',
  'webgpu',
  'simd',
  'wasm',
  'webgl',
  'cpu',
];

/** What a run trains: the three ways a run starts, in one vocabulary (issue 4). */
export type RunSpec =
  /** A new run of `config`, stored under `name` (or a name made from the config). */
  | { kind: 'new'; config: ExperimentConfig; name?: string }
  /** A stored run, continued from its next round as if it had never stopped. */
  | { kind: 'continue'; runId: string }
  /**
   * An imported ticket, trained from scratch on this device as its round of the run it came
   * from: its masks and initial weights, its run's hyperparameters, with the chosen controls
   * beside it (checked by the page first), on `task`: where it was found, or another (transfer).
   */
  | {
      kind: 'importedTicket';
      ticket: Ticket;
      controls: ControlName[];
      task: TaskName;
      name: string;
    };

export type Command =
  /** First message: where the app's own assets (MNIST, wasm binaries) are served from. */
  | { type: 'init'; assetBase: string }
  /**
   * Start a run on `backend`. `pauseAfterRound`: hold after the first round it trains, as Step
   * does from idle.
   */
  | { type: 'start'; run: RunSpec; backend: BackendChoice; pauseAfterRound?: boolean }
  | { type: 'pause' }
  /** Unpause: the only meaning of "resume" in the lab (a stored run is continued, not resumed). */
  | { type: 'resume' }
  /** Finish the round in progress (or the next one, if paused between rounds), then pause. */
  | { type: 'step' }
  | { type: 'stop' }
  /** Switch backend while no run is in progress. */
  | { type: 'setBackend'; backend: BackendChoice }
  /**
   * Time a few training steps and an evaluation on `backend` while no run is in progress, so the
   * page can estimate a run before the first one (issue 15); answered by a 'speed' event.
   */
  | { type: 'calibrate'; backend: BackendChoice }
  /**
   * Classify one drawn digit (issue 16's pad) with the weights the worker keeps for `round` of
   * `trial`: 784 bytes, 28×28 row-major, 0 = background, 255 = ink, already in MNIST's format (the
   * pad's preprocessing: bounding box scaled into 20×20, centred by mass in 28×28). Answered by a
   * 'classified' event with the same requestId.
   */
  | { type: 'classify'; requestId: number; round: number; trial: number; pixels: Uint8Array }
  /**
   * The instant supermask slider (issue 16, Zhou et al. 2019): the one-shot mask at P_m `pm` (a
   * fraction) from the dense round's trained weights, applied to θ0 and to those trained weights,
   * both evaluated on the run's test set. Answered by a 'supermask' event; a request that waits
   * (a round in flight) is replaced by a later one: only the latest is answered. `sweep`: then
   * the figure's starting points too (weights-desk.ts SWEEP_PMS, answered as requestId 0), after
   * any later request of the user's; asked for by the figure, so a run no page watches evaluates
   * nothing it did not ask for.
   */
  | { type: 'supermask'; requestId: number; pm: number; sweep?: boolean }
  /**
   * A stored run is on screen (issue 16): read its kept weights from the run history, so the
   * slider and the pad work on it (answered by 'weightsKept'; ignored while a run trains), and
   * evaluate them on `backend`.
   */
  | { type: 'openWeights'; runId: string; backend: BackendChoice };

/** One network's answer for a drawn digit. */
export interface ClassifyAnswer {
  network: 'dense' | VariantName;
  /** The 10 softmax outputs, digit 0 first. */
  probabilities: Float32Array;
}

/** What the supermask slider shows at one P_m (issue 16). */
export interface SupermaskPoint {
  /** The P_m asked for, and the fraction of weights the mask really keeps. */
  pm: number;
  remaining: number;
  /** θ0 under the mask, never trained: test accuracy. */
  supermaskAccuracy: number;
  /** The dense net's trained weights under the mask, not retrained: test accuracy. */
  prunedAccuracy: number;
  /** Test images both were measured on: the run's whole test set, or its first ones (`preview`). */
  testSize: number;
  /**
   * Measured on the test set's first images only, answered first while the slider may still
   * move (supermask-eval.ts PREVIEW_IMAGES); the whole set's point follows unless a newer request
   * replaced it. The figure draws whole-set points only.
   */
  preview: boolean;
  /** Of the weights the mask keeps / drops, how many have the same sign in θ0 and trained. */
  signs: SignsKept;
  /** Milliseconds from the mask's computation to both accuracies. */
  ms: number;
  /** When it was computed: with no round in flight, or waiting for a round to end. */
  when: 'idle' | 'betweenRounds';
  /**
   * Which kept weights it was computed from ('weightsKept' says the current generation): a point
   * computed for the previous run, or for the stored run on screen before, arrives after the page
   * moved on and is dropped there (review finding 3).
   */
  generation: number;
}

export type RunState = 'idle' | 'loading' | 'running' | 'paused' | 'stopped' | 'done' | 'failed';

export interface BackendInfo {
  backend: BackendName;
  /**
   * The device in words, e.g. "google swiftshader (software fallback)" or "wasm, SIMD, 2 threads".
   */
  adapter: string;
  /** Why this backend: what auto saw and measured, or that the user forced it. */
  reason: string;
}

/**
 * A backend as the page and the run history name it: "simd · the lab's WebAssembly SIMD kernels, 2
 * threads".
 */
export const backendLabel = (b: BackendInfo): string => `${b.backend} · ${b.adapter}`;

/** Training and evaluation rates with masks of one density (a round's P_m). */
export interface SpeedAtDensity {
  density: number;
  trainPerSecond: number;
  evalPerSecond: number;
}

/** How fast this device trains and evaluates, measured on the backend a choice starts. */
export interface DeviceSpeed {
  /** What was asked for ('auto' included): an estimate holds for that choice only. */
  choice: BackendChoice;
  /** Where it ran. */
  backend: BackendName;
  /** Training examples a second, one dense variant at `batchSize`. */
  trainPerSecond: number;
  /** Images a second through the forward pass alone (an evaluation). */
  evalPerSecond: number;
  batchSize: number;
  /**
   * The same at a few densities, densest first (the lab's kernels switch a sparse layer's
   * storage, so a pruned round's cost is not the dense one's); absent: dense alone.
   */
  byDensity?: readonly SpeedAtDensity[];
}

/** Training progress of the round in flight. */
export interface Progress {
  round: number;
  iteration: number;
  iterations: number;
  /** Training examples per second, summed over the variants (and trials) trained in lockstep. */
  examplesPerSecond: number;
  /**
   * A run of several trials (issue 14): how many, and which step now: trials `trial` …
   * `trial + together − 1` (all of them in one lockstep group; one at a time on tfjs backends).
   * Absent for a one-trial run.
   */
  trials?: number;
  trial?: number;
  together?: number;
}

/** A round's result without the bulk that travels in its own events (curves, histograms). */
export type VariantSummary = Omit<VariantResult, 'curve' | 'histograms' | 'pixelSurvivors'>;
export type RoundSummary = Omit<RoundResult, 'variants'> & { variants: VariantSummary[] };

/** One variant's Figure 3 data for a round: per layer, counts over fixed edges. */
export interface VariantHistograms {
  variant: VariantName;
  layers: { layer: number; edges: Float64Array; all: Uint32Array; surviving: Uint32Array }[];
  /** Surviving first-layer connections per input pixel, 28×28 row-major. */
  pixelSurvivors: Uint16Array;
}

export type LabEvent =
  | { type: 'ready'; info: BackendInfo }
  | { type: 'state'; state: RunState; detail?: string }
  /** MNIST loading: compressed bytes so far of the total; `fromCache` once cached locally. */
  | {
      type: 'dataProgress';
      loadedBytes: number;
      totalBytes: number;
      fromCache: boolean;
      done: boolean;
    }
  /**
   * θ0's fingerprint as drawn (CPU) and after a round trip through the backend: equal on every
   * backend, and equal to Node's for the same seed.
   */
  | {
      type: 'runStarted';
      config: ExperimentConfig;
      theta0Fingerprint: string;
      theta0DeviceFingerprint: string;
      /** The stored run this is (null when the history is unavailable, e.g. private browsing). */
      runId: string | null;
      /** 0 for a new run; the round a continued run or a trained ticket starts at. */
      firstRound: number;
    }
  | {
      type: 'roundStarted';
      round: number;
      variants: VariantName[];
      remaining: number;
      remainingByLayer: number[];
    }
  /**
   * New curve points, batched (at most 20 messages a second): `points` holds CURVE_STRIDE
   * numbers per point; its `variant` column indexes `variants`.
   */
  | {
      type: 'curvePoints';
      variants: VariantName[];
      points: Float64Array;
      progress: Progress | null;
    }
  /** Trial 0's round: the run as one seed sees it (its curves streamed, its histograms next). */
  | { type: 'roundCompleted'; summary: RoundSummary }
  /**
   * The round over every trial of the run (issue 14), once the last trial finished it: each
   * trial's results and the summary over them (one trial's, for a one-trial run).
   */
  | { type: 'trialsCompleted'; round: RunRound }
  | { type: 'histograms'; round: number; variants: VariantHistograms[] }
  /** A round (or a status change) is safely in the run history: the page refreshes its list. */
  | { type: 'runSaved'; run: RunMeta }
  /**
   * The backend failed (a WebGPU device lost, out of memory, a backend that would not start) and
   * the run moved to `info.backend` (issue 6): `round` is the round in flight, which trains again
   * from its start (null: no round had started). `message` says all this in words.
   */
  | {
      type: 'fellBack';
      from: BackendChoice;
      info: BackendInfo;
      reason: string;
      round: number | null;
      message: string;
    }
  | { type: 'speed'; speed: DeviceSpeed }
  | {
      type: 'classified';
      requestId: number;
      round: number;
      trial: number;
      answers: ClassifyAnswer[];
    }
  | {
      type: 'classified';
      requestId: number;
      round: number;
      trial: number;
      answers: [];
      error: string;
    }
  /**
   * The rounds whose trained weights the worker keeps (trial 0's), after each round and when a
   * run starts (empty) or a stored run's weights are read: the slider and the pad say what they
   * can use. `none`: why a run on screen has none, in words (null while it has them).
   */
  /**
   * The rounds whose trained weights the worker keeps for the run it holds (`none`: why none),
   * and their generation: a new one whenever the worker takes another run's weights (a run
   * begins, a stored run is opened), not when a round is added.
   */
  | {
      type: 'weightsKept';
      rounds: number[];
      none: string | null;
      /**
       * Why the run will never have a dense net (a run trained from an imported ticket starts at
       * its round), in words: the slider has nothing to mask and the pad answers without it.
       */
      noDense: string | null;
      generation: number;
    }
  | { type: 'supermask'; requestId: number; point: SupermaskPoint }
  | { type: 'supermask'; requestId: number; pm: number; error: string }
  | { type: 'error'; message: string };

export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}

/** What went wrong, in words, whatever was thrown. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Typed arrays whose buffers an event can hand over instead of copying. */
export function transferables(e: LabEvent): Transferable[] {
  switch (e.type) {
    case 'curvePoints':
      return [e.points.buffer as ArrayBuffer];
    case 'histograms':
      return e.variants.flatMap((v) => [
        v.pixelSurvivors.buffer as ArrayBuffer,
        ...v.layers.flatMap((l) => [
          l.edges.buffer as ArrayBuffer,
          l.all.buffer as ArrayBuffer,
          l.surviving.buffer as ArrayBuffer,
        ]),
      ]);
    case 'classified':
      return e.answers.map((a) => a.probabilities.buffer as ArrayBuffer);
    default:
      return [];
  }
}

/** Every command's type, once: the worker's door checks against this list. */
export const COMMAND_TYPES = [
  'init',
  'start',
  'pause',
  'resume',
  'step',
  'stop',
  'setBackend',
  'calibrate',
  'classify',
  'supermask',
  'openWeights',
] as const satisfies readonly Command['type'][];

// A command added to the union but not to the list fails to compile here.
type Unlisted = Exclude<Command['type'], (typeof COMMAND_TYPES)[number]>;
const everyCommandListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyCommandListed;

/** A message from the page is one of ours: checked at the worker's door. */
export function isCommand(x: unknown): x is Command {
  if (typeof x !== 'object' || x === null) return false;
  const t = (x as { type?: unknown }).type;
  return (COMMAND_TYPES as readonly unknown[]).includes(t);
}
