/**
 * The lab's effects, started once by main.tsx: the URL hash in step with the settings, the run
 * history in step with the runs, the run a link asks for or the run last worked on opened again,
 * the recorded run offered on a first visit, the device's speed measured. Returns a function that
 * stops the subscriptions (tests).
 */
import { START_SETTINGS } from '../settings/presets';
import { linkedConfig } from '../settings/url-hash';
import { startCalibration } from './calibration';
import { offerRecordedRun } from './recorded-run';
import { refreshHistory, reopenLatest, syncHistory } from './run-history';
import { startUrlSync } from './url-sync';

export function startLab(win: Window = window): { ready: Promise<void>; stop: () => void } {
  // Read before the sync rewrites the link into its canonical form.
  const linked = linkedConfig(win.location.hash, START_SETTINGS);
  const stopUrlSync = startUrlSync(win);
  const stopHistorySync = syncHistory();
  const stopCalibration = startCalibration(win);
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
    },
  };
}
