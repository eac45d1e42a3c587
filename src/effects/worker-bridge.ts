/**
 * The one module that talks to the lab's worker: commands out, events into the store. Views and
 * the other effects call these functions; none of them sees the worker. It calls no other
 * effect: what follows from an event (the history read again when a run ends) is done by the
 * effects that subscribe to the store (run-history.ts).
 */
import { LONG_RUN_SECONDS, estimateRun } from '../settings/plan';
import { LabClient } from '../worker/client';
import { mergeCurveBatches } from '../worker/curve-points';
import type { Command, LabEvent, RunSpec } from '../worker/protocol';
import { labActions, selectEstimateBasis } from '../state/selectors';
import { useLabStore } from '../state/lab-store';

/**
 * Curve batches arrive up to 20 times a second; the charts need far fewer frames. They are held
 * and handed to the store at most every COALESCE_MS, merged into one event, and flushed at once
 * before any other event so the order the worker meant is kept.
 */
const COALESCE_MS = 250;
let held: Extract<LabEvent, { type: 'curvePoints' }>[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

function flushHeld(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  const batches = held;
  held = [];
  // Batches of one round share the variant list: each run of them is applied as one event.
  for (const e of mergeCurveBatches(batches)) deliver(e);
}

/**
 * The events that re-render the figures of a whole round. Each is handed to the store in a task
 * of its own, after whatever came before it: at a round's end the last curve points, the round's
 * results and its histograms then render in three tasks instead of one (a React render of an
 * external store's change runs in the task that made it, and these three together passed 50 ms).
 */
const HEAVY: ReadonlySet<LabEvent['type']> = new Set([
  'roundCompleted',
  'histograms',
  'trialsCompleted',
]);
const queue: LabEvent[] = [];

const ENDED: ReadonlySet<string> = new Set(['stopped', 'done', 'failed']);

function apply(e: LabEvent): void {
  labActions().workerEvent(e);
  // The worker says a run ended, crashed or was terminated: its status and the offers change.
  if (e.type === 'state' && ENDED.has(e.state)) labActions().runEnded();
}

function drainOne(): void {
  const e = queue.shift();
  if (e) apply(e);
  if (queue.length > 0) setTimeout(drainOne, 0);
}

/** In the worker's order: at once, unless it is heavy or something is already waiting. */
function deliver(e: LabEvent): void {
  if (queue.length === 0 && !HEAVY.has(e.type)) return apply(e);
  queue.push(e);
  if (queue.length === 1) setTimeout(drainOne, 0);
}

function onEvent(e: LabEvent): void {
  if (e.type === 'curvePoints') {
    held.push(e);
    timer ??= setTimeout(flushHeld, COALESCE_MS);
    return;
  }
  flushHeld();
  deliver(e);
}

let client: LabClient | null = null;

function labClient(): LabClient {
  // A worker gone for good has released its run's lock: the history shows its run interrupted.
  client ??= new LabClient(onEvent, undefined, () => labActions().workerGone());
  return client;
}

/** Starts `run` on the chosen backend; `pauseAfterRound`: hold after its first round (Step). */
export function startRun(run: RunSpec, pauseAfterRound = false): void {
  labClient().send({
    type: 'start',
    run,
    backend: useLabStore.getState().backendChoice,
    pauseAfterRound,
  });
}

/**
 * A new run of the settings on screen (Run, Step, space, →), as the user asked for it: one
 * estimated over LONG_RUN_SECONDS asks first (issue 15), and starts from startConfirmedRun.
 * Continuing a stored run, a ticket and a replay never come through here: they do not ask.
 */
export function startNewRun(pauseAfterRound = false): void {
  const s = useLabStore.getState();
  const estimate = estimateRun(s.config, selectEstimateBasis(s));
  if (estimate && estimate.seconds > LONG_RUN_SECONDS)
    return labActions().runConfirmAsked({ pauseAfterRound, seconds: estimate.seconds });
  startConfirmedRun(pauseAfterRound);
}

/** A new run of the settings on screen, without asking (the user said yes). */
export function startConfirmedRun(pauseAfterRound = false): void {
  labActions().runConfirmClosed();
  startRun({ kind: 'new', config: useLabStore.getState().config }, pauseAfterRound);
}

export const pauseRun = () => labClient().send({ type: 'pause' });
/** Unpauses the live run (a stored run is continued: run-history.ts). */
export const resumeRun = () => labClient().send({ type: 'resume' });
export const stepRun = () => labClient().send({ type: 'step' });
export const stopRun = () => labClient().send({ type: 'stop' });
/** Times the chosen backend between runs: the worker answers with the device's speed. */
export const calibrate = () =>
  labClient().send({ type: 'calibrate', backend: useLabStore.getState().backendChoice });
/** Starts the chosen backend now (no run is in progress), so the badge shows its adapter. */
export const switchBackend = () =>
  labClient().send({ type: 'setBackend', backend: useLabStore.getState().backendChoice });
/**
 * Asks the worker what its networks make of a drawn digit (issue 16): answered by a 'classified'
 * event with the same request id. The 784 bytes are copied, not transferred: the store keeps them.
 */
export const classifyDigit = (request: Omit<Extract<Command, { type: 'classify' }>, 'type'>) =>
  labClient().send({ type: 'classify', ...request });

let supermaskRequests = 0;
/**
 * The supermask slider at P_m `pm` (issue 16): every change is sent, the worker answers the latest
 * (a request waiting for a round's end is replaced by the next one).
 */
export function askSupermask(pm: number, sweep = false): void {
  const requestId = ++supermaskRequests;
  labActions().supermaskAsked(requestId, pm);
  labClient().send({ type: 'supermask', requestId, pm, ...(sweep ? { sweep } : {}) });
}

/** A stored run is on screen: the worker reads its kept weights (issue 16). */
export const openWeights = (runId: string) =>
  labClient().send({ type: 'openWeights', runId, backend: useLabStore.getState().backendChoice });
