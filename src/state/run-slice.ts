/**
 * The run slice and the results it produces: every worker event (live, or rebuilt by a replay)
 * lands here, and the rounds on screen grow from them. Append-only curve updates (curves.ts) keep
 * the charts of untouched rounds as they were.
 */
import type { StateCreator } from 'zustand';
import { appendCurvePoints } from './curves';
import { classifiedInto } from './digits';
import { withMessages, withoutMessage } from './messages';
import { NO_SUPERMASK, WEIGHTS_OF_NEW_RUN, supermaskAnswered, supermaskAsked } from './supermask';
import type { LabState, ResultsSlice, RoundView, RunSlice } from './types';

const REPLAY_NONE =
  'a replay re-plays recorded results: its trained weights were not recorded, so nothing here can be evaluated';

function updateRound(
  rounds: RoundView[],
  round: number,
  f: (r: RoundView) => RoundView,
): RoundView[] {
  return rounds.map((r) => (r.round === round ? f(r) : r));
}

export const createRunSlice: StateCreator<LabState, [], [], RunSlice & ResultsSlice> = (set) => ({
  state: 'idle',
  stateDetail: null,
  backend: null,
  progress: null,
  data: null,
  theta0: null,
  errors: [],
  speed: null,
  runsEnded: 0,
  workersGone: 0,
  runConfig: null,
  rounds: [],
  trialRounds: [],
  weights: { ...WEIGHTS_OF_NEW_RUN, none: 'no run has trained in this tab yet' },
  supermask: NO_SUPERMASK,
  supermaskAsked: (requestId, pm) =>
    set((s) => ({ supermask: supermaskAsked(s.supermask, requestId, pm) })),
  errorDismissed: (index) => set((s) => ({ errors: withoutMessage(s.errors, index) })),
  runEnded: () => set((s) => ({ runsEnded: s.runsEnded + 1 })),
  workerGone: () => set((s) => ({ workersGone: s.workersGone + 1 })),
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
            ...(e.firstRound > 0 && e.runId !== null && e.runId === s.activeRunId
              ? {
                  rounds: s.rounds.filter((r) => r.round < e.firstRound),
                  trialRounds: s.trialRounds.filter((r) => r.round < e.firstRound),
                }
              : { rounds: [], trialRounds: [] }),
            scrubRound: null,
            // A replay re-plays recorded events: no worker trains it, so no weights are kept.
            weights: e.theta0Fingerprint
              ? WEIGHTS_OF_NEW_RUN
              : { ...WEIGHTS_OF_NEW_RUN, none: REPLAY_NONE },
            supermask: NO_SUPERMASK,
            activeRunId: e.runId,
            // A replay has no device to fingerprint.
            theta0: e.theta0Fingerprint
              ? { host: e.theta0Fingerprint, device: e.theta0DeviceFingerprint }
              : null,
            // The ticket comparison belongs to the ticket's run only: the next run after it clears
            // it.
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
        case 'trialsCompleted':
          return {
            trialRounds: [...s.trialRounds.filter((r) => r.round !== e.round.round), e.round].sort(
              (a, b) => a.round - b.round,
            ),
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
          return { backend: e.info, progress: null, notices: withMessages(s.notices, [e.message]) };
        case 'speed':
          return { speed: e.speed };
        case 'weightsKept':
          return {
            weights: {
              rounds: e.rounds,
              none: e.none,
              noDense: e.noDense,
              generation: e.generation,
            },
          };
        case 'supermask':
          return { supermask: supermaskAnswered(s.supermask, e, s.weights.generation) };
        case 'error':
          return { errors: withMessages(s.errors, [e.message]) };
        case 'classified':
          // The drawing pad's answers (issue 16), where their requests said (digits.ts).
          return classifiedInto(s, e);
      }
    }),
});
