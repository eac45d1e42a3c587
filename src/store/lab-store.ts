/**
 * The only home of UI state: one zustand store made of slices, actions named as the events that
 * cause them. Actions delegate real work to pure functions (curves.ts); the worker bridge calls
 * them through `useLabStore.getState()`.
 */
import { create, type StateCreator } from 'zustand';
import {
  type ControlName,
  DEFAULT_CONFIG,
  type ExperimentConfig,
  type VariantName,
} from '../engine/config';
import type { CurvePoint } from '../engine/metrics';
import type {
  BackendChoice,
  BackendInfo,
  LabEvent,
  Progress,
  RoundSummary,
  RunState,
  VariantHistograms,
} from '../worker/protocol';
import { appendCurvePoints } from './curves';
import type { LabSettings } from './fields';
import { type HistorySlice, createHistorySlice } from './history-slice';
import { PRESETS } from './presets';

/** Everything the page knows of one round. */
export interface RoundView {
  round: number;
  variants: VariantName[];
  remaining: number;
  remainingByLayer: number[];
  /** Curve points per variant, appended as they stream in. */
  curves: Partial<Record<VariantName, CurvePoint[]>>;
  summary: RoundSummary | null;
  histograms: VariantHistograms[] | null;
}

export interface RunSlice {
  state: RunState;
  stateDetail: string | null;
  backend: BackendInfo | null;
  progress: Progress | null;
  data: { loadedBytes: number; totalBytes: number; fromCache: boolean; done: boolean } | null;
  theta0: { host: string; device: string } | null;
  errors: string[];
  workerEvent(e: LabEvent): void;
  errorDismissed(index: number): void;
}

export interface ConfigSlice {
  config: ExperimentConfig;
  backendChoice: BackendChoice;
  /** Config and backend at once, from a control, a preset or the URL hash. */
  settingsEdited(settings: LabSettings): void;
}

/** How the page is shown: nothing here changes what is computed. */
export interface UiSlice {
  presenter: boolean;
  /** Keys of settings a classroom link hides. */
  hidden: ReadonlySet<string>;
  /** What the app changed on its own (a clamped link value, say), shown until dismissed. */
  notices: string[];
  /** The round the histogram and pixel-map scrubber shows; null follows the latest round. */
  scrubRound: number | null;
  /** The control the side-by-side view puts next to the ticket. */
  compareWith: ControlName;
  presenterToggled(): void;
  hiddenSet(hidden: ReadonlySet<string>): void;
  noticesShown(notices: string[]): void;
  noticeDismissed(index: number): void;
  roundScrubbed(round: number | null): void;
  comparisonChosen(control: ControlName): void;
}

export interface ResultsSlice {
  runConfig: ExperimentConfig | null;
  rounds: RoundView[];
}

export type LabState = RunSlice & ConfigSlice & ResultsSlice & UiSlice & HistorySlice;

/** The page opens on the "Quick look" preset: the whole story in under a minute on a CPU. */
export const START_CONFIG: ExperimentConfig = PRESETS.find((p) => p.id === 'quick')!.settings({
  config: DEFAULT_CONFIG,
  backend: 'auto',
}).config;

const MAX_ERRORS = 5;

function updateRound(
  rounds: RoundView[],
  round: number,
  f: (r: RoundView) => RoundView,
): RoundView[] {
  return rounds.map((r) => (r.round === round ? f(r) : r));
}

const createRunSlice: StateCreator<LabState, [], [], RunSlice & ResultsSlice> = (set) => ({
  state: 'idle',
  stateDetail: null,
  backend: null,
  progress: null,
  data: null,
  theta0: null,
  errors: [],
  runConfig: null,
  rounds: [],
  errorDismissed: (index) => set((s) => ({ errors: s.errors.filter((_, i) => i !== index) })),
  workerEvent: (e) =>
    set((s): Partial<LabState> => {
      switch (e.type) {
        case 'ready':
          return { backend: e.info };
        case 'state':
          return {
            state: e.state,
            stateDetail: e.detail ?? null,
            ...(e.state === 'loading' ? { progress: null } : {}),
          };
        case 'dataProgress':
          return {
            data: {
              loadedBytes: e.loadedBytes,
              totalBytes: e.totalBytes,
              fromCache: e.fromCache,
              done: e.done,
            },
          };
        case 'runStarted':
          return {
            runConfig: e.config,
            // A continued run keeps the rounds it had; a new one starts empty.
            rounds:
              e.firstRound > 0 && e.runId !== null && e.runId === s.activeRunId
                ? s.rounds.filter((r) => r.round < e.firstRound)
                : [],
            scrubRound: null,
            activeRunId: e.runId,
            // A replay has no device to fingerprint.
            theta0: e.theta0Fingerprint
              ? { host: e.theta0Fingerprint, device: e.theta0DeviceFingerprint }
              : null,
            // The ticket comparison belongs to the ticket's run only: the next run after it clears it.
            ticketOrigin:
              s.ticketOrigin && s.ticketOrigin.runId === null
                ? { ...s.ticketOrigin, runId: e.runId ?? '' }
                : s.ticketOrigin?.runId === e.runId
                  ? s.ticketOrigin
                  : null,
          };
        case 'roundStarted':
          return {
            rounds: [
              ...s.rounds.filter((r) => r.round !== e.round),
              {
                round: e.round,
                variants: e.variants,
                remaining: e.remaining,
                remainingByLayer: e.remainingByLayer,
                curves: {},
                summary: null,
                histograms: null,
              },
            ],
          };
        case 'curvePoints':
          return {
            rounds: appendCurvePoints(s.rounds, e.variants, e.points),
            ...(e.progress ? { progress: e.progress } : {}),
          };
        case 'roundCompleted':
          return {
            rounds: updateRound(s.rounds, e.summary.round, (r) => ({ ...r, summary: e.summary })),
          };
        case 'histograms':
          return {
            rounds: updateRound(s.rounds, e.round, (r) => ({ ...r, histograms: e.variants })),
          };
        case 'runSaved':
          return { runs: [e.run, ...s.runs.filter((r) => r.id !== e.run.id)] };
        case 'fellBack':
          // The round in flight starts over on the new backend: its roundStarted replaces what
          // the failed attempt drew, and the notice says what happened.
          return {
            backend: e.info,
            progress: null,
            notices: [...s.notices, e.message].slice(-MAX_ERRORS),
          };
        case 'error':
          return { errors: [...s.errors, e.message].slice(-MAX_ERRORS) };
      }
    }),
});

const createConfigSlice: StateCreator<LabState, [], [], ConfigSlice> = (set) => ({
  config: START_CONFIG,
  backendChoice: 'auto',
  settingsEdited: (s) => set({ config: s.config, backendChoice: s.backend }),
});

const createUiSlice: StateCreator<LabState, [], [], UiSlice> = (set) => ({
  presenter: false,
  hidden: new Set(),
  notices: [],
  scrubRound: null,
  compareWith: 'reinit',
  presenterToggled: () => set((s) => ({ presenter: !s.presenter })),
  hiddenSet: (hidden) => set({ hidden }),
  noticesShown: (notices) =>
    set((s) => ({ notices: [...s.notices, ...notices].slice(-MAX_ERRORS) })),
  noticeDismissed: (index) => set((s) => ({ notices: s.notices.filter((_, i) => i !== index) })),
  roundScrubbed: (scrubRound) => set({ scrubRound }),
  comparisonChosen: (compareWith) => set({ compareWith }),
});

export const createLabStore = () =>
  create<LabState>()((...a) => ({
    ...createRunSlice(...a),
    ...createConfigSlice(...a),
    ...createUiSlice(...a),
    ...createHistorySlice(...a),
  }));

export const useLabStore = createLabStore();
