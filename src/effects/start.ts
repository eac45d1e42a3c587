/**
 * The lab's effects, started once by main.tsx: the URL hash in step with the settings, the run
 * history in step with the runs, the run a link asks for or the run last worked on opened again,
 * the recorded run offered on a first visit, the device's speed measured, the kept digits read and
 * classified at the round shown. Returns a function that
 * stops the subscriptions (tests).
 */
import { START_SETTINGS } from '../settings/presets';
import { linkedConfig } from '../settings/url-hash';
import { startCalibration } from './calibration';
import { syncDigitAnswers } from './digit-answers';
import { loadKeptDigits } from './kept-digits';
import { offerRecordedRun } from './recorded-run';
import { refreshHistory, reopenLatest, syncHistory } from './run-history';
import { startUrlSync } from './url-sync';

/** Whether this page load is a reload (the Navigation Timing API's own word for it). */
function reloaded(win: Window): boolean {
  const entry = win.performance?.getEntriesByType?.('navigation')[0] as
    PerformanceNavigationTiming | undefined;
  return entry?.type === 'reload';
}

export function startLab(win: Window = window): { ready: Promise<void>; stop: () => void } {
  // Read before the sync rewrites the link into its canonical form. A reload is not a shared
  // link: the address bar holds the page's own last settings, and the page reopens the run last
  // worked on, as it always did.
  const linked = reloaded(win) ? null : linkedConfig(win.location.hash, START_SETTINGS);
  const stopUrlSync = startUrlSync(win);
  const stopHistorySync = syncHistory();
  const stopCalibration = startCalibration(win);
  const stopDigitAnswers = syncDigitAnswers();
  loadKeptDigits();
  const ready = (async () => {
    await refreshHistory();
    await reopenLatest(linked);
    offerRecordedRun();
  })();
  return {
    ready,
    stop: () => {
      stopUrlSync();
      stopHistorySync();
      stopCalibration();
      stopDigitAnswers();
    },
  };
}
