/** Story runs for the narration's tests: from a run's rounds over trials, as the page holds them. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunRound } from '../engine/trials';
import { decodeRunFile, type RunFile } from '../formats/run-file';
import type { RoundView } from '../state/types';
import { roundViewOf } from '../state/history-slice';
import { leanRound } from '../worker/events';
import type { StoryRun } from './story';

/** Trial 0's round as the store keeps it: curves, summary and histograms. */
export function trialZeroView(r: RunRound): RoundView {
  const t = r.trials[0]!;
  return roundViewOf({
    round: r.round,
    remaining: r.remaining,
    remainingByLayer: r.remainingByLayer,
    variants: t.variants,
    wallMs: t.wallMs,
    examplesPerSecond: t.examplesPerSecond,
  });
}

/** The story of a run file's first `rounds` rounds. */
export function storyRunOf(file: RunFile, rounds = file.rounds.length, live = false): StoryRun {
  const kept = file.rounds.slice(0, rounds);
  return {
    rounds: kept.map(trialZeroView),
    trialRounds: kept.map(leanRound),
    config: file.config,
    live,
  };
}

/** The recorded lecture run the app ships (five seeds, twelve pruned rounds), read from disk. */
export const recordedRun = (): RunFile =>
  decodeRunFile(readFileSync(resolve('public/recorded/lecture-5-trials.json'), 'utf8'));
