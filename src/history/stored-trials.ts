/**
 * A run's trials in the history (issue 14), within schema version 1. A round's record keeps, as
 * it always did, one trial's result in `result` (trial 0 of a run trained here) and, beside it in
 * `trials`, every other trial's result and masks; a run's state keeps the other trials'
 * continuations in `trialResumes`. A lab that predates trials reads such a run as its first trial
 * alone; this one reads a run stored before trials as a one-trial run. θ0 is kept for the first
 * trial only: the others draw theirs again from their seeds.
 */
import type { ExperimentConfig } from '../engine/config';
import type { Continuation, RoundResult } from '../engine/experiment';
import { trialSeed } from '../engine/trial-seed';
import {
  type RunRound,
  type TrialResult,
  roundsOfTrial,
  runRound,
  trialResult,
} from '../engine/trials';
import type { Params } from '../engine/init';
import { packBits, unpackBits } from '../formats/bits';
import { type RunMeta, type RunOrigin, bestTicketAccuracy } from './run-meta';
import {
  type RoundRecord,
  type StateRecord,
  type StoredContinuation,
  type StoredRound,
  continuationOf,
  roundOf,
  storedContinuation,
  storedRound,
} from './stored';

/** A trial other than the first, as a round's save receives it. */
export interface OtherTrial {
  trial: number;
  seed: number;
  result: RoundResult;
  /** Its ticket's masks this round (0/1 per weight), or null where none are kept. */
  masks: readonly Uint8Array[] | null;
  /** What it continues from after this round; null once done. */
  continuation: Continuation | null;
}

/** A trial other than the first, as a round's record keeps it. */
export interface StoredTrial {
  trial: number;
  seed: number;
  result: StoredRound;
  masks: Uint8Array[] | null;
  maskSizes: number[] | null;
}

export const storedTrial = (t: OtherTrial): StoredTrial => ({
  trial: t.trial,
  seed: t.seed,
  result: storedRound(t.result),
  masks: t.masks ? t.masks.map(packBits) : null,
  maskSizes: t.masks ? t.masks.map((m) => m.length) : null,
});

/** The round over every trial its record holds, in trial order, with the summary over them. */
export function runRoundOf(config: ExperimentConfig, record: RoundRecord): RunRound {
  const first = roundOf(record.result);
  const trial = record.trial ?? 0;
  const trials = [
    trialResult(first, trial, trialSeed(config.training.seed, trial)),
    ...(record.trials ?? []).map((t) => trialResult(roundOf(t.result), t.trial, t.seed)),
  ];
  return runRound(config, first.round, trials, first.remaining, first.remainingByLayer);
}

/** The other trials' continuations, in trial order, as a state record keeps them. */
export const storedResumes = (others: readonly OtherTrial[]): (StoredContinuation | null)[] =>
  others.map((t) => storedContinuation(t.continuation));

/**
 * Every trial's continuation, in trial order: the first's (with θ0 where stored) and the others'
 * (their θ0 from their seeds). Null if the run cannot continue, or a trial is missing.
 */
export function trialContinuations(
  config: ExperimentConfig,
  state: StateRecord | undefined,
): Continuation[] | null {
  const first = continuationOf(state?.resume ?? null);
  if (!first) return null;
  const others = (state?.trialResumes ?? []).map(continuationOf);
  if (others.length !== config.training.trials - 1 || others.some((c) => c === null)) return null;
  // A lab from before trials continues the first seed alone: the others stay behind.
  if (others.some((c) => c!.nextRound !== first.nextRound))
    throw new Error(
      `its seeds are out of step (trial 0 is at round ${first.nextRound}, ${others.map((c, i) => `trial ${i + 1} at round ${c!.nextRound}`).join(', ')}): an older version of the lab continued its first seed alone. Open, replay or export it; it cannot be continued`,
    );
  return [
    state?.theta0 ? { ...first, theta0: state.theta0 } : first,
    ...(others as Continuation[]),
  ];
}

/** Records of an imported run's round: its first trial as the result, the others beside it. */
export function importedRecord(runId: string, round: RunRound): RoundRecord {
  const [first, ...others] = round.trials;
  if (!first) throw new Error(`round ${round.round} holds no trial`);
  const asRound = (t: TrialResult): RoundResult => roundsOfTrial([round], t.trial)[0]!;
  return {
    runId,
    round: round.round,
    result: storedRound(asRound(first)),
    masks: null,
    maskSizes: null,
    ...(first.trial !== 0 ? { trial: first.trial } : {}),
    ...(others.length
      ? {
          trials: others.map((t) => ({
            trial: t.trial,
            seed: t.seed,
            result: storedRound(asRound(t)),
            masks: null,
            maskSizes: null,
          })),
        }
      : {}),
  };
}

/** A whole run as a file (or the recorded lecture) gives it to the history. */
export interface ImportedRun {
  name: string;
  config: ExperimentConfig;
  backend: string;
  rounds: readonly RunRound[];
  createdAt?: number;
  /** The file's `engine` (null: a version-1 file, before engines were named). */
  engine: string | null;
}

/** The history's record of an imported run (finished, not continuable), from its first trial. */
export function importedMeta(
  id: string,
  run: ImportedRun,
  origin: RunOrigin,
  now: number,
): RunMeta {
  const firsts = run.rounds.map((r) => roundOf(importedRecord(id, r).result));
  const last = firsts[firsts.length - 1];
  return {
    id,
    name: run.name,
    createdAt: run.createdAt ?? now,
    updatedAt: now,
    config: run.config,
    backend: run.backend,
    status: 'done',
    origin,
    firstRound: firsts[0]?.round ?? 0,
    roundsDone: firsts.length,
    remaining: last?.remaining ?? 1,
    bestAccuracy: bestTicketAccuracy(firsts, null),
    continuable: false,
    engine: run.engine,
  };
}

/** One trial's round as a ticket needs it (stored-trials.ts: `trialOfRound`). */
export interface TrialOfRound {
  result: RoundResult;
  masks: Uint8Array[] | null;
  rewindTo: Params | null;
}

/** Trial `trial` of a round's record, with what its run's state keeps for it; null if absent. */
export function trialOfRound(
  record: RoundRecord,
  trial: number,
  state: StateRecord | undefined,
): TrialOfRound | null {
  const unpacked = (masks: Uint8Array[] | null, sizes: number[] | null) =>
    masks && sizes ? masks.map((m, l) => unpackBits(m, sizes[l]!)) : null;
  if ((record.trial ?? 0) === trial)
    return {
      result: roundOf(record.result),
      masks: unpacked(record.masks, record.maskSizes),
      rewindTo: state?.rewindTo ?? null,
    };
  const t = record.trials?.find((x) => x.trial === trial);
  if (!t) return null;
  return {
    result: roundOf(t.result),
    masks: unpacked(t.masks, t.maskSizes),
    rewindTo: state?.trialRewindTo?.[trial - 1] ?? null,
  };
}
