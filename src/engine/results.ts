/**
 * What an experiment produces: per round, each variant's curve, early stop, Figure 3 histograms
 * and survivors per pixel (a trial's round; trials.ts gathers a run's trials), and what its
 * observer hears when a round starts.
 */
import type { ExperimentConfig, VariantName } from './config';
import type { CurvePoint, EarlyStop, LayerHistogram } from './metrics';

export interface VariantResult {
  variant: VariantName;
  /** P_m of this variant's masks (controls keep the ticket's per-layer counts). */
  remaining: number;
  remainingByLayer: number[];
  curve: CurvePoint[];
  /** The iteration of minimum validation loss, and the accuracies measured there. */
  earlyStop: EarlyStop;
  finalTestAccuracy: number;
  /** Figure 3: θ0 of this variant's surviving connections over the whole layer's θ0. */
  histograms: LayerHistogram[];
  /** Surviving first-layer connections per input pixel, 28×28 row-major. */
  pixelSurvivors: number[];
}

export interface RoundResult {
  round: number;
  remaining: number;
  remainingByLayer: number[];
  variants: VariantResult[];
  /** Wall time of the round, and training examples per second summed over variants. */
  wallMs: number;
  examplesPerSecond: number;
}

export interface ExperimentResult {
  config: ExperimentConfig;
  rounds: RoundResult[];
  wallMs: number;
  /** Where it ran, e.g. "wasm (node)" or "webgpu (nvidia ampere)". */
  backend?: string;
}

export interface RoundStart {
  round: number;
  variants: VariantName[];
  remaining: number;
  remainingByLayer: number[];
}
