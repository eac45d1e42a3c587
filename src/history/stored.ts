/**
 * The run history's records as IndexedDB keeps them: schema version 1 (issue 4), unchanged since.
 * The lab's own names have moved on (issue 13): a run that can go on is `continuable` (stored as
 * `resumable`), what it goes on from is a `Continuation` (stored as `resume`), and a variant's
 * early stop is one `EarlyStop` (stored as three flat fields, as run files write it too). This
 * module is the one place that translates, both ways, so that a history written by an earlier
 * lab opens in this one, and one this lab writes opens in an earlier one: no upgrade, no
 * version an open tab of another build would refuse. A config stored before trials existed is
 * read as a one-trial run's.
 */
import { withLaterDefaults } from '../engine/config';
import type { Continuation, RoundResult, VariantResult } from '../engine/experiment';
import type { Params } from '../engine/init';
import { packBits, unpackBits } from '../formats/bits';
import { earlyStopFields } from '../formats/check';
import type { RunMeta } from './run-meta';
import type { StoredTrial } from './stored-trials';
import type { StoredWeights } from './stored-weights';

export const DB_VERSION = 1;
export const STORES = ['runs', 'rounds', 'states'] as const;

/** A run as stored. */
export type StoredRun = Omit<RunMeta, 'continuable'> & { resumable: boolean };

export const storedRun = ({ continuable, ...meta }: RunMeta): StoredRun => ({
  ...meta,
  resumable: continuable,
});

export const runOf = ({ resumable, ...stored }: StoredRun): RunMeta => ({
  ...stored,
  // Runs stored before trials existed (issue 14) ran one trial, and before issue 16's settings
  // with their defaults; their configs do not say so.
  config: withLaterDefaults({
    ...stored.config,
    training: { ...stored.config.training, trials: stored.config.training.trials ?? 1 },
  }),
  continuable: resumable,
  // Stored before runs named their engine (issue 16): engine 1's results.
  engine: stored.engine ?? null,
});

/** A variant's result as stored: the early stop flat. */
type StoredVariant = Omit<VariantResult, 'earlyStop'> & ReturnType<typeof earlyStopFields>;
export type StoredRound = Omit<RoundResult, 'variants'> & { variants: StoredVariant[] };

export const storedRound = (r: RoundResult): StoredRound => ({
  ...r,
  variants: r.variants.map(({ earlyStop, ...v }) => ({ ...v, ...earlyStopFields(earlyStop) })),
});

export const roundOf = (r: StoredRound): RoundResult => ({
  ...r,
  variants: r.variants.map(
    ({ earlyStopIteration, earlyStopTestAccuracy, earlyStopValidationAccuracy, ...v }) => ({
      ...v,
      earlyStop: {
        iteration: earlyStopIteration,
        validationAccuracy: earlyStopValidationAccuracy,
        testAccuracy: earlyStopTestAccuracy,
      },
    }),
  ),
});

export interface RoundRecord {
  runId: string;
  round: number;
  result: StoredRound;
  /**
   * The ticket's masks of this round, bit-packed, and their lengths; null where none were kept
   * (imported runs).
   */
  masks: Uint8Array[] | null;
  maskSizes: number[] | null;
  /** The trial `result` is (absent: trial 0), and the round's other trials (stored-trials.ts). */
  trial?: number;
  trials?: StoredTrial[];
  /** Trial 0's trained weights of this round (issue 16; absent: stored before they were kept). */
  weights?: StoredWeights;
}

/** A Continuation as stored: its masks bit-packed, with their lengths. */
export type StoredContinuation = Omit<Continuation, 'masks'> & {
  masks: Uint8Array[];
  sizes: number[];
};

export interface StateRecord {
  runId: string;
  theta0: Params | null;
  /**
   * The weights a rewinding run resets survivors to (kept after the run is done, for ticket
   * export).
   */
  rewindTo: Params | null;
  /** What the run continues from; null once it is done. */
  resume: StoredContinuation | null;
  /** Trials 1, 2, … of a run of several: what each continues from (stored-trials.ts), and the
   * weights each rewinds to (kept after the run is done, for ticket export). */
  trialResumes?: (StoredContinuation | null)[];
  trialRewindTo?: (Params | null)[];
}

export const storedContinuation = (c: Continuation | null): StoredContinuation | null =>
  c && { ...c, masks: c.masks.map(packBits), sizes: c.masks.map((m) => m.length) };

export function continuationOf(s: StoredContinuation | null): Continuation | null {
  if (!s) return null;
  const { sizes, masks, ...rest } = s;
  return { ...rest, masks: masks.map((m, l) => unpackBits(m, sizes[l]!)) };
}

/** Creates the stores of a new database (version 1: nothing older exists to upgrade). */
export function createStores(db: IDBDatabase): void {
  if (!db.objectStoreNames.contains('runs')) db.createObjectStore('runs', { keyPath: 'id' });
  if (!db.objectStoreNames.contains('rounds'))
    db.createObjectStore('rounds', { keyPath: ['runId', 'round'] });
  if (!db.objectStoreNames.contains('states')) db.createObjectStore('states', { keyPath: 'runId' });
}
