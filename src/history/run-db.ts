/**
 * The run history (issue 4): every completed round of every run, kept in IndexedDB so that
 * nothing a user computed is lost to a reload, a closed tab or a crashed worker.
 *
 * Three object stores, written together in one transaction when a round completes:
 * - `runs`:   one small record per run (what the history panel lists);
 * - `rounds`: per (run, round) the engine's RoundResult (curves, summaries, histograms, pixel
 *             counts) and the ticket's masks, bit-packed (29 KB for LeNet's first layer);
 * - `states`: per run θ0 and what the run needs to continue (the next round's masks, the rewind
 *             weights), as Float32Arrays: structured clones, no JSON.
 * The worker writes (it holds the weights); the page reads, renames and deletes. Both run in the
 * same origin, so they share the database.
 */
import { type ExperimentConfig, ENGINE_VERSION } from '../engine/config';
import type { Continuation, RoundResult } from '../engine/experiment';
import type { Params } from '../engine/init';
import type { RunRound } from '../engine/trials';
import { packBits } from '../formats/bits';
import {
  DB_VERSION,
  type RoundRecord,
  type StateRecord,
  STORES,
  type StoredRun,
  continuationOf,
  createStores,
  roundOf,
  storedContinuation,
  storedRound,
  storedRun,
  runOf,
} from './stored';
import {
  type ImportedRun,
  type OtherTrial,
  type TrialOfRound,
  trialOfRound,
  importedMeta,
  importedRecord,
  runRoundOf,
  storedResumes,
  storedTrial,
  trialContinuations,
} from './stored-trials';
import {
  BACKEND_SEP,
  type NewRun,
  type RunMeta,
  type RunOrigin,
  type RunStatus,
  bestTicketAccuracy,
  chained,
} from './run-meta';

import { done, finished } from './idb';
import { type StoredWeights, keptWeightsOf } from './stored-weights';

type KeptWeights = NonNullable<ReturnType<typeof keptWeightsOf>>;

export const DB_NAME = 'lottery-ticket-lab';

const newId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export class RunDb {
  private constructor(private readonly db: IDBDatabase) {
    // Another tab upgrading the schema: let it, rather than block it.
    db.onversionchange = () => db.close();
  }

  static async open(factory: IDBFactory = indexedDB, name = DB_NAME): Promise<RunDb> {
    const req = factory.open(name, DB_VERSION);
    req.onupgradeneeded = () => createStores(req.result);
    return new RunDb(await done(req));
  }

  close(): void {
    this.db.close();
  }

  private async write(f: (tx: IDBTransaction) => void): Promise<void> {
    const tx = this.db.transaction([...STORES], 'readwrite');
    const end = finished(tx);
    try {
      f(tx);
    } catch (e) {
      tx.abort();
      await end.catch(() => undefined);
      throw e;
    }
    await end;
  }

  /**
   * Reads a run and its state and writes what `f` makes of them in ONE transaction, so a rename,
   * a delete or a status change racing a round's save can neither be lost nor revive a run.
   */
  private async update(
    id: string,
    f: (meta: RunMeta, state: StateRecord, tx: IDBTransaction) => RunMeta,
  ): Promise<RunMeta> {
    const tx = this.db.transaction([...STORES], 'readwrite');
    const end = finished(tx);
    let out: RunMeta | null = null;
    let failure: unknown = null;
    const fail = (e: unknown) => {
      failure = e;
      tx.abort();
    };
    const getMeta = tx.objectStore('runs').get(id);
    getMeta.onsuccess = () => {
      const stored = getMeta.result as StoredRun | undefined;
      if (!stored) return fail(new Error(`no stored run ${id}`));
      const meta = runOf(stored);
      const getState = tx.objectStore('states').get(id);
      getState.onsuccess = () => {
        try {
          out = f(
            meta,
            (getState.result as StateRecord | undefined) ?? {
              runId: id,
              theta0: null,
              rewindTo: null,
              resume: null,
            },
            tx,
          );
          tx.objectStore('runs').put(storedRun(out));
        } catch (e) {
          fail(e);
        }
      };
    };
    try {
      await end;
    } catch (e) {
      throw failure ?? e;
    }
    return out!;
  }

  async get(id: string): Promise<RunMeta | null> {
    const stored = (await done(this.db.transaction('runs').objectStore('runs').get(id))) as
      StoredRun | undefined;
    return stored ? runOf(stored) : null;
  }

  /** A new run, empty until its first round completes. */
  async createRun(run: NewRun, now = Date.now()): Promise<RunMeta> {
    const meta: RunMeta = {
      id: newId(),
      name: run.name,
      createdAt: now,
      updatedAt: now,
      config: run.config,
      backend: run.backend,
      status: 'running',
      origin: run.origin,
      firstRound: run.firstRound ?? 0,
      roundsDone: 0,
      remaining: 1,
      bestAccuracy: null,
      continuable: false,
      engine: run.engine === undefined ? ENGINE_VERSION : run.engine,
    };
    await this.write((tx) => {
      tx.objectStore('runs').put(storedRun(meta));
      tx.objectStore('states').put({
        runId: meta.id,
        theta0: run.theta0 ?? null,
        rewindTo: run.rewindTo ?? null,
        resume: null,
      } satisfies StateRecord);
    });
    return meta;
  }

  /**
   * A completed round, its ticket masks (0/1 per weight) and the state to continue from, all in
   * one transaction: after a crash the database holds whole rounds only.
   */
  async saveRound(
    id: string,
    result: RoundResult,
    masks: readonly Uint8Array[] | null,
    continuation: Continuation | null,
    now = Date.now(),
    /** The round of the run's other trials, in trial order (issue 14). */
    others: readonly OtherTrial[] = [],
    /** Trial 0's trained weights of this round (issue 16). */
    weights: StoredWeights | null = null,
  ): Promise<RunMeta> {
    return this.update(id, (meta, state, tx) => {
      tx.objectStore('rounds').put({
        runId: id,
        round: result.round,
        result: storedRound(result),
        masks: masks ? masks.map(packBits) : null,
        maskSizes: masks ? masks.map((m) => m.length) : null,
        ...(others.length ? { trials: others.map(storedTrial) } : {}),
        ...(weights ? { weights } : {}),
      } satisfies RoundRecord);
      tx.objectStore('states').put({
        ...state,
        rewindTo: continuation?.rewindTo ?? state.rewindTo,
        resume: storedContinuation(continuation),
        ...(others.length
          ? {
              trialResumes: storedResumes(others),
              trialRewindTo: others.map(
                (t, i) => t.continuation?.rewindTo ?? state.trialRewindTo?.[i] ?? null,
              ),
            }
          : {}),
      } satisfies StateRecord);
      return {
        ...meta,
        updatedAt: now,
        roundsDone: Math.max(meta.roundsDone, result.round + 1 - meta.firstRound),
        remaining: result.remaining,
        bestAccuracy: bestTicketAccuracy([result], meta.bestAccuracy),
        continuable: continuation !== null,
        status: continuation === null ? 'done' : meta.status,
      };
    });
  }

  /** A finished run stays done: a late 'stopped' or 'running' does not reopen it. */
  async setStatus(id: string, status: RunStatus, now = Date.now()): Promise<RunMeta> {
    return this.update(id, (meta) =>
      meta.status === 'done' ? meta : { ...meta, status, updatedAt: now },
    );
  }

  /**
   * The backend that trains the run from now on (after a fallback, or a stored run continued
   * elsewhere): appended to the run's backends, "webgpu · … → simd · …", unless it is the last.
   */
  async trainedOn(id: string, backend: string, now = Date.now()): Promise<RunMeta> {
    return this.update(id, (meta) =>
      meta.backend.split(BACKEND_SEP).at(-1) === backend
        ? meta
        : { ...meta, backend: chained(meta.backend, backend), updatedAt: now },
    );
  }

  async rename(id: string, name: string, now = Date.now()): Promise<RunMeta> {
    const clean = name.trim().slice(0, 120);
    if (!clean) throw new Error('a run needs a name');
    return this.update(id, (meta) => ({ ...meta, name: clean, updatedAt: now }));
  }

  async delete(id: string): Promise<void> {
    await this.write((tx) => {
      tx.objectStore('runs').delete(id);
      tx.objectStore('states').delete(id);
      tx.objectStore('rounds').delete(IDBKeyRange.bound([id, -Infinity], [id, Infinity]));
    });
  }

  /** Every stored run, most recently updated first. */
  async list(): Promise<RunMeta[]> {
    const all = (await done(
      this.db.transaction('runs').objectStore('runs').getAll(),
    )) as StoredRun[];
    return all.map(runOf).sort((a, b) => b.updatedAt - a.updatedAt);
  }

  private async records(id: string): Promise<RoundRecord[]> {
    const records = (await done(
      this.db
        .transaction('rounds')
        .objectStore('rounds')
        .getAll(IDBKeyRange.bound([id, -Infinity], [id, Infinity])),
    )) as RoundRecord[];
    return records.sort((a, b) => a.round - b.round);
  }

  /** A run's completed rounds, in order, as its first trial (trial 0) saw them. */
  async rounds(id: string): Promise<RoundResult[]> {
    return (await this.records(id)).map((r) => roundOf(r.result));
  }

  /** A run's completed rounds over every trial it holds, in order (issue 14). */
  async runRounds(id: string, config: ExperimentConfig): Promise<RunRound[]> {
    return (await this.records(id)).map((r) => runRoundOf(config, r));
  }

  /** The ticket's masks of one round, as 0/1 per weight; null if that round kept none. */
  async roundMasks(id: string, round: number): Promise<Uint8Array[] | null> {
    return (await this.trialOfRound(id, round, 0))?.masks ?? null;
  }

  /**
   * Trial `trial`'s result of one round, its ticket's masks (0/1 per weight; null where none were
   * kept) and the weights it rewinds to (null if it resets to θ0, or they were not kept).
   */
  async trialOfRound(id: string, round: number, trial: number): Promise<TrialOfRound | null> {
    const r = (await done(this.db.transaction('rounds').objectStore('rounds').get([id, round]))) as
      RoundRecord | undefined;
    return r ? trialOfRound(r, trial, await this.state(id)) : null;
  }

  /** θ0 and trial 0's trained weights of every round that kept them (issue 16), in order. */
  async keptWeights(id: string): Promise<{ theta0: Params | null; rounds: KeptWeights[] }> {
    const [records, state] = await Promise.all([this.records(id), this.state(id)]);
    return {
      theta0: state?.theta0 ?? null,
      rounds: records.flatMap((r) => keptWeightsOf(r) ?? []),
    };
  }

  private async state(id: string): Promise<StateRecord | undefined> {
    return (await done(this.db.transaction('states').objectStore('states').get(id))) as
      StateRecord | undefined;
  }

  async theta0(id: string): Promise<Params | null> {
    return (await this.state(id))?.theta0 ?? null;
  }

  async rewindTo(id: string): Promise<Params | null> {
    return (await this.state(id))?.rewindTo ?? null;
  }

  async continuation(id: string): Promise<Continuation | null> {
    return continuationOf((await this.state(id))?.resume ?? null);
  }

  /**
   * Every trial's continuation, in trial order (the first with its stored θ0); null if the run
   * cannot continue.
   */
  async trialContinuations(id: string, config: ExperimentConfig): Promise<Continuation[] | null> {
    return trialContinuations(config, await this.state(id));
  }

  /**
   * A whole run from a file (or the recorded lecture), every trial it holds: curves and summaries,
   * no masks, not continuable.
   */
  async importRun(run: ImportedRun, origin: RunOrigin, now = Date.now()): Promise<RunMeta> {
    const meta = importedMeta(newId(), run, origin, now);
    await this.write((tx) => {
      tx.objectStore('runs').put(storedRun(meta));
      for (const r of run.rounds) tx.objectStore('rounds').put(importedRecord(meta.id, r));
    });
    return meta;
  }
}
