/**
 * What the page knows of the run history (issue 4): the stored runs, the one on screen, runs a
 * reload interrupted, a replay in progress, an imported ticket, two runs overlaid. The data
 * itself lives in IndexedDB (src/history); library.ts moves it between there and here.
 */
import type { StateCreator } from 'zustand';
import type { RoundResult } from '../engine/experiment';
import type { Ticket } from '../formats/ticket';
import type { RunMeta } from '../history/run-db';
import { histogramsOf, summarize } from '../worker/events';
import type { LabState, RoundView } from './lab-store';

export interface ReplayView {
  runId: string;
  name: string;
  speed: number;
  playing: boolean;
}

export interface HistorySlice {
  /** Stored runs, most recently updated first. */
  runs: RunMeta[];
  /** The stored run on screen: training, opened or replaying (null: not stored). */
  activeRunId: string | null;
  /** Runs left 'running' by a reload, a closed tab or a crashed worker: offered for resuming. */
  interrupted: RunMeta[];
  replay: ReplayView | null;
  /** An imported ticket, checked and waiting to be trained on this device. */
  ticket: { fileName: string; ticket: Ticket } | null;
  /**
   * An imported ticket being trained here (runId: its run here, null until it starts), with how
   * it trained where it was found: drawn beside its training here.
   */
  ticketOrigin: { runId: string | null; ticket: Ticket } | null;
  /** Two stored runs overlaid (accuracy at early stop vs P_m). */
  overlay: { meta: RunMeta; rounds: RoundResult[] }[] | null;
  /** First visit: offer the recorded lecture run. */
  recordedOffered: boolean;
  historyListed(runs: RunMeta[], interrupted: RunMeta[]): void;
  runOpened(meta: RunMeta, rounds: readonly RoundResult[]): void;
  replayChanged(replay: ReplayView | null): void;
  ticketLoaded(ticket: HistorySlice['ticket']): void;
  ticketTraining(origin: HistorySlice['ticketOrigin']): void;
  overlayShown(overlay: HistorySlice['overlay']): void;
  recordedOfferSet(offered: boolean): void;
}

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
  runOpened: (meta, rounds) =>
    set({
      activeRunId: meta.id,
      runConfig: meta.config,
      rounds: rounds.map(roundViewOf),
      state: meta.status === 'done' ? 'done' : 'stopped',
      stateDetail:
        meta.status === 'done'
          ? `opened "${meta.name}"`
          : `"${meta.name}" stopped after round ${meta.firstRound + meta.roundsDone - 1}`,
      progress: null,
      scrubRound: null,
      theta0: null,
      replay: null,
      ticketOrigin: null,
    }),
  replayChanged: (replay) => set({ replay }),
  ticketLoaded: (ticket) => set({ ticket }),
  ticketTraining: (ticketOrigin) => set({ ticketOrigin, ticket: null }),
  overlayShown: (overlay) => set({ overlay }),
  recordedOfferSet: (recordedOffered) => set({ recordedOffered }),
});
