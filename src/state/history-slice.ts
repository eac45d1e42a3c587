/**
 * The run history's slice (issue 4; its shape is in types.ts): what a stored run looks like on
 * screen, and the actions the history effects (src/effects) call as they read IndexedDB.
 */
import type { StateCreator } from 'zustand';
import type { RoundResult } from '../engine/experiment';
import { histogramsOf, leanRound, summarize } from '../worker/events';
import { NO_SUPERMASK, WEIGHTS_OF_NEW_RUN } from './supermask';
import type { HistorySlice, LabState, RoundView } from './types';

/** What a stored run opened on screen says of its weights. */
export const WEIGHTS_NOT_STORED = 'they are being read from the run history…';

/** A stored round as the figures see a live one. */
export function roundViewOf(r: RoundResult): RoundView {
  return {
    round: r.round,
    variants: r.variants.map((v) => v.variant),
    remaining: r.remaining,
    remainingByLayer: r.remainingByLayer,
    curves: Object.fromEntries(r.variants.map((v) => [v.variant, v.curve])),
    summary: summarize(r),
    histograms: histogramsOf(r),
  };
}

export const createHistorySlice: StateCreator<LabState, [], [], HistorySlice> = (set) => ({
  runs: [],
  activeRunId: null,
  interrupted: [],
  replay: null,
  ticket: null,
  ticketOrigin: null,
  overlay: null,
  recordedOffered: false,
  historyListed: (runs, interrupted) => set({ runs, interrupted }),
  runOpened: ({ meta, rounds, trials }) =>
    set({
      activeRunId: meta.id,
      runConfig: meta.config,
      rounds: rounds.map(roundViewOf),
      trialRounds: trials.map(leanRound),
      state: meta.status === 'done' ? 'done' : 'stopped',
      stateDetail:
        meta.status === 'done'
          ? `opened "${meta.name}"`
          : `"${meta.name}" stopped after round ${meta.firstRound + meta.roundsDone - 1}`,
      progress: null,
      scrubRound: null,
      theta0: null,
      weights: { ...WEIGHTS_OF_NEW_RUN, none: WEIGHTS_NOT_STORED },
      supermask: NO_SUPERMASK,
      replay: null,
      ticketOrigin: null,
    }),
  // The progress a replay leaves is the recorded run's (its rate measured on another machine,
  // maybe): once the replay is over it is not this page's to show, nor to estimate from.
  replayChanged: (replay) => set(replay ? { replay } : { replay, progress: null }),
  ticketLoaded: (ticket) => set({ ticket }),
  ticketTraining: (ticketOrigin) => set({ ticketOrigin, ticket: null }),
  overlayShown: (overlay) => set({ overlay }),
  recordedOfferSet: (recordedOffered) => set({ recordedOffered }),
});
