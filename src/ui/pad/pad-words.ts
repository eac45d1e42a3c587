/**
 * The drawing pad's words (issue 16), each computed from what the pad shows: what the networks
 * are, where the ink meets the ticket's surviving connections, and what the kept digits score.
 */
import type { KeptDigit } from '../../digits/kept';
import { scoreKept, scoresInWords } from '../../digits/scores';
import type { VariantName } from '../../engine/config';
import { VARIANT_LABEL } from '../../settings/labels';
import type { DigitAnswer } from '../../state/types';

/** Ink at or above this (of 255) counts as an inked pixel in the words. */
export const INKED = 128;

export const networkLabel = (network: string): string =>
  network === 'dense' ? 'dense' : (VARIANT_LABEL[network as VariantName] ?? network);

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * "Your digit inks 96 of 784 pixels. The winning ticket at 21.0% of weights keeps 5,021 of their
 * 28,800 connections into layer 1 (17.4%; 14.5% over the whole image); 12 inked pixels keep none."
 */
export function inkSurvivorsInWords(
  pixels: ArrayLike<number>,
  counts: ArrayLike<number>,
  fanOut: number,
  remaining: number,
): string {
  let inked = 0,
    kept = 0,
    none = 0,
    all = 0;
  for (let p = 0; p < pixels.length; p++) {
    const c = counts[p] ?? 0;
    all += c;
    if ((pixels[p] ?? 0) < INKED) continue;
    inked++;
    kept += c;
    if (c === 0) none++;
  }
  if (inked === 0) return 'Your digit has no pixel inked darker than half.';
  const dense = inked * fanOut;
  return (
    `Your digit inks ${inked} of ${pixels.length} pixels. The winning ticket at ${pct(remaining)} of ` +
    `weights keeps ${kept.toLocaleString('en-US')} of their ${dense.toLocaleString('en-US')} connections ` +
    `into layer 1 (${pct(kept / dense)}; ${pct(all / (pixels.length * fanOut))} over the whole image); ` +
    `${none === 0 ? 'every inked pixel keeps some' : `${none} inked pixel${none === 1 ? '' : 's'} keep${none === 1 ? 's' : ''} none`}.`
  );
}

/** The kept digits' answers at `at` (another round's answers are not these). */
export function answersAt(
  answers: Readonly<Record<string, DigitAnswer>>,
  at: { round: number; trial: number } | null,
): Record<string, DigitAnswer['answers']> {
  const out: Record<string, DigitAnswer['answers']> = {};
  if (!at) return out;
  for (const [id, a] of Object.entries(answers))
    if (a.round === at.round && a.trial === at.trial && a.error === null) out[id] = a.answers;
  return out;
}

/**
 * "On your 9 kept digits at round 3: dense 7/9, winning ticket 8/9, random reinit 3/9", or why
 * there is no score yet.
 */
export function keptScoreInWords(
  digits: readonly KeptDigit[],
  answers: Readonly<Record<string, DigitAnswer>>,
  at: { round: number; trial: number } | null,
): string {
  if (digits.length === 0) return 'Keep a few digits to test the networks on your own writing.';
  if (!at)
    return `${digits.length} ${digits.length === 1 ? 'digit' : 'digits'} kept: the networks score them once a round has trained.`;
  const scores = scoreKept(digits, answersAt(answers, at));
  const refused = digits.map((d) => answers[d.id]).find((a) => a?.round === at.round && a.error);
  if (scores.length === 0)
    return refused?.error
      ? `Not scored: ${refused.error}.`
      : `Scoring your ${digits.length} kept digits at round ${at.round}…`;
  const answered = Math.max(...scores.map((s) => s.total));
  return (
    `On your ${answered === digits.length ? '' : `${answered} of `}${digits.length} kept ${digits.length === 1 ? 'digit' : 'digits'} at round ${at.round}: ` +
    scoresInWords(scores, networkLabel)
  );
}

/**
 * Which networks classify the drawing: the dense net only where the run has one (a run trained
 * from an imported ticket has none: review finding 9).
 */
export function networksInWords(
  at: { round: number } | null,
  remaining: number,
  noDense: string | null,
): string {
  const round = `the round shown${at ? ` (round ${at.round}, ${pct(remaining)} of weights)` : ''}`;
  return noDense
    ? `the ticket and its controls at ${round}, as trained (no dense net: ${noDense})`
    : `the dense net and, at ${round}, the ticket and its controls, as trained`;
}
