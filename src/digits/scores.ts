/**
 * What the networks say of a drawn digit, in numbers and words (issue 16): the top digit of each
 * network's probabilities, and each network's accuracy on the user's kept digits. Pure; the
 * words are computed from the numbers the page shows beside them.
 */
import { DIGIT_WORDS } from './kept';

/** A network's answer: the shape of the worker's ClassifyAnswer, without importing the worker. */
export interface Answer {
  network: string;
  probabilities: ArrayLike<number>;
}

/** The most probable digit (the first of a tie) and its probability. */
export function topDigit(probabilities: ArrayLike<number>): { digit: number; p: number } {
  let digit = 0;
  for (let d = 1; d < probabilities.length; d++)
    if (probabilities[d]! > probabilities[digit]!) digit = d;
  return { digit, p: probabilities[digit] ?? 0 };
}

/** As the bars print it, so the words and the numbers beside them agree. */
const pct = (p: number) => `${(p * 100).toFixed(1)}%`;

/** "seven (7), 93.2%". */
export function topInWords(probabilities: ArrayLike<number>): string {
  const { digit, p } = topDigit(probabilities);
  return `${DIGIT_WORDS[digit]} (${digit}), ${pct(p)}`;
}

export interface NetworkScore {
  network: string;
  correct: number;
  /** Kept digits this network answered for. */
  total: number;
}

/**
 * Each network's correct answers on the kept digits: `answers` maps a digit's id to the networks'
 * answers for it (digits not yet answered are left out of every network's total). Networks in
 * the order the first answered digit lists them.
 */
export function scoreKept(
  digits: readonly { id: string; label: number }[],
  answers: Readonly<Record<string, readonly Answer[] | undefined>>,
): NetworkScore[] {
  const scores = new Map<string, NetworkScore>();
  for (const d of digits) {
    for (const a of answers[d.id] ?? []) {
      const s = scores.get(a.network) ?? { network: a.network, correct: 0, total: 0 };
      s.total++;
      if (topDigit(a.probabilities).digit === d.label) s.correct++;
      scores.set(a.network, s);
    }
  }
  return [...scores.values()];
}

/** "dense 7/9, ticket 8/9, reinit 3/9", with each network named by `name`. */
export function scoresInWords(
  scores: readonly NetworkScore[],
  name: (network: string) => string = (n) => n,
): string {
  return scores.map((s) => `${name(s.network)} ${s.correct}/${s.total}`).join(', ');
}
