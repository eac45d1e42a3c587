/**
 * The worker's answers for drawn digits (issue 16), into the store: an answer lands where its
 * request said; an answer for a round no longer shown, to a superseded pad request, or for a digit
 * deleted meanwhile, is dropped.
 */
import type { LabEvent } from '../worker/protocol';
import type { LabState } from './types';

/**
 * The round the figures' scrubber shows, if it has results (the chosen one, else the latest):
 * the drawing pad classifies with its networks, trial 0's as the figures show (issue 16).
 */
export function shownRound(s: LabState): { round: number; trial: number } | null {
  const done = s.rounds.filter((r) => r.histograms);
  const shown =
    s.scrubRound === null ? done[done.length - 1] : done.find((r) => r.round === s.scrubRound);
  return shown ? { round: shown.round, trial: 0 } : null;
}

type Classified = Extract<LabEvent, { type: 'classified' }>;

/** The store's change for a 'classified' event: the run slice's workerEvent applies it. */
export function classifiedInto(s: LabState, e: Classified): Partial<LabState> {
  const target = s.classifyAsked[e.requestId];
  if (!target) return {};
  const { [e.requestId]: _answered, ...classifyAsked } = s.classifyAsked;
  // An answer for a round no longer shown is no answer for what is on screen.
  const at = shownRound(s);
  if (!at || at.round !== e.round || at.trial !== e.trial) return { classifyAsked };
  // While the run on screen has no weights in the worker (a replay; a stored run still being
  // read), whatever the worker holds is another run's: its answer is no answer for this one.
  const answer =
    s.weights.none !== null
      ? { round: e.round, trial: e.trial, answers: [], error: s.weights.none }
      : {
          round: e.round,
          trial: e.trial,
          answers: e.answers,
          error: 'error' in e ? e.error : null,
        };
  if (target.digit === 'pad')
    return e.requestId === s.padRequest ? { classifyAsked, padAnswer: answer } : { classifyAsked };
  const id = target.digit.kept;
  // A digit deleted while its answer was on the way is not brought back.
  if (!s.keptDigits.some((d) => d.id === id)) return { classifyAsked };
  return { classifyAsked, keptAnswers: { ...s.keptAnswers, [id]: answer } };
}
