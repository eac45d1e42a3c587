/**
 * A run's row in the history (issue 4), as the worker training it keeps it: created for a new
 * run, marked running when a stored one goes on, every completed round saved with what continuing
 * needs, every backend that trains it named, and at a stop marked stopped (or dropped, if it never
 * completed a round). Only writes of the row live here; the training loop stays in the handler.
 */
import type { RoundResult } from '../engine/experiment';
import type { TrialSet } from '../engine/trial-set';
import type { OtherTrial } from '../history/stored-trials';
import { type RoundWeights, storedWeights, storedWeightsBytes } from '../history/stored-weights';
import type { RunOrigin } from '../history/run-meta';
import type { StartedBackend } from './backends';
import { type LabEvent, backendLabel, errorMessage as message } from './protocol';
import type { RunStore } from './run-plan';
import { hasRoom, isQuotaError, roundBytes, storageFullMessage } from './storage-full';

export interface RecordSay {
  post(e: LabEvent): void;
  error(text: string): void;
}

export class RunRecord {
  private saved = 0;
  /** Set once this worker holds the run's lock: only then may it write the run's status. */
  private owned = false;

  private constructor(
    private readonly history: RunStore,
    readonly id: string,
    /** Created by this worker (a new run), not a stored one going on. */
    private readonly created: boolean,
    private readonly say: RecordSay,
  ) {}

  /** A stored run this worker goes on with. */
  static stored(history: RunStore, id: string, say: RecordSay): RunRecord {
    return new RunRecord(history, id, false, say);
  }

  /** The record of `plan`'s run: the stored run it goes on with, or a new row. */
  static async of(
    history: RunStore,
    plan: { runId?: string; name: string; origin: RunOrigin },
    trials: TrialSet,
    backend: StartedBackend,
    say: RecordSay,
  ): Promise<RunRecord | null> {
    return plan.runId
      ? RunRecord.stored(history, plan.runId, say)
      : RunRecord.create(history, trials, { name: plan.name, origin: plan.origin, backend }, say);
  }

  /** A new run's row; null (saying so) if it cannot be written: the run trains unsaved. */
  static async create(
    history: RunStore,
    trials: TrialSet,
    meta: { name: string; origin: RunOrigin; backend: StartedBackend },
    say: RecordSay,
  ): Promise<RunRecord | null> {
    // θ0 of the first trial; the others draw theirs again from their seeds.
    const experiment = trials.experiments[0]!;
    try {
      const { id } = await history.createRun({
        name: meta.name,
        config: experiment.config,
        backend: backendLabel(meta.backend.info),
        origin: meta.origin,
        theta0: experiment.theta0,
        rewindTo: experiment.rewindWeights,
        firstRound: experiment.round,
      });
      return new RunRecord(history, id, true, say);
    } catch (e) {
      say.error(`this run will not be saved: ${message(e)}`);
      return null;
    }
  }

  /** The lock is held: the row is this worker's to write; a stored run is marked running. */
  async own(backend: StartedBackend): Promise<void> {
    this.owned = true;
    if (this.created) return;
    await this.history.setStatus(this.id, 'running');
    await this.trainedOn(backend);
  }

  /**
   * A completed round of every trial (`results`, in trial order), with what continuing needs, in
   * one write. If it cannot be written (a full disk, say), or the browser's estimate says it will
   * not fit, the run holds (`hold`): going on would lose the round for good. Resume tries again.
   */
  async save(
    trials: TrialSet,
    results: readonly RoundResult[],
    hold: (detail: string) => Promise<void>,
    /** Trial 0's trained weights of the round, kept with it (issue 16); null: not kept. */
    trained: RoundWeights | null = null,
  ): Promise<void> {
    const [first, ...rest] = trials.experiments;
    const weights = trained && storedWeights(trained);
    const result = results[0]!;
    const masks = first!.ticketMasks.map((m) => m.bits);
    const others: OtherTrial[] = rest.map((e, i) => ({
      trial: e.trial,
      seed: e.seed,
      result: results[i + 1]!,
      masks: e.ticketMasks.map((m) => m.bits),
      continuation: e.continuation(),
    }));
    const need =
      roundBytes(
        results,
        trials.experiments.flatMap((e) => e.ticketMasks.map((m) => m.bits.length)),
      ) + (weights ? storedWeightsBytes(weights) : 0);
    for (;;) {
      // Not written where the browser's own estimate says it will not fit: said, and held, alike.
      if (!(await hasRoom(need))) {
        this.say.error(await storageFullMessage(result.round));
        await hold(`round ${result.round} not saved: storage full`);
        continue;
      }
      try {
        const run = await this.history.saveRound(
          this.id,
          result,
          masks,
          first!.continuation(),
          Date.now(),
          others,
          weights,
        );
        this.say.post({ type: 'runSaved', run });
        this.saved++;
        return;
      } catch (e) {
        const full = isQuotaError(e);
        this.say.error(
          full
            ? await storageFullMessage(result.round)
            : `round ${result.round} could not be saved to the run history (${message(e)}): the run holds; Resume tries again, Stop gives the round up`,
        );
        await hold(`round ${result.round} not saved${full ? ': storage full' : ''}`);
      }
    }
  }

  /** The row names every backend that trained the run; a failed write costs only that. */
  async trainedOn(backend: StartedBackend): Promise<void> {
    try {
      this.say.post({
        type: 'runSaved',
        run: await this.history.trainedOn(this.id, backendLabel(backend.info)),
      });
    } catch (e) {
      this.say.error(`the run history could not note the backend now training: ${message(e)}`);
    }
  }

  /**
   * A run that stopped or failed: marked stopped, or dropped if it was new and completed no round.
   */
  async ended(): Promise<void> {
    if (!this.owned) return;
    try {
      if (this.created && this.saved === 0) await this.history.delete(this.id);
      else
        this.say.post({ type: 'runSaved', run: await this.history.setStatus(this.id, 'stopped') });
    } catch (e) {
      this.say.error(`the run's status could not be saved: ${message(e)}`);
    }
  }
}
