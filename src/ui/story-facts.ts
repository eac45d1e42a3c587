/**
 * The numbers story mode says (story.ts): read off the rounds on screen, never assumed. Each
 * function returns null where the run does not hold the number, so a sentence that needs it is
 * left out instead of guessed.
 */
import type { ControlName, ExperimentConfig, VariantName } from '../engine/config';
import type { RunRound } from '../engine/trials';
import { pairedAtEarlyStop } from '../compare/paired';
import { verdict, type Verdict } from '../compare/verdict';
import { VARIANT_LABEL } from '../settings/labels';
import type { RoundSummary, VariantHistograms } from '../worker/protocol';
import type { RoundView } from '../state/types';

export const pct = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`;
export const int = (v: number) => Math.round(v).toLocaleString('en-US');
/** A difference of two accuracies (in [0, 1]) in percentage points, without its sign. */
export const pp = (diff: number) => `${Math.abs(100 * diff).toFixed(1)} pp`;

/** A round the story can tell: trial 0 finished it, so its summary (and its curves) are in. */
export type DoneRound = RoundView & { summary: RoundSummary };

export const doneRounds = (rounds: readonly RoundView[]): DoneRound[] =>
  rounds.filter((r): r is DoneRound => r.summary !== null);

export const variantOf = (r: DoneRound, v: VariantName) =>
  r.summary.variants.find((x) => x.variant === v) ?? null;

/** Test accuracy before any training: the curve's iteration-0 evaluation, if it has one. */
export function accuracyAtStart(r: RoundView, v: VariantName): number | null {
  const first = r.curves[v]?.[0];
  return first && first.iteration === 0 ? first.testAccuracy : null;
}

/**
 * The ticket against a control at a round's early stop: over every seed that finished the round
 * (the verdict's words, which say when seeds are too few to tell the gap from noise), else trial
 * 0's own numbers (one seed so far). `gap` is ticket − control, in [−1, 1].
 */
export interface Gap {
  gap: number;
  verdict: Verdict | null;
  seeds: number;
}

export function gapAt(
  r: DoneRound,
  trialRounds: readonly RunRound[],
  control: VariantName,
  testSize: number,
  label: string,
): Gap | null {
  const over = trialRounds.find((t) => t.round === r.round);
  const paired = over ? pairedAtEarlyStop(over, 'ticket', control, testSize) : null;
  if (paired)
    return {
      gap: paired.meanPp / 100,
      verdict: verdict(paired, 'the ticket', label),
      seeds: paired.n,
    };
  const t = variantOf(r, 'ticket');
  const c = variantOf(r, control);
  if (!t || !c) return null;
  return { gap: t.earlyStop.testAccuracy - c.earlyStop.testAccuracy, verdict: null, seeds: 1 };
}

/** "1.2 pp behind the ticket", "0.3 pp ahead of the ticket", "level with the ticket". */
export function behindWords(gap: number): string {
  if (Math.abs(gap) < 0.0005) return 'level with the ticket';
  return gap > 0 ? `${pp(gap)} behind the ticket` : `${pp(gap)} ahead of the ticket`;
}

/** Where one layer's θ0 survived: the share of small and of large |θ0| kept, and its shape. */
export interface Survival {
  layer: number;
  /** Share of the weights with |θ0| under a quarter of the histogram's half-range that survive. */
  smallKept: number;
  /** Share of the other weights that survive. */
  largeKept: number;
  /**
   * The survivors' θ0 has a peak on each side of zero and, between them, a dip: the bins around
   * zero hold under half of the lower peak.
   */
  bimodal: boolean;
}

/**
 * The survivors of one layer, from its Figure 3 histogram. The edges span ±4 Glorot standard
 * deviations (metrics.ts), so "small" is |θ0| under one standard deviation.
 */
export function survivalOf(layer: VariantHistograms['layers'][number]): Survival | null {
  const { edges, all, surviving } = layer;
  const bins = all.length;
  const lo = edges[0]!;
  const hi = edges[bins]!;
  const mid = (lo + hi) / 2;
  const small = (hi - lo) / 8;
  let smallAll = 0,
    smallKept = 0,
    largeAll = 0,
    largeKept = 0;
  let left = 0,
    right = 0,
    centre = 0;
  for (let i = 0; i < bins; i++) {
    const c = (edges[i]! + edges[i + 1]!) / 2 - mid;
    if (Math.abs(c) < small) {
      smallAll += all[i]!;
      smallKept += surviving[i]!;
    } else {
      largeAll += all[i]!;
      largeKept += surviving[i]!;
    }
    // The bins touching zero: the two around the middle edge of an even count, one of an odd.
    if (Math.abs(c) <= (hi - lo) / bins) centre = Math.max(centre, surviving[i]!);
    else if (c < 0) left = Math.max(left, surviving[i]!);
    else right = Math.max(right, surviving[i]!);
  }
  if (smallAll === 0 || largeAll === 0) return null;
  return {
    layer: layer.layer,
    smallKept: smallKept / smallAll,
    largeKept: largeKept / largeAll,
    bimodal: Math.min(left, right) > 0 && centre < 0.5 * Math.min(left, right),
  };
}

/** All weights of a net with these layer widths (biases are never pruned and not counted). */
export const weightsOf = (layers: readonly number[]): number =>
  layers.slice(1).reduce((n, out, i) => n + out * layers[i]!, 0);

/** What a step shows: plain data; StoryMode draws it with the lab's charts. */
export type StoryFigure =
  /** Test accuracy while training: the ticket of every round to `upTo`, and the controls of one. */
  | { kind: 'accuracy'; upTo: number; controlsOf: number | null; fromStart: boolean }
  | { kind: 'pm'; measure: 'accuracy' | 'iteration' }
  | { kind: 'histograms'; round: number }
  | { kind: 'none' };

export interface StoryStep {
  /** Stable while the run grows: the step on screen stays on screen as rounds are added. */
  key: string;
  title: string;
  /** The round the step is about (null: the run as a whole). */
  round: number | null;
  figure: StoryFigure;
  sentences: string[];
}

/** What the story reads: the store's rounds (trial 0), the rounds over seeds, the run's config. */
export interface StoryRun {
  rounds: readonly RoundView[];
  trialRounds: readonly RunRound[];
  config: ExperimentConfig | null;
  /** A run is training (or a replay playing): more rounds will come. */
  live: boolean;
}

export const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const label = (c: ControlName) => VARIANT_LABEL[c];

export interface Ctx {
  config: ExperimentConfig;
  trialRounds: readonly RunRound[];
  dense: DoneRound;
  seeds: number;
}

export const seedsOf = (c: ExperimentConfig) => c.training.trials;

/** Whose lines the accuracy chart draws, said once a run has several seeds. */
export const seedNote = (ctx: Ctx): string[] =>
  ctx.seeds > 1 ? [`The lines are seed 0's, one of the run's ${ctx.seeds} seeds.`] : [];

/** One control against the ticket at a round, in words: the verdict over seeds, or one seed's gap. */
export function controlWords(ctx: Ctx, r: DoneRound, c: ControlName): string | null {
  const g = gapAt(r, ctx.trialRounds, c, ctx.config.data.testSize, label(c));
  if (!g) return null;
  if (g.verdict) return `${cap(g.verdict.words)}.`;
  return `${cap(label(c))} is ${behindWords(g.gap)} (seed 0 alone: may be seed noise).`;
}
