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
    band: pm[v]!.map((p) => ({ remainingPct: p.remainingPct, lo: p.lo, hi: p.hi })),
    scatter: pm[v]!.flatMap((p) =>
      p.values.map((value) => ({ remainingPct: p.remainingPct, value })),
    ),
  }));
}

/** What a figure over seeds draws, in words: its key. */
export const seedsKey = (seeds: number): string =>
  `line: mean of ${seeds} seeds · band: ±1 sd · dots: each seed`;
