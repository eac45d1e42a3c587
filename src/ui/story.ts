/**
 * Story mode's steps (issue 15): a run told round by round, each step one figure and a few
 * sentences that name what to look at. Every number is read off the rounds on screen and every
 * claim is chosen by them: a control "falls away" only where it did, a gap is in pp and says when
 * one seed cannot tell it from noise, and a step exists only once its round has finished, so a
 * live run gains steps as it trains.
 */
import type { ControlName } from '../engine/config';
import {
  accuracyAtStart,
  controlWords,
  type Ctx,
  type DoneRound,
  doneRounds,
  int,
  pct,
  pp,
  seedNote,
  seedsOf,
  type StoryRun,
  type StoryStep,
  variantOf,
  weightsOf,
} from './story-facts';
import { bimodalStep, controlsStep, earlyStopStep, masksStep } from './story-themes';
import { CRITERION_REMOVES } from '../settings/labels';

export type { StoryFigure, StoryRun, StoryStep } from './story-facts';

/** The steps of a run; one step saying what to do when no round has finished. */
export function storySteps(run: StoryRun): StoryStep[] {
  const done = doneRounds(run.rounds);
  const config = run.config;
  if (done.length === 0 || !config) return [emptyStep(run)];
  const ctx = { config, trialRounds: run.trialRounds, dense: done[0]!, seeds: seedsOf(config) };
  const steps: StoryStep[] = [denseStep(ctx)];
  const pruned = done.filter((r) => r.round > 0);
  if (pruned.length === 0) return steps;
  steps.push(pruneStep(ctx, pruned[0]!), resetStep(ctx, pruned[0]!));
  for (const r of pruned.slice(1)) steps.push(roundStep(ctx, r));
  const last = pruned[pruned.length - 1]!;
  if (config.pruning.controls.some((c) => variantOf(last, c)))
    steps.push(controlsStep(ctx, pruned));
  steps.push(earlyStopStep(ctx, pruned));
  const withHistograms = [...pruned].reverse().find((r) => r.histograms);
  if (withHistograms) steps.push(bimodalStep(ctx, withHistograms));
  if (accuracyAtStart(last, 'ticket') !== null) steps.push(masksStep(ctx, pruned));
  return steps;
}

function emptyStep(run: StoryRun): StoryStep {
  return {
    key: 'empty',
    title: 'No round has finished yet',
    round: null,
    figure: { kind: 'none' },
    sentences: run.live
      ? [
          'Round 0, the dense net, is training: its step appears here when it finishes, and each later round adds its own.',
        ]
      : [
          'Story mode tells a run round by round. Run a run (space, or Run below), or replay the recorded lecture run, and its steps appear here as its rounds finish.',
        ],
  };
}

function denseStep(ctx: Ctx): StoryStep {
  const { config, dense } = ctx;
  const t = variantOf(dense, 'ticket')!;
  const start = accuracyAtStart(dense, 'ticket');
  const layers = config.model.layers;
  return {
    key: 'dense',
    title: 'The dense net',
    round: 0,
    figure: { kind: 'accuracy', upTo: 0, controlsOf: null, fromStart: false },
    sentences: [
      `A fully connected net (${layers.join('→')}, ${int(weightsOf(layers))} weights) starts from random initial weights θ0 and trains for ${int(config.training.iterations)} iterations.`,
      `Test accuracy ${start !== null ? `climbs from ${pct(start)} at iteration 0 (chance is 10%) and ` : ''}reaches ${pct(t.earlyStop.testAccuracy, 2)} at its early stop, iteration ${int(t.earlyStop.iteration)}, where validation loss bottoms out (the dot).`,
      'Look at the one dark line: every pruned net below is held against it.',
      ...seedNote(ctx),
    ],
  };
}

/** How the ticket of round r compares with the dense net, at early stop. */
function againstDense(ctx: Ctx, r: DoneRound): string {
  const t = variantOf(r, 'ticket')!.earlyStop;
  const d = variantOf(ctx.dense, 'ticket')!.earlyStop;
  const diff = t.testAccuracy - d.testAccuracy;
  const side =
    Math.abs(diff) < 0.0005 ? 'level with' : `${pp(diff)} ${diff > 0 ? 'above' : 'below'}`;
  const when =
    t.iteration === d.iteration
      ? 'at the same iteration'
      : `${t.iteration < d.iteration ? 'earlier' : 'later'} than the dense net's ${int(d.iteration)}`;
  const noise = ctx.seeds > 1 ? ' (seed 0)' : ' (one seed: the difference may be seed noise)';
  return `The ticket reaches ${pct(t.testAccuracy, 2)} at its early stop, ${side} the dense net's ${pct(d.testAccuracy, 2)}${noise}, and stops at iteration ${int(t.iteration)}, ${when}.`;
}

function pruneStep(ctx: Ctx, r: DoneRound): StoryStep {
  const layers = r.remainingByLayer.map((k, i) => `layer ${i + 1} keeps ${pct(k)}`);
  const scope =
    ctx.config.pruning.scope === 'layer'
      ? 'the smallest of each layer'
      : 'the smallest over all layers at once';
  return {
    key: 'prune',
    title: `The first prune: ${pct(r.remaining)} of the weights remain`,
    round: r.round,
    figure: { kind: 'accuracy', upTo: r.round, controlsOf: null, fromStart: false },
    sentences: [
      `After training, ${CRITERION_REMOVES[ctx.config.pruning.criterion]} are removed, ${scope}: ${layers.join(', ')}; ${pct(r.remaining)} of all weights remain (P_m).`,
      againstDense(ctx, r),
      'Look at the new, brighter line beside the dark one.',
    ],
  };
}

const CONTROL_MEANS: Record<ControlName, string> = {
  reinit: 'random reinit keeps the mask but draws new random initial weights',
  rearrange: "rearranged connections keep each layer's count but place them at random",
  random: 'random pruning removes as many weights, chosen at random',
  signed: "reinit with θ0's signs keeps the mask and each weight's sign but draws new magnitudes",
};

function resetStep(ctx: Ctx, r: DoneRound): StoryStep {
  const reset = ctx.config.pruning.reset;
  const controls = ctx.config.pruning.controls.filter((c) => variantOf(r, c));
  const back =
    reset.kind === 'init'
      ? 'reset to its value in θ0, the random value it started from before round 0'
      : `rewound to its value at iteration ${int(reset.iteration)} of the dense net's training`;
  return {
    key: 'reset',
    title:
      reset.kind === 'init' ? 'The reset to θ0' : `The rewind to iteration ${int(reset.iteration)}`,
    round: r.round,
    figure: { kind: 'accuracy', upTo: r.round, controlsOf: r.round, fromStart: false },
    sentences: [
      `The survivors do not keep their trained values: each is ${back}, and the pruned net trains again from there. That pruned net with its original start is the ticket.`,
      ...(controls.length > 0
        ? [
            `The dashed lines are controls with the same P_m: ${controls.map((c) => CONTROL_MEANS[c]).join('; ')}.`,
            ...controls.flatMap((c) => controlWords(ctx, r, c) ?? []),
            'Look at the solid line against the dashed ones.',
          ]
        : ['This run trains no controls: add random reinit to see what the start is worth.']),
    ],
  };
}

function roundStep(ctx: Ctx, r: DoneRound): StoryStep {
  const how =
    ctx.config.pruning.method === 'iterative'
      ? `Pruned again from round ${r.round - 1}'s trained ticket`
      : "Pruned in one step from the dense net's trained weights";
  const controls = ctx.config.pruning.controls.filter((c) => variantOf(r, c));
  return {
    key: `round-${r.round}`,
    title: `Round ${r.round}: ${pct(r.remaining)} of the weights remain`,
    round: r.round,
    figure: {
      kind: 'accuracy',
      upTo: r.round,
      controlsOf: controls.length ? r.round : null,
      fromStart: false,
    },
    sentences: [
      `${how} and ${ctx.config.pruning.reset.kind === 'init' ? 'reset to θ0' : `rewound to iteration ${int(ctx.config.pruning.reset.iteration)}`}: ${int(r.remaining * weightsOf(ctx.config.model.layers))} weights remain.`,
      againstDense(ctx, r),
      ...controls.flatMap((c) => controlWords(ctx, r, c) ?? []),
      `Look at round ${r.round}'s line, the brightest${controls.length ? ', and its dashed controls' : ''}.`,
    ],
  };
}

export type StoryMove = 'next' | 'previous' | 'first' | 'last';

/** The index of the step on screen: the one named by `key`, else the first. */
export function stepIndex(steps: readonly StoryStep[], key: string | null): number {
  return Math.max(
    0,
    steps.findIndex((s) => s.key === key),
  );
}

/** The key of the step a move lands on, kept within the steps there are. */
export function movedStep(
  steps: readonly StoryStep[],
  key: string | null,
  move: StoryMove,
): string {
  const i = stepIndex(steps, key);
  const to = { next: i + 1, previous: i - 1, first: 0, last: steps.length - 1 }[move];
  return steps[Math.min(steps.length - 1, Math.max(0, to))]!.key;
}
