/**
 * A stored run as the history lists it (`RunMeta`), where it came from and how it stands, and the
 * few rules that make such a record: its name until renamed, its chain of backends, its best
 * ticket. The database that keeps the records is run-db.ts.
 */
import { type ExperimentConfig, beyondThePaper } from '../engine/config';
import type { RoundResult } from '../engine/experiment';
import type { Params } from '../engine/init';
import { MAX_LABEL, clipLabel } from '../formats/check';

/** running: a worker was training it when last seen (if none is now, it was interrupted). */
export type RunStatus = 'running' | 'stopped' | 'done';
/**
 * lab: trained here; imported: a run file; recorded: the lecture run the app ships; ticket: an
 * imported ticket trained here.
 */
export type RunOrigin = 'lab' | 'imported' | 'recorded' | 'ticket';

export interface RunMeta {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  config: ExperimentConfig;
  /** Where it trained: "simd · …", or after a fallback every backend in turn (BACKEND_SEP). */
  backend: string;
  status: RunStatus;
  origin: RunOrigin;
  /** The first round trained (0; an imported ticket trains only its own round). */
  firstRound: number;
  /** Completed rounds, and the P_m and best ticket accuracy (at early stop) they reached. */
  roundsDone: number;
  remaining: number;
  bestAccuracy: number | null;
  /** True while the next round can be trained from the stored state. */
  continuable: boolean;
  /**
   * The engine whose results it holds (ENGINE_VERSION; a file's `engine`); null: unknown or
   * before engine 2 (issue 16), whose Figure 3 histograms bin θ0 at each variant's mask. A run
   * continued keeps the engine it started with: its first rounds are that engine's.
   */
  engine: string | null;
}

/** Between the backends a run trained on, in the order they took over. */
export const BACKEND_SEP = ' → ';

/**
 * `before` then `next`, within what a run file holds: the first and the last, if all do not fit.
 */
export function chained(before: string, next: string): string {
  const all = `${before}${BACKEND_SEP}${next}`;
  if (all.length <= MAX_LABEL) return all;
  return clipLabel([before.split(BACKEND_SEP)[0]!, '…', next].join(BACKEND_SEP));
}

export interface NewRun {
  name: string;
  config: ExperimentConfig;
  backend: string;
  origin: RunOrigin;
  theta0?: Params;
  /** Known up front for a trained ticket that rewinds: kept so it can be exported again. */
  rewindTo?: Params | null;
  firstRound?: number;
  /** The engine computing it (ENGINE_VERSION; null: a run continued from before engine 2). */
  engine?: string | null;
}

/** The best ticket accuracy at early stop among `results`, or `prior` if none is better. */
export function bestTicketAccuracy(
  results: readonly RoundResult[],
  prior: number | null,
): number | null {
  let best = prior;
  for (const r of results)
    for (const v of r.variants)
      if (v.variant === 'ticket' && (best === null || v.earlyStop.testAccuracy > best))
        best = v.earlyStop.testAccuracy;
  return best;
}

/**
 * A run's name until the user renames it: what it trains, in a few words, naming every setting
 * beyond the paper's that it changes (criterion, init, task, inputs).
 */
export function defaultRunName(c: ExperimentConfig): string {
  const controls = c.pruning.controls.length ? ` vs ${c.pruning.controls.join(', ')}` : '';
  const method = c.pruning.method === 'oneShot' ? 'one-shot' : `${c.pruning.rounds} rounds`;
  const beyond = beyondThePaper(c);
  return `${method} × ${c.training.iterations.toLocaleString('en-US')} iterations${controls}, ${beyond.length ? `${beyond.join(', ')}, ` : ''}seed ${c.training.seed}`;
}
