/**
 * Captions of figures 1 and 7 (the curves), computed from the data they draw (issue 15): a
 * caption states the numbers the lines show and compares only what they show, so a run whose
 * sparse ticket is slower is never captioned "faster". The curves are one seed's (trial 0 where a
 * run has several), so every comparison says it may be seed noise.
 */
import type { CurvePoint } from '../engine/metrics';
import { VARIANT_LABEL } from '../settings/labels';
import type { RoundView } from '../state/types';

export const pct = (x: number, d = 1): string => `${(x * 100).toFixed(d)}%`;
export const int = (v: number): string => Math.round(v).toLocaleString('en-US');

/** What a comparison of one seed's curves is worth, in words. */
export function oneSeedNote(seeds: number): string {
  return seeds > 1
    ? `Trial 0 of ${seeds} seeds: a difference may be seed noise.`
    : 'One seed: a difference may be seed noise.';
}

/** "sooner than b", "later than b" or "at the same iteration as b": a's iteration against b's. */
function when(a: number, b: number, name: string): string {
  return a < b
    ? `sooner than ${name}`
    : a > b
      ? `later than ${name}`
      : `at the same iteration as ${name}`;
}

/** One round's ticket as Figure 1 draws it. */
export interface TicketCurve {
  round: number;
  remaining: number;
  /** Every evaluation so far, in iteration order (not decimated: the caption's numbers are exact). */
  points: readonly Pick<CurvePoint, 'iteration' | 'testAccuracy'>[];
  /** The round has finished: its curve is whole. */
  finished: boolean;
}

/** The first iteration at which a curve reaches `level`, or null. */
export function firstReaching(
  points: readonly Pick<CurvePoint, 'iteration' | 'testAccuracy'>[],
  level: number,
): number | null {
  return points.find((p) => p.testAccuracy >= level)?.iteration ?? null;
}

/**
 * Figure 1: how soon the sparsest finished ticket reaches a test accuracy both it and the dense
 * net reach (the lower of their peaks, rounded down to a whole percent), against the dense net.
 */
export function accuracyCaption(tickets: readonly TicketCurve[], seeds: number): string {
  const finished = tickets.filter((t) => t.finished && t.points.length > 0);
  const dense = finished.find((t) => t.round === 0);
  const sparse = finished[finished.length - 1];
  if (!dense || !sparse || sparse === dense)
    return 'Once a pruned round finishes, this says how soon its ticket learns against the dense net.';
  const peak = (t: TicketCurve) => Math.max(...t.points.map((p) => p.testAccuracy));
  const level = Math.floor(100 * Math.min(peak(dense), peak(sparse)) + 1e-9) / 100;
  const d = firstReaching(dense.points, level)!;
  const s = firstReaching(sparse.points, level)!;
  const untrained = s === sparse.points[0]!.iteration ? ', before any training' : '';
  const at = `The ticket at ${pct(sparse.remaining)} of weights (round ${sparse.round})`;
  const verdict =
    s === d
      ? `${at} and the dense net both first reach ${pct(level, 0)} test accuracy at iteration ${int(s)}${untrained}.`
      : `${at} first reaches ${pct(level, 0)} test accuracy at iteration ${int(s)}${untrained}, the dense net at ${int(d)}: the sparse ticket gets there ${when(s, d, 'the dense net')}.`;
  return `${verdict} ${oneSeedNote(seeds)}`;
}

/** One variant's curve in the round Figure 7 shows. */
export interface LossCurve {
  label: string;
  points: readonly Pick<CurvePoint, 'iteration' | 'validationLoss'>[];
}

/** The iteration of lowest validation loss (the early stop; ties to the earlier), or null. */
export function lowestLossAt(
  points: readonly Pick<CurvePoint, 'iteration' | 'validationLoss'>[],
): number | null {
  let best: (typeof points)[number] | undefined;
  for (const p of points) if (!best || p.validationLoss < best.validationLoss) best = p;
  return best?.iteration ?? null;
}

/**
 * Figure 7: where each variant's validation loss bottoms out in the shown round, and whether the
 * ticket's comes before or after each control's. `variants` lists the ticket first.
 */
export function lossCaption(
  shown: { round: number; remaining: number; finished: boolean } | null,
  variants: readonly LossCurve[],
  seeds: number,
): string {
  const lows = variants.flatMap((v) => {
    const at = lowestLossAt(v.points);
    return at === null ? [] : [{ label: v.label, at }];
  });
  const [ticket, ...controls] = lows;
  if (!shown || !ticket) return 'Validation loss bottoms out at the early-stop iteration.';
  const soFar = shown.finished ? '' : ' so far';
  const where =
    shown.round === 0
      ? 'the dense net'
      : `round ${shown.round}, ${pct(shown.remaining)} of weights`;
  const list = lows.map((l) => `${l.label} ${int(l.at)}`).join(', ');
  const head = `Validation loss bottoms out (the early stop) in ${where}${soFar} at iteration: ${list}.`;
  if (controls.length === 0) return head;
  const against = controls.map((c) => when(ticket.at, c.at, c.label)).join(', ');
  return `${head} The ticket gets there ${against}. ${oneSeedNote(seeds)}`;
}

/*
 * The figures' captions from the store's rounds. The curves are taken whole, not decimated as
 * drawn: the numbers are exact and match the rounds table's early stops.
 */

/** Figure 1's caption from every round's ticket. */
export function roundsAccuracyCaption(rounds: readonly RoundView[], seeds: number): string {
  return accuracyCaption(
    rounds.map((r) => ({
      round: r.round,
      remaining: r.remaining,
      points: r.curves.ticket ?? [],
      finished: r.summary !== null,
    })),
    seeds,
  );
}

/** Figure 7's caption from the round the scrubber shows. */
export function shownLossCaption(shown: RoundView | null, seeds: number): string {
  return lossCaption(
    shown && { round: shown.round, remaining: shown.remaining, finished: shown.summary !== null },
    (shown?.variants ?? []).map((v) => ({
      label: VARIANT_LABEL[v],
      points: shown!.curves[v] ?? [],
    })),
    seeds,
  );
}
