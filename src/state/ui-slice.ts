/**
 * How the page is shown: presenter mode, hidden controls, notices, the scrubber, the comparison.
 */
import type { StateCreator } from 'zustand';
import { withMessages, withoutMessage } from './messages';
import type { LabState, UiSlice } from './types';

export const createUiSlice: StateCreator<LabState, [], [], UiSlice> = (set) => ({
  presenter: false,
  story: false,
  storyStep: null,
  hidden: new Set(),
  notices: [],
  scrubRound: null,
  compareWith: 'reinit',
  runConfirm: null,
  presenterToggled: () => set((s) => ({ presenter: !s.presenter })),
  // Closing keeps the step: a lecturer who steps out to the lab comes back where they were.
  storyToggled: (story) => set({ story }),
  storyStepShown: (storyStep) => set({ storyStep }),
  hiddenSet: (hidden) => set({ hidden }),
  noticesShown: (notices) => set((s) => ({ notices: withMessages(s.notices, notices) })),
  noticeDismissed: (index) => set((s) => ({ notices: withoutMessage(s.notices, index) })),
  roundScrubbed: (scrubRound) => set({ scrubRound }),
  scrubStepped: () =>
    set((s) => {
      const ready = s.rounds.filter((r) => r.histograms);
      if (ready.length === 0) return {};
      const i = ready.findIndex((r) => r.round === s.scrubRound);
      return { scrubRound: ready[(i + 1) % ready.length]!.round };
    }),
  comparisonChosen: (compareWith) => set({ compareWith }),
  runConfirmAsked: (runConfirm) => set({ runConfirm }),
  runConfirmClosed: () => set({ runConfirm: null }),
});
