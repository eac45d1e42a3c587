/**
 * The shape of the page's state: what each slice holds and the actions named after the events
 * that change it. Types only, kept apart from the slices and the composition root (xyflow's
 * habit), so no slice imports another to learn the whole.
 */
import type { KeptDigit } from '../digits/kept';
import type { ControlName, ExperimentConfig, VariantName } from '../engine/config';
import type { RoundResult } from '../engine/experiment';
import type { CurvePoint } from '../engine/metrics';
import type { RunRound } from '../engine/trials';
import type { Ticket } from '../formats/ticket';
import type { RunMeta } from '../history/run-meta';
import type { LabSettings } from '../settings/field-kinds';
import type {
  BackendChoice,
  BackendInfo,
  ClassifyAnswer,
  DeviceSpeed,
  LabEvent,
  Progress,
  RoundSummary,
  RunState,
  VariantHistograms,
} from '../worker/protocol';
import type { KeptWeights, SupermaskView } from './supermask';

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

/** The run in flight (or the last one): what the worker said of it. */
export interface RunSlice {
  state: RunState;
  stateDetail: string | null;
  backend: BackendInfo | null;
  progress: Progress | null;
  data: { loadedBytes: number; totalBytes: number; fromCache: boolean; done: boolean } | null;
  theta0: { host: string; device: string } | null;
  errors: string[];
  /**
   * This device's speed as the worker last measured it between runs (issue 15): the estimate
   * before a run starts from it. Null until measured.
   */
  speed: DeviceSpeed | null;
  /**
   * Runs the worker has ended (stopped, done or failed, as it said), and lab workers lost for good
   * (their locks are free): counters the run history watches to read itself again. Only the
   * worker's own word counts: opening a stored run or a replay's end changes neither.
   */
  runsEnded: number;
  workersGone: number;
  workerEvent(e: LabEvent): void;
  runEnded(): void;
  workerGone(): void;
  errorDismissed(index: number): void;
}

/**
 * What the figures show: the config the rounds on screen were trained with, and the rounds: as
 * the run's first trial saw them (`rounds`, streamed live) and over every trial (`trialRounds`,
 * each once its last trial finished it; issue 14).
 */
export interface ResultsSlice {
  runConfig: ExperimentConfig | null;
  rounds: RoundView[];
  trialRounds: RunRound[];
  /** Issue 16: the rounds whose trained weights the worker keeps for the rounds on screen. */
  weights: KeptWeights;
  supermask: SupermaskView;
  /** The slider asked the worker for P_m `pm` as request `requestId`. */
  supermaskAsked(requestId: number, pm: number): void;
}

/** The settings being edited for the next run. */
export interface SettingsSlice {
  config: ExperimentConfig;
  backendChoice: BackendChoice;
  /** Config and backend at once, from a control, a preset or the URL hash. */
  settingsEdited(settings: LabSettings): void;
}

/** How the page is shown: nothing here changes what is computed. */
export interface UiSlice {
  presenter: boolean;
  /** Story mode (issue 15): the run told step by step, one figure filling the screen. */
  story: boolean;
  /** The story's step on screen, by its key (story.ts); null: the first. */
  storyStep: string | null;
  /** Keys of settings a classroom link hides. */
  hidden: ReadonlySet<string>;
  /** What the app changed on its own (a clamped link value, say), shown until dismissed. */
  notices: string[];
  /** The round the histogram and pixel-map scrubber shows; null follows the latest round. */
  scrubRound: number | null;
  /** The control the side-by-side view puts next to the ticket. */
  compareWith: ControlName;
  presenterToggled(): void;
  storyToggled(open: boolean): void;
  storyStepShown(key: string): void;
  hiddenSet(hidden: ReadonlySet<string>): void;
  noticesShown(notices: string[]): void;
  noticeDismissed(index: number): void;
  roundScrubbed(round: number | null): void;
  /** The scrubber's Play: the next round with histograms, after the last the first again. */
  scrubStepped(): void;
  comparisonChosen(control: ControlName): void;
  /**
   * A new run estimated to take long (issue 15), held until the user confirms or cancels it:
   * Step's `pauseAfterRound` and the estimate the question shows.
   */
  runConfirm: { pauseAfterRound: boolean; seconds: number } | null;
  runConfirmAsked(ask: { pauseAfterRound: boolean; seconds: number }): void;
  runConfirmClosed(): void;
}

/** A stored run as the page reads it: its first trial's rounds, and its rounds over trials. */
export interface StoredRunView {
  meta: RunMeta;
  rounds: readonly RoundResult[];
  trials: readonly RunRound[];
}

export interface ReplayView {
  runId: string;
  name: string;
  speed: number;
  playing: boolean;
  /**
   * The replayed run's settings and where it trained: the settings panel shows them while it
   * replays (issue 15), the page's own settings stay in the settings slice for the next run.
   */
  config: ExperimentConfig;
  trainedOn: string;
  /** Where the replay stands and how long it is, in ms of the recorded run (the 1× clock). */
  atMs: number;
  totalMs: number;
}

/**
 * What the page knows of the run history (issue 4): the stored runs, the one on screen, runs a
 * reload interrupted, a replay in progress, an imported ticket, two runs overlaid. The data
 * itself lives in IndexedDB (src/history); the effects move it between there and here.
 */
export interface HistorySlice {
  /** Stored runs, most recently updated first. */
  runs: RunMeta[];
  /** The stored run on screen: training, opened or replaying (null: not stored). */
  activeRunId: string | null;
  /** Runs left 'running' by a reload, a closed tab or a crashed worker: offered to continue. */
  interrupted: RunMeta[];
  replay: ReplayView | null;
  /** An imported ticket, checked and waiting to be trained on this device. */
  ticket: { fileName: string; ticket: Ticket } | null;
  /**
   * An imported ticket being trained here (runId: its run here, null until it starts), with how
   * it trained where it was found: drawn beside its training here.
   */
  ticketOrigin: { runId: string | null; ticket: Ticket } | null;
  /** Two stored runs overlaid (accuracy at early stop vs P_m), with every trial they hold. */
  overlay: StoredRunView[] | null;
  /** First visit: offer the recorded lecture run. */
  recordedOffered: boolean;
  historyListed(runs: RunMeta[], interrupted: RunMeta[]): void;
  runOpened(run: StoredRunView): void;
  replayChanged(replay: ReplayView | null): void;
  ticketLoaded(ticket: HistorySlice['ticket']): void;
  ticketTraining(origin: HistorySlice['ticketOrigin']): void;
  overlayShown(overlay: HistorySlice['overlay']): void;
  recordedOfferSet(offered: boolean): void;
}

/** What a classify request is for: the pad's drawing or a kept digit (by id), at a round. */
export interface ClassifyTarget {
  digit: 'pad' | { kept: string };
  round: number;
  trial: number;
}

/** The networks' answers for one digit at one round, or why there are none, in words. */
export interface DigitAnswer {
  round: number;
  trial: number;
  answers: ClassifyAnswer[];
  error: string | null;
}

/**
 * The drawing pad and the user's kept digits (issue 16): what is drawn, in MNIST's format, what
 * the worker's networks answered for it, and the kept digits (stored by an effect) with theirs.
 */
export interface DigitsSlice {
  /** The pad's drawing in MNIST's format (src/digits/preprocess.ts); null: the pad is empty. */
  padDigit: Uint8Array | null;
  /** The answer to the latest request for the pad's drawing (older answers are dropped). */
  padAnswer: DigitAnswer | null;
  /** The latest request for the pad's drawing: an answer to an older one is stale. */
  padRequest: number | null;
  keptDigits: KeptDigit[];
  /** Each kept digit's latest answer, by its id. */
  keptAnswers: Record<string, DigitAnswer>;
  /** Requests in flight, by request id: what each is for. */
  classifyAsked: Record<number, ClassifyTarget>;
  /** What the last keep, delete, import or export did, or why it did nothing. */
  digitsMessage: { error: boolean; text: string } | null;
  padDrawn(pixels: Uint8Array | null): void;
  keptListed(digits: KeptDigit[]): void;
  classifyRequested(requestId: number, target: ClassifyTarget): void;
  digitsMessageShown(message: DigitsSlice['digitsMessage']): void;
  /** Another run is on screen: its networks' answers are not these. */
  digitAnswersCleared(): void;
}

export type LabState = RunSlice &
  ResultsSlice &
  SettingsSlice &
  UiSlice &
  HistorySlice &
  DigitsSlice;

/** The store's actions alone: what views and effects may call. */
export type LabActions = {
  [K in keyof LabState as LabState[K] extends (...args: never[]) => void ? K : never]: LabState[K];
};
