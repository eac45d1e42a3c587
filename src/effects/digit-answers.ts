/**
 * The drawing pad's digit and the kept digits, classified by the worker's networks at the round
 * the figures show (issue 16). A new drawing is asked about at once (the pad debounces it while
 * the pen moves); when the round shown, the run on screen or the kept digits change, every digit
 * without an answer at that round is asked about again. Nothing leaves the page but these
 * commands to the lab's own worker.
 */
import { useLabStore } from '../state/lab-store';
import { labActions, selectShownRound } from '../state/selectors';
import type { ClassifyTarget, DigitAnswer, LabState } from '../state/types';
import { classifyDigit } from './worker-bridge';

let nextRequest = 1;

function ask(target: ClassifyTarget, pixels: Uint8Array): void {
  const requestId = nextRequest++;
  labActions().classifyRequested(requestId, target);
  classifyDigit({ requestId, round: target.round, trial: target.trial, pixels });
}

type At = { round: number; trial: number };
const answeredAt = (a: DigitAnswer | null | undefined, at: At) =>
  !!a && a.round === at.round && a.trial === at.trial;
const sameTarget = (t: ClassifyTarget, digit: ClassifyTarget['digit'], at: At) =>
  t.round === at.round &&
  t.trial === at.trial &&
  (digit === 'pad' ? t.digit === 'pad' : t.digit !== 'pad' && t.digit.kept === digit.kept);

/** Asks about every digit that has neither an answer at the round shown nor a request for it. */
export function classifyUnanswered(s: LabState = useLabStore.getState()): void {
  const at = selectShownRound(s);
  if (!at) return;
  const asked = Object.values(s.classifyAsked);
  const waiting = (digit: ClassifyTarget['digit']) => asked.some((t) => sameTarget(t, digit, at));
  // The pad: only its latest request counts (an older one was for another drawing).
  const latest = s.padRequest === null ? undefined : s.classifyAsked[s.padRequest];
  if (s.padDigit && !answeredAt(s.padAnswer, at) && !(latest && sameTarget(latest, 'pad', at)))
    ask({ digit: 'pad', ...at }, s.padDigit);
  for (const d of s.keptDigits) {
    const digit = { kept: d.id };
    if (!answeredAt(s.keptAnswers[d.id], at) && !waiting(digit)) ask({ digit, ...at }, d.pixels);
  }
}

/** The pad's drawing changed (null: cleared): kept, and asked about at the round shown. */
export function padChanged(pixels: Uint8Array | null): void {
  labActions().padDrawn(pixels);
  classifyUnanswered();
}

/**
 * Follows the round shown, the run on screen, the weights the worker keeps and the kept digits:
 * starts the subscription and returns the function that ends it. Another run's answers are no
 * answers here, whatever their round number: they are cleared when the run on screen changes.
 */
export function syncDigitAnswers(): () => void {
  let last = useLabStore.getState();
  return useLabStore.subscribe((s) => {
    const prev = last;
    last = s;
    const before = selectShownRound(prev);
    const now = selectShownRound(s);
    // The worker's kept weights changed (a stored run's read back, a round's end): an answer
    // that said they were missing may no longer hold.
    const otherRun =
      s.runConfig !== prev.runConfig ||
      s.activeRunId !== prev.activeRunId ||
      s.weights !== prev.weights;
    if (otherRun) labActions().digitAnswersCleared();
    if (
      otherRun ||
      s.keptDigits !== prev.keptDigits ||
      before?.round !== now?.round ||
      before?.trial !== now?.trial
    )
      classifyUnanswered();
  });
}
