/**
 * The recorded lecture run the app ships (public/recorded, made by `npm run experiment`): offered
 * on a first visit, stored in the history when taken, and replayed at 100×, no training.
 */
import { decodeRunFile } from '../formats/run-file';
import { useLabStore } from '../state/lab-store';
import { labActions } from '../state/selectors';
import { reportFailure } from './history-db';
import { replayRun } from './replay-control';
import { storeRunFile } from './run-files';

export const RECORDED_RUN_URL = `${import.meta.env.BASE_URL}recorded/lecture-5-trials.json`;
const OFFERED_KEY = 'lottery-ticket-lab:recorded-offered';

/** On a first visit (never offered, never stored), the page offers the recorded run. */
export function offerRecordedRun(): void {
  const offered = localStorage.getItem(OFFERED_KEY) === '1';
  if (!offered && !useLabStore.getState().runs.some((r) => r.origin === 'recorded'))
    labActions().recordedOfferSet(true);
}

export function dismissRecordedOffer(): void {
  localStorage.setItem(OFFERED_KEY, '1');
  labActions().recordedOfferSet(false);
}

/** Stores the recorded run (once) and replays it at 100×. */
export async function playRecorded(): Promise<void> {
  try {
    let meta = useLabStore.getState().runs.find((r) => r.origin === 'recorded');
    if (!meta) {
      const res = await fetch(RECORDED_RUN_URL);
      if (!res.ok) throw new Error(`the recorded run is missing (${res.status})`);
      meta = await storeRunFile(decodeRunFile(await res.text()), 'recorded');
    }
    dismissRecordedOffer();
    await replayRun(meta.id, 100);
  } catch (e) {
    reportFailure('the recorded run could not be loaded', e);
  }
}
