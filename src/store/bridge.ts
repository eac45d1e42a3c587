/**
 * The one module that talks to the worker: commands out, events into the store. Views call
 * these functions; they never see the worker.
 */
import { LabClient } from '../worker/client';
import { useLabStore } from './lab-store';

let client: LabClient | null = null;

function labClient(): LabClient {
  client ??= new LabClient((e) => useLabStore.getState().workerEvent(e));
  return client;
}

export function startRun(pauseAfterRound = false): void {
  const { config, backendChoice } = useLabStore.getState();
  labClient().send({ type: 'start', config, backend: backendChoice, pauseAfterRound });
}

export const pauseRun = () => labClient().send({ type: 'pause' });
export const resumeRun = () => labClient().send({ type: 'resume' });
export const stepRun = () => labClient().send({ type: 'step' });
export const stopRun = () => labClient().send({ type: 'stop' });
export const switchBackend = () => labClient().send({ type: 'setBackend', backend: useLabStore.getState().backendChoice });
