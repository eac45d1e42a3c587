/**
 * A run's trials as the page hears them (issue 14): trial 0's round streams live, as a one-seed
 * run always did (its start, curve points, results and histograms); every trial's steps move the
 * progress bar; and once the last trial has finished a round, the round over all of them follows
 * (`trialsCompleted`), lean: each trial's numbers and curves, not its histograms.
 */
import type { RoundResult } from '../engine/experiment';
import type { TrialsObserver } from '../engine/lockstep';
import type { TrialSet } from '../engine/trial-set';
import { runRound, trialResult } from '../engine/trials';
import type { CurveStream } from './curve-stream';
import { histogramsOf, leanRound, summarize } from './events';
import type { LabEvent } from './protocol';

export function trialsObserver(o: {
  stream: CurveStream;
  post(e: LabEvent): void;
  batchSize: number;
  /** The run's trials. */
  trials: number;
  checkpoint: TrialsObserver['checkpoint'];
}): TrialsObserver {
  const { stream, post } = o;
  return {
    roundStarted: (trial, r) => {
      if (trial !== 0) return;
      stream.roundStarted(r.variants);
      post({ type: 'roundStarted', ...r });
    },
    curvePoint: (trial, round, variant, p) => {
      if (trial === 0) stream.point(round, variant, p);
    },
    progress: (round, iteration, iterations, trial, together = 1) =>
      stream.step(round, iteration, iterations, o.batchSize, {
        trials: o.trials,
        together,
        ...(trial !== undefined ? { trial } : {}),
      }),
    roundCompleted: (trial, r) => {
      if (trial !== 0) return;
      stream.flush();
      post({ type: 'roundCompleted', summary: summarize(r) });
      post({ type: 'histograms', round: r.round, variants: histogramsOf(r) });
    },
    ...(o.checkpoint ? { checkpoint: o.checkpoint } : {}),
  };
}

/** The round over every trial of `set` (`results` in trial order), for bands and verdicts. */
export function trialsCompleted(set: TrialSet, results: readonly RoundResult[]): LabEvent {
  const r0 = results[0]!;
  const trials = results.map((r, t) => trialResult(r, t, set.experiments[t]!.seed));
  return {
    type: 'trialsCompleted',
    round: leanRound(runRound(set.config, r0.round, trials, r0.remaining, r0.remainingByLayer)),
  };
}
