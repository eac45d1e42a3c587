/**
 * The supermask slider's words (issue 16), computed from the point on screen: the two accuracies
 * against chance, how and when they were measured, and why a mask of θ0 classifies at all (Zhou
 * et al. 2019) — said only as far as the sign counts support it.
 */
import type { SupermaskPoint } from '../worker/protocol';
import { int, pct } from './captions';

/** Chance on MNIST's ten digits. */
export const CHANCE = 0.1;

const pp = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)} pp`;

/** The two accuracies at the point's P_m, and how they were measured. */
export function supermaskReadout(p: SupermaskPoint): string {
  const when =
    p.when === 'idle'
      ? `computed in ${int(p.ms)} ms`
      : `computed in ${int(p.ms)} ms between two rounds (the run held the kernels; its own numbers are untouched)`;
  const sample = p.preview
    ? ` on the test set's first ${int(p.testSize)} digits while the slider moves: the whole test set's answer follows once it rests`
    : '';
  return (
    `At P_m ${pct(p.remaining)}: θ0 under the mask, never trained, classifies ` +
    `${pct(p.supermaskAccuracy, 2)} of ${int(p.testSize)} test digits (${pp((p.supermaskAccuracy - CHANCE) * 100)} over chance, ${pct(CHANCE, 0)}); ` +
    `the dense net's trained weights under it, not retrained, ${pct(p.prunedAccuracy, 2)}. ${when[0]!.toUpperCase()}${when.slice(1)}${sample}.`
  );
}

/**
 * Why: of the weights the mask keeps, what share kept its initial sign through training, against
 * the share among those it drops, with the difference's sampling error (two standard errors).
 */
export function signsCaption(p: SupermaskPoint): string {
  const { kept, dropped } = p.signs;
  const k = kept.of ? kept.same / kept.of : 0;
  if (dropped.of === 0)
    return `At P_m 100% the mask keeps every weight; ${pct(k)} of them kept their initial sign through training. Drag lower to see which ones the mask keeps.`;
  const d = dropped.same / dropped.of;
  const diff = (k - d) * 100;
  const se = 100 * Math.sqrt((k * (1 - k)) / kept.of + (d * (1 - d)) / dropped.of);
  const counts = `Of the ${int(kept.of)} weights this mask keeps, ${pct(k)} kept their initial sign through training; of the ${int(dropped.of)} it drops, ${pct(d)} (${pp(diff)}).`;
  if (Math.abs(diff) <= 2 * se)
    return `${counts} Within sampling error of each other: at this P_m the signs do not tell the kept weights apart.`;
  if (diff < 0)
    return `${counts} The kept weights changed sign more often than the dropped ones: here signs do not explain the supermask.`;
  const mostly =
    k > 0.5 ? `and ${pct(k)} of them kept θ0's sign` : `and those kept θ0's sign more often`;
  return `${counts} The mask keeps the weights that ended training large, ${mostly}: under the mask θ0 already leans the way training went, which is why it classifies before any training (Zhou et al. 2019).`;
}
