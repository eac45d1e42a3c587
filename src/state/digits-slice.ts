/**
 * The drawing pad and the kept digits (issue 16). The worker's answers arrive as 'classified'
 * events through the run slice's workerEvent (digits.ts's `classifiedInto`).
 */
import type { StateCreator } from 'zustand';
import type { DigitsSlice, LabState } from './types';

export const createDigitsSlice: StateCreator<LabState, [], [], DigitsSlice> = (set) => ({
  padDigit: null,
  padAnswer: null,
  padRequest: null,
  keptDigits: [],
  keptAnswers: {},
  classifyAsked: {},
  digitsMessage: null,
  // A new drawing's old answer is no answer for it: it goes until the new one comes.
  padDrawn: (padDigit) => set({ padDigit, padAnswer: null, padRequest: null }),
  keptListed: (keptDigits) =>
    set((s) => ({
      keptDigits,
      keptAnswers: Object.fromEntries(
        keptDigits.flatMap((d) => (s.keptAnswers[d.id] ? [[d.id, s.keptAnswers[d.id]!]] : [])),
      ),
    })),
  classifyRequested: (requestId, target) =>
    set((s) => ({
      classifyAsked: { ...s.classifyAsked, [requestId]: target },
      ...(target.digit === 'pad' ? { padRequest: requestId } : {}),
    })),
  digitsMessageShown: (digitsMessage) => set({ digitsMessage }),
  digitAnswersCleared: () =>
    set({ padAnswer: null, padRequest: null, keptAnswers: {}, classifyAsked: {} }),
});
