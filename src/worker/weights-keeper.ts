/**
 * The trained weights the worker keeps (issue 16), for the supermask slider and the drawing pad:
 * the run's θ0, and for every round of trial 0 (the trial the page shows) each variant's mask
 * and trained weights, in the round's variant order (ticket first, then its controls). Round 0's
 * ticket is the dense net. The engine's results hold no weights; these arrive through
 * Observer.variantsTrained at each round's end.
 *
 * Memory: every kept round holds K full weight arrays (LeNet-300-100: 266,200 floats, 1.06 MB
 * each): the Lecture preset keeps 1 + 12 × 3 = 37 of them, ≈ 39 MB in the worker.
 */
import type { ExperimentConfig, VariantName } from '../engine/config';
import type { Split } from '../engine/data';
import type { TrainedRound } from '../engine/experiment';
import type { Params } from '../engine/init';
import type { Mask } from '../engine/mask';
import type { RunOrigin } from '../history/run-meta';

/** One round's variants as they ended it. */
export interface KeptRound {
  round: number;
  variants: readonly VariantName[];
  /** Per variant, its masks (one per weight matrix). */
  masks: readonly (readonly Mask[])[];
  /** Per variant, its trained weights and biases (pruned weights exactly 0). */
  trained: readonly Params[];
}

/** What a run's weights are evaluated with: its config, θ0 and its test images. */
export interface KeptRun {
  config: ExperimentConfig;
  theta0: Params;
  test: Split;
  /**
   * The round it trained first and where it came from: a run trained from an imported ticket
   * starts at the ticket's round and never has a dense round (review finding 9).
   */
  firstRound: number;
  origin: RunOrigin;
}

export class WeightsKeeper {
  private kept: KeptRun | null = null;
  private readonly rounds = new Map<number, KeptRound>();
  /** Why no weights are kept, in words (null while a run's are). */
  private why: string | null = 'no run has trained in this tab yet';
  /**
   * Which run's weights these are: a new number whenever another run's weights (or none) replace
   * them, never when a round is added, so the points computed between a run's rounds stay its own.
   */
  private gen = 0;

  /** A new run (or a stored one reopened): forgets the last one's weights. */
  begin(run: KeptRun): void {
    this.gen++;
    this.kept = run;
    this.rounds.clear();
    this.why = null;
  }

  /** Nothing to keep (a replay, a run file): `why` says so on the page. */
  forget(why: string): void {
    this.gen++;
    this.kept = null;
    this.rounds.clear();
    this.why = why;
  }

  /** A round of trial 0 as it ended (other trials are not shown, so not kept). */
  keep(trial: number, t: TrainedRound): void {
    if (trial !== 0 || !this.kept) return;
    this.add({
      round: t.round,
      variants: t.variants,
      masks: t.starts.map((s) => s.masks),
      trained: t.params,
    });
  }

  add(r: KeptRound): void {
    if (r.variants.length !== r.trained.length || r.variants.length !== r.masks.length)
      throw new RangeError(`round ${r.round}: variants, masks and weights do not match`);
    this.rounds.set(r.round, r);
  }

  get generation(): number {
    return this.gen;
  }

  get run(): KeptRun | null {
    return this.kept;
  }

  round(round: number): KeptRound | null {
    return this.rounds.get(round) ?? null;
  }

  /** The dense net (round 0's ticket, trained), once round 0 has ended. */
  get dense(): Params | null {
    return this.rounds.get(0)?.trained[0] ?? null;
  }

  /**
   * Why this run will never have a dense net to offer (the slider's one-shot masks and the pad's
   * first network need round 0's trained weights), in words; null when it has one or will.
   */
  get noDense(): string | null {
    const run = this.kept;
    if (!run || this.rounds.has(0) || run.firstRound === 0) return null;
    const held = this.keptRounds;
    const holds = held.length
      ? `; it holds round${held.length > 1 ? 's' : ''} ${held.join(', ')}`
      : '';
    return run.origin === 'ticket'
      ? `this run trained an imported ticket from round ${run.firstRound}: it has no dense round, so no trained dense net${holds}`
      : `this run went on from round ${run.firstRound} of a stored run whose dense round's trained weights were not stored${holds}`;
  }

  /** The rounds kept, in order. */
  get keptRounds(): number[] {
    return [...this.rounds.keys()].sort((a, b) => a - b);
  }

  /** Why a round's weights cannot be used, in words; null when they are kept. */
  missing(round: number): string | null {
    if (this.rounds.has(round)) return null;
    const held = this.keptRounds;
    const reason =
      this.why ??
      (round === 0 ? this.noDense : null) ??
      (held.length === 0
        ? 'the run has not finished a round yet'
        : `this run's kept rounds are ${held.join(', ')}`);
    return `round ${round}'s trained weights are not kept: ${reason}`;
  }

  /** The 'weightsKept' event's fields. */
  summary(): { rounds: number[]; none: string | null; noDense: string | null; generation: number } {
    return {
      rounds: this.keptRounds,
      none: this.kept ? null : this.why,
      noDense: this.noDense,
      generation: this.gen,
    };
  }
}
