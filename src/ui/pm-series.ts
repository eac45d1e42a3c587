/**
 * The series of the figures against P_m (charts 2 and 3): one seed's points, or over several
 * seeds (issue 14) the mean with its ±1 sd band and every seed's own value.
 */
import type { PmSeries } from '../charts/PmChart';
import type { RunRound } from '../engine/trials';
import { VARIANT_COLOR, VARIANT_LABEL, VARIANT_ORDER } from '../settings/labels';
import { type PmPoint, byRemaining } from '../state/derive';
import { type Measure, spreadByRemaining } from '../state/over-trials';
import type { RoundSummary } from '../worker/protocol';

const style = (v: (typeof VARIANT_ORDER)[number]) => ({
  key: v,
  label: VARIANT_LABEL[v],
  color: VARIANT_COLOR[v],
  dashed: v !== 'ticket',
});

/** One seed: each variant's value at each completed round. */
export function oneSeedSeries(
  summaries: readonly (RoundSummary | null)[],
  value: (p: PmPoint) => number,
): PmSeries[] {
  const pm = byRemaining(summaries);
  return VARIANT_ORDER.filter((v) => pm[v]).map((v) => ({
    ...style(v),
    points: pm[v]!.map((p) => ({ remainingPct: p.remainingPct, value: value(p) })),
  }));
}

/** Several seeds: the mean, the band of ±1 sd around it, and each seed's own value. */
export function seedsSeries(rounds: readonly RunRound[], measure: Measure): PmSeries[] {
  const pm = spreadByRemaining(rounds, measure);
  return VARIANT_ORDER.filter((v) => pm[v]).map((v) => ({
    ...style(v),
    points: pm[v]!.map((p) => ({ remainingPct: p.remainingPct, value: p.mean })),
    // A control's seeds and band begin where it trained: its dense start is the ticket's.
    band: pm[v]!.filter((p) => !p.dense).map((p) => ({
      remainingPct: p.remainingPct,
      lo: p.lo,
      hi: p.hi,
    })),
    scatter: pm[v]!.flatMap((p) =>
      p.dense ? [] : p.values.map((value) => ({ remainingPct: p.remainingPct, value })),
    ),
  }));
}

/**
 * A figure's series of `value` (read off a result's early stop): over the seeds' rounds where the
 * run has several, else off the one seed's summaries as they stream in.
 */
export function pmSeries(
  seeds: number,
  summaries: readonly (RoundSummary | null)[],
  rounds: readonly RunRound[],
  value: (result: Pick<PmPoint, 'earlyStop'>) => number,
): PmSeries[] {
  return seeds > 1 ? seedsSeries(rounds, value) : oneSeedSeries(summaries, value);
}

/** What a figure over seeds draws, in words: its key. */
export const seedsKey = (seeds: number): string =>
  `line: mean of ${seeds} seeds · band: ±1 sd · dots: each seed`;

/**
 * A figure's caption from the series it draws: each variant's value at the sparsest round shown,
 * beside the dense net's, and what the numbers are (means of several seeds, or one seed's, which
 * may be noise). Never a claim the lines do not show.
 */
export function pmCaption(
  series: readonly PmSeries[],
  format: (v: number) => string,
  seeds: number,
): string {
  const ticket = series.find((s) => s.key === 'ticket');
  const dense = ticket?.points[0];
  const last = ticket?.points[ticket.points.length - 1];
  if (!dense || !last) return 'Each completed round adds a point.';
  const what = seeds > 1 ? `Means of ${seeds} seeds.` : 'One seed: differences may be seed noise.';
  if (last === dense) return `The dense net (100%): ${format(dense.value)}. ${what}`;
  const at = series.flatMap((s) => {
    const p = s.points.find((q) => q.remainingPct === last.remainingPct);
    return p ? [`${s.label} ${format(p.value)}`] : [];
  });
  return `At ${last.remainingPct.toFixed(1)}% of weights: ${at.join(', ')}; the dense net (100%) ${format(dense.value)}. ${what}`;
}
