/**
 * The one module that talks to the worker: commands out, events into the store. Views call
 * these functions; they never see the worker.
 */
import type { ControlName } from '../engine/config';
import type { Ticket } from '../formats/ticket';
import { LabClient } from '../worker/client';
import { mergeCurveBatches } from '../worker/curve-points';
import type { LabEvent, RunSpec } from '../worker/protocol';
import { useLabStore } from './lab-store';
import { refreshHistory } from './library';

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
const HEAVY: ReadonlySet<LabEvent['type']> = new Set(['roundCompleted', 'histograms']);
const queue: LabEvent[] = [];

function apply(e: LabEvent): void {
  useLabStore.getState().workerEvent(e);
  // A run that ended, crashed or was terminated: the history's statuses and resume offers change.
  // (A terminated worker's Web Lock is released a moment later.)
  if (e.type === 'state' && (e.state === 'stopped' || e.state === 'done' || e.state === 'failed'))
    setTimeout(() => void refreshHistory(), 250);
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
  // A worker gone for good has released its run's lock: the run is now offered for resuming.
  client ??= new LabClient(onEvent, undefined, () => void refreshHistory());
  return client;
}

/** Starts `run` on the chosen backend; `pauseAfterRound`: hold after its first round (Step). */
export function start(run: RunSpec, pauseAfterRound = false): void {
  labClient().send({
    type: 'start',
    run,
    backend: useLabStore.getState().backendChoice,
    pauseAfterRound,
  });
}

/** A new run of the settings on screen. */
export const startRun = (pauseAfterRound = false) =>
  start({ kind: 'new', config: useLabStore.getState().config }, pauseAfterRound);

/** Trains a stored run on from its next round (the page has opened it: its rounds are shown). */
export const continueStoredRun = (runId: string) => start({ kind: 'continue', runId });

export const trainImportedTicket = (ticket: Ticket, controls: ControlName[], name: string) =>
  start({ kind: 'importedTicket', ticket, controls, name });

export const pauseRun = () => labClient().send({ type: 'pause' });
export const resumeRun = () => labClient().send({ type: 'resume' });
export const stepRun = () => labClient().send({ type: 'step' });
export const stopRun = () => labClient().send({ type: 'stop' });
export const switchBackend = () =>
  labClient().send({ type: 'setBackend', backend: useLabStore.getState().backendChoice });
