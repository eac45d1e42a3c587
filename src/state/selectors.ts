/**
 * Named selector hooks: views read the store only through these, and act through `labActions()`
 * (the store's own actions) or the effects (src/effects). Selectors are module-level constants;
 * those that build an object or array go through useShallow (zustand 5 loops forever otherwise).
 */
import { useShallow } from 'zustand/react/shallow';
import { ENGINE_VERSION } from '../engine/config';
import { roundStarts } from './before-training';
import { shownRound } from './digits';
import { useLabStore } from './lab-store';
import type { LabActions, LabState } from './types';

/** The store's actions, stable functions: calling one subscribes to nothing. */
export const labActions = (): LabActions => useLabStore.getState();

/** The store read once, now, through a selector: for event handlers and timers (not renders). */
export const readLab = <T>(select: (s: LabState) => T): T => select(useLabStore.getState());

/** Something runs: a run loading, training or paused, or a replay playing out. */
export const selectActive = (s: LabState): boolean =>
  s.state === 'loading' || s.state === 'running' || s.state === 'paused';

/** A run in flight that is not a replay: it owns the figures, and the worker is busy with it. */
export const selectTraining = (s: LabState): boolean => selectActive(s) && s.replay === null;

const selectRunStatus = (s: LabState) => ({
  state: s.state,
  detail: s.stateDetail,
  progress: s.progress,
  data: s.data,
});
const selectBackend = (s: LabState) => s.backend;
const selectRounds = (s: LabState) => s.rounds;
const selectErrors = (s: LabState) => s.errors;
const selectTheta0 = (s: LabState) => s.theta0;

const selectSettings = (s: LabState) => ({ config: s.config, backend: s.backendChoice });
const selectUi = (s: LabState) => ({
  presenter: s.presenter,
  story: s.story,
  hidden: s.hidden,
  notices: s.notices,
  scrubRound: s.scrubRound,
  compareWith: s.compareWith,
});
const selectRunConfig = (s: LabState) => s.runConfig;
/**
 * What a run's time can be estimated from (settings/plan.ts estimateRun): the run on screen's
 * rate (not a replay's: that is the recording machine's), and the device speed the worker
 * measured on the backend now chosen.
 */
export const selectEstimateBasis = (s: LabState) => {
  const live = s.replay === null && s.runConfig !== null && s.progress !== null;
  return {
    runConfig: live ? s.runConfig : null,
    runRate: live ? s.progress!.examplesPerSecond : null,
    speed: s.speed?.choice === s.backendChoice ? s.speed : null,
  };
};
const selectRunConfirm = (s: LabState) => s.runConfirm;

const selectSummaries = (s: LabState) => s.rounds.map((r) => r.summary);
const selectRoundStarts = (s: LabState) => roundStarts(s.rounds);
const selectTrialRounds = (s: LabState) => s.trialRounds;

export const useSettings = () => useLabStore(useShallow(selectSettings));
/**
 * Completed rounds' summaries only: charts of results vs P_m re-render when a round completes, not
 * per point.
 */
export const useRoundSummaries = () => useLabStore(useShallow(selectSummaries));
/**
 * Each round's first point per variant (before its first step; issue 16): views that show it
 * re-render when a round starts, not with every point batch.
 */
export const useRoundStarts = () => useLabStore(useShallow(selectRoundStarts));
export const useUi = () => useLabStore(useShallow(selectUi));
/** The run's completed rounds over every trial (issue 14): bands, seeds' dots and verdicts. */
export const useTrialRounds = () => useLabStore(selectTrialRounds);
export const useRunConfig = () => useLabStore(selectRunConfig);
export const useEstimateBasis = () => useLabStore(useShallow(selectEstimateBasis));
/** A long run waiting for the user's yes (null: none). */
export const useRunConfirm = () => useLabStore(selectRunConfirm);
export const useRunStatus = () => useLabStore(useShallow(selectRunStatus));
export const useBackendInfo = () => useLabStore(selectBackend);
export const useRounds = () => useLabStore(selectRounds);
export const useErrors = () => useLabStore(selectErrors);
export const useTheta0 = () => useLabStore(selectTheta0);

const selectHistory = (s: LabState) => ({
  runs: s.runs,
  activeRunId: s.activeRunId,
  interrupted: s.interrupted,
  recordedOffered: s.recordedOffered,
});
const selectReplay = (s: LabState) => s.replay;
const selectTicket = (s: LabState) => s.ticket;
const selectTicketOrigin = (s: LabState) => s.ticketOrigin;
const selectOverlay = (s: LabState) => s.overlay;

/**
 * The engine whose results are on screen: the stored run's (null: before engines were named), or
 * this lab's own for a run not stored.
 */
const selectShownEngine = (s: LabState) => {
  const active = s.activeRunId === null ? null : s.runs.find((r) => r.id === s.activeRunId);
  return active ? active.engine : ENGINE_VERSION;
};
export const useShownEngine = () => useLabStore(selectShownEngine);

/** The run history panel's list, the run on screen, interrupted runs and the first-visit offer. */
export const useHistory = () => useLabStore(useShallow(selectHistory));
export const useReplay = () => useLabStore(selectReplay);
export const useImportedTicket = () => useLabStore(selectTicket);
export const useTicketOrigin = () => useLabStore(selectTicketOrigin);
export const useOverlay = () => useLabStore(selectOverlay);
const selectStoryStep = (s: LabState) => s.storyStep;
/** What story mode tells: trial 0's rounds, the rounds over seeds, the config, and whether more come. */
export const selectStoryRun = (s: LabState) => ({
  rounds: s.rounds,
  trialRounds: s.trialRounds,
  config: s.runConfig,
  live: selectActive(s),
});
export const useStoryRun = () => useLabStore(useShallow(selectStoryRun));
/** The story's step on screen, by key (null: the first). */
export const useStoryStep = () => useLabStore(selectStoryStep);

/** The round the figures show, with results: the drawing pad's networks are its (issue 16). */
export const selectShownRound = shownRound;
const selectDigits = (s: LabState) => ({
  padDigit: s.padDigit,
  padAnswer: s.padAnswer,
  keptDigits: s.keptDigits,
  keptAnswers: s.keptAnswers,
  message: s.digitsMessage,
});
/** The drawing pad's digit and answer, the kept digits and theirs, and the last message. */
export const useDigits = () => useLabStore(useShallow(selectDigits));
/** The round (and trial) the drawing pad's networks are at: selectShownRound's, for views. */
export const useShownDigitRound = () => useLabStore(useShallow(selectShownRound));
const selectSupermask = (s: LabState) => s.supermask;
const selectKeptWeights = (s: LabState) => s.weights;
/** The supermask slider's points and its latest answer (issue 16). */
export const useSupermask = () => useLabStore(selectSupermask);
/** The rounds whose trained weights the worker keeps for the run on screen (issue 16). */
export const useKeptWeights = () => useLabStore(selectKeptWeights);
