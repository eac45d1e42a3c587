/**
 * The device's speed, measured before the first run (issue 15): once the page is idle, and again
 * when another backend is chosen, the worker times a few training steps and an evaluation on the
 * chosen backend (well under a second), so the settings panel can estimate a run before Run.
 * Never while a run trains: a run measures itself.
 */
import { useLabStore } from '../state/lab-store';
import { selectTraining } from '../state/selectors';
import type { BackendChoice } from '../worker/protocol';
import { calibrate } from './worker-bridge';

/** Starts measuring when the page is idle; returns a function that stops it. */
export function startCalibration(win: Window = window): () => void {
  // One measurement per backend choice and page load: a choice whose start failed is not tried
  // again and again.
  const asked = new Set<BackendChoice>();
  const measureIfNeeded = () => {
    const s = useLabStore.getState();
    if (selectTraining(s) || asked.has(s.backendChoice)) return;
    asked.add(s.backendChoice);
    calibrate();
  };
  // After the page has drawn itself: the worker's start and the timing wait for a quiet moment.
  // Safari has no requestIdleCallback.
  const hasIdle = typeof (win as Partial<Window>).requestIdleCallback === 'function';
  const idle = hasIdle
    ? win.requestIdleCallback(measureIfNeeded, { timeout: 2000 })
    : win.setTimeout(measureIfNeeded, 500);
  // Again when another backend is chosen, and when a run ends (a run that began before the page
  // was idle left the device unmeasured, and its own rate goes when a replay clears it).
  const unsubscribe = useLabStore.subscribe((s, prev) => {
    if (s.backendChoice !== prev.backendChoice || (selectTraining(prev) && !selectTraining(s)))
      measureIfNeeded();
  });
  return () => {
    if (hasIdle) win.cancelIdleCallback(idle);
    else win.clearTimeout(idle);
    unsubscribe();
  };
}
