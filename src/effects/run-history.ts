/**
 * The run history on the page (issue 4): lists stored runs and finds those a reload, a closed tab
 * or a crashed worker interrupted; opens, continues, renames, deletes and overlays them. It reads
 * the history again by itself whenever the store says the list may have changed (a run ended, a
 * worker was lost, a replay stopped): `syncHistory` subscribes, nobody has to call it sideways.
 */
import type { ExperimentConfig } from '../engine/config';
import { configHash } from '../formats/run-file';
import type { RunMeta } from '../history/run-meta';
import { useLabStore } from '../state/lab-store';
import { labActions, selectTraining } from '../state/selectors';
import { runLockName } from '../worker/run-lock';
import { reportFailure, runDb, storedRun } from './history-db';
import { stopReplay } from './replay-control';
import { openWeights, startRun } from './worker-bridge';

const store = () => useLabStore.getState();

/** Runs whose worker is gone: 'running' in the database, and nobody holds their lock. */
async function interruptedOf(runs: RunMeta[]): Promise<RunMeta[]> {
  const running = runs.filter((r) => r.status === 'running');
  if (running.length === 0) return [];
  const held = new Set(((await navigator.locks?.query())?.held ?? []).map((l) => l.name));
  // Not the run this tab trains (a worker without Web Locks holds none), nor one another tab holds.
  return running.filter(
    (r) =>
      !held.has(runLockName(r.id)) && !(r.id === store().activeRunId && selectTraining(store())),
  );
}

export async function refreshHistory(): Promise<void> {
  try {
    const runs = await (await runDb()).list();
    labActions().historyListed(runs, await interruptedOf(runs));
  } catch (e) {
    reportFailure('the run history could not be read', e);
  }
}

/** A terminated worker's Web Lock is released a moment after the page hears it has ended. */
const LOCKS_SETTLE_MS = 250;

/**
 * Reads the history again whenever the store says it may have changed: the worker ended a run
 * (stopped, done, failed: its status and the offers to continue change), a worker was lost for
 * good (its run's lock is free: the run is interrupted), a replay stopped. Opening a stored run
 * does not count: a run being continued would be read while its worker is not yet holding its
 * lock, and be offered to continue again. Returns the unsubscribe.
 */
export function syncHistory(): () => void {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = () => {
    const t = setTimeout(() => {
      timers.delete(t);
      void refreshHistory();
    }, LOCKS_SETTLE_MS);
    timers.add(t);
  };
  const unsubscribe = useLabStore.subscribe((s, prev) => {
    if (s.workersGone !== prev.workersGone) void refreshHistory();
    else if (s.replay === null && prev.replay !== null) void refreshHistory();
    else if (s.runsEnded !== prev.runsEnded) later();
  });
  return () => {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    timers.clear();
  };
}

export async function openRun(id: string, { onlyIfIdle = false } = {}): Promise<void> {
  if (selectTraining(store()))
    return labActions().noticesShown(['Stop the run in progress before opening another.']);
  try {
    const run = await storedRun(id);
    // At start-up the user may have pressed Run meanwhile: the new run wins.
    if (onlyIfIdle && (store().state !== 'idle' || store().activeRunId !== null)) return;
    stopReplay();
    labActions().runOpened(run);
    // Its kept weights (issue 16), for the supermask slider and the drawing pad.
    openWeights(id);
  } catch (e) {
    reportFailure('the run could not be opened', e);
  }
}

/**
 * The run opened at start. With no settings in the link: the run last worked on, so a reload
 * shows what was on screen. A link with settings (issue 15) opens the latest stored run of
 * exactly that config, or none (the figures wait for Run), and says which it opened.
 */
export async function reopenLatest(linked: ExperimentConfig | null = null): Promise<void> {
  const s = store();
  if (s.activeRunId !== null || s.rounds.length > 0 || s.state !== 'idle') return;
  const stored = s.runs.filter((r) => r.roundsDone > 0);
  if (!linked) {
    if (stored[0]) await openRun(stored[0].id, { onlyIfIdle: true });
    return;
  }
  const key = configHash(linked);
  const match = stored.find((r) => configHash(r.config) === key);
  if (!match) {
    // Only worth saying where the history held a run that used to open.
    if (stored.length > 0)
      labActions().noticesShown([
        `None of the ${stored.length} stored run${stored.length === 1 ? '' : 's'} has the link's settings: nothing opened; Run trains them.`,
      ]);
    return;
  }
  await openRun(match.id, { onlyIfIdle: true });
  if (store().activeRunId === match.id)
    labActions().noticesShown([
      `Opened the stored run "${match.name}" (${new Date(match.updatedAt).toLocaleString('en-GB')}): it has the link's settings.`,
    ]);
}

/** Opens a stored run, then trains it on from its next round, as if it had never stopped. */
export async function continueStoredRun(id: string): Promise<void> {
  await openRun(id);
  if (store().activeRunId !== id) return;
  labActions().historyListed(
    store().runs,
    store().interrupted.filter((r) => r.id !== id),
  );
  startRun({ kind: 'continue', runId: id });
}

export async function renameRun(id: string, name: string): Promise<void> {
  try {
    await (await runDb()).rename(id, name);
    await refreshHistory();
  } catch (e) {
    reportFailure('the run could not be renamed', e);
  }
}

export async function deleteRun(id: string): Promise<void> {
  const s = store();
  if (s.activeRunId === id && selectTraining(s))
    return s.noticesShown(['Stop the run before deleting it.']);
  try {
    const held = ((await navigator.locks?.query())?.held ?? []).some(
      (l) => l.name === runLockName(id),
    );
    if (held)
      return s.noticesShown(['That run is being trained in another tab: stop it there first.']);
    if (s.replay?.runId === id) stopReplay();
    await (await runDb()).delete(id);
    await refreshHistory();
  } catch (e) {
    reportFailure('the run could not be deleted', e);
  }
}

/** Overlays two stored runs (accuracy at early stop vs P_m); null clears the overlay. */
export async function compareRuns(ids: readonly string[] | null): Promise<void> {
  if (!ids) return labActions().overlayShown(null);
  try {
    const runs = await Promise.all(ids.map((id) => storedRun(id, 'a run is no longer stored')));
    labActions().overlayShown(runs);
  } catch (e) {
    reportFailure('the runs could not be compared', e);
  }
}
