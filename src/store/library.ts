/**
 * The page's side of the run history (issue 4): lists, opens, renames, deletes, imports and
 * exports stored runs and tickets, finds runs a reload interrupted, and replays. bridge.ts is
 * the only module that talks to the worker; this one is the only one that talks to IndexedDB.
 * Bad files are checked completely before anything is written: a clear message, nothing changed.
 */
import { CONTROLS, type ControlName } from '../engine/config';
import { curvesCsv, summariesCsv } from '../formats/csv';
import { clipLabel } from '../formats/check';
import { FormatError } from '../formats/errors';
import { type RunFile, decodeRunFile, encodeRunFile } from '../formats/run-file';
import { TICKET_MAGIC, decodeTicket, encodeTicket } from '../formats/ticket';
import { ticketOfRound } from '../formats/ticket-run';
import { type RunMeta, RunDb } from '../history/run-db';
import { errorMessage as message } from '../worker/protocol';
import { runLockName } from '../worker/run-lock';
import { continueStoredRun, trainImportedTicket } from './bridge';
import { useLabStore } from './lab-store';
import { ReplayPlayer, replayTimeline } from './replay';

/** The recorded lecture run the app ships (public/recorded), made by `npm run experiment`. */
export const RECORDED_RUN_URL = `${import.meta.env.BASE_URL}recorded/lecture-seed0.json`;
const OFFERED_KEY = 'lottery-ticket-lab:recorded-offered';

let db: Promise<RunDb> | null = null;
function history(): Promise<RunDb> {
  db ??= RunDb.open();
  db.catch(() => (db = null));
  return db;
}

const store = () => useLabStore.getState();
/** A run in flight owns the figures: opening another would mix their rounds. */
const training = () => ['loading', 'running', 'paused'].includes(store().state) && !store().replay;
function fail(what: string, e: unknown): void {
  store().noticesShown([e instanceof FormatError ? e.message : `${what}: ${message(e)}`]);
}

/** Runs whose worker is gone: 'running' in the database, and nobody holds their lock. */
async function interruptedOf(runs: RunMeta[]): Promise<RunMeta[]> {
  const running = runs.filter((r) => r.status === 'running');
  if (running.length === 0) return [];
  const held = new Set(((await navigator.locks?.query())?.held ?? []).map((l) => l.name));
  // Not the run this tab trains (a worker without Web Locks holds none), nor one another tab holds.
  return running.filter(
    (r) => !held.has(runLockName(r.id)) && !(r.id === store().activeRunId && training()),
  );
}

export async function refreshHistory(): Promise<void> {
  try {
    const runs = await (await history()).list();
    store().historyListed(runs, await interruptedOf(runs));
  } catch (e) {
    fail('the run history could not be read', e);
  }
}

/**
 * At start: the history, interrupted runs, and on a first visit the recorded lecture. The run
 * last worked on opens again, so a reload shows what was on screen.
 */
export async function initLibrary(): Promise<void> {
  await refreshHistory();
  const latest = store().runs.find((r) => r.roundsDone > 0);
  if (
    latest &&
    store().activeRunId === null &&
    store().rounds.length === 0 &&
    store().state === 'idle'
  )
    await openRun(latest.id, { onlyIfIdle: true });
  const offered = localStorage.getItem(OFFERED_KEY) === '1';
  if (!offered && !store().runs.some((r) => r.origin === 'recorded'))
    store().recordedOfferSet(true);
}

export function dismissRecordedOffer(): void {
  localStorage.setItem(OFFERED_KEY, '1');
  store().recordedOfferSet(false);
}

export async function openRun(id: string, { onlyIfIdle = false } = {}): Promise<void> {
  if (training()) return store().noticesShown(['Stop the run in progress before opening another.']);
  try {
    const h = await history();
    const meta = await h.get(id);
    if (!meta) throw new Error('it is no longer stored');
    const rounds = await h.rounds(id);
    // At start-up the user may have pressed Run meanwhile: the new run wins.
    if (onlyIfIdle && (store().state !== 'idle' || store().activeRunId !== null)) return;
    stopReplay();
    store().runOpened(meta, rounds);
  } catch (e) {
    fail('the run could not be opened', e);
  }
}

/** Opens a stored run, then trains it on from its next round. */
export async function resumeRun(id: string): Promise<void> {
  await openRun(id);
  if (store().activeRunId !== id) return;
  store().historyListed(
    store().runs,
    store().interrupted.filter((r) => r.id !== id),
  );
  continueStoredRun(id);
}

export async function renameRun(id: string, name: string): Promise<void> {
  try {
    await (await history()).rename(id, name);
    await refreshHistory();
  } catch (e) {
    fail('the run could not be renamed', e);
  }
}

export async function deleteRun(id: string): Promise<void> {
  const s = store();
  if (s.activeRunId === id && training())
    return s.noticesShown(['Stop the run before deleting it.']);
  try {
    const held = ((await navigator.locks?.query())?.held ?? []).some(
      (l) => l.name === runLockName(id),
    );
    if (held)
      return s.noticesShown(['That run is being trained in another tab: stop it there first.']);
    if (s.replay?.runId === id) stopReplay();
    await (await history()).delete(id);
    await refreshHistory();
  } catch (e) {
    fail('the run could not be deleted', e);
  }
}

function download(data: BlobPart, type: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'run';

export async function runFileOf(id: string): Promise<RunFile> {
  const h = await history();
  const meta = await h.get(id);
  if (!meta) throw new Error('it is no longer stored');
  const rounds = await h.rounds(id);
  return decodeRunFile(
    encodeRunFile({
      name: meta.name,
      createdAt: new Date(meta.createdAt).toISOString(),
      backend: meta.backend,
      config: meta.config,
      wallMs: rounds.reduce((t, r) => t + r.wallMs, 0),
      rounds,
    }),
  );
}

/** A stored run's curves and summaries: the run file (JSON), or either table as CSV. */
export async function exportRun(id: string, as: 'json' | 'curves' | 'summaries'): Promise<void> {
  try {
    if (as === 'json') {
      const run = await runFileOf(id);
      download(encodeRunFile(run), 'application/json', `${slug(run.name)}.json`);
      return;
    }
    // The tables need no whole, consecutive run: whatever rounds are stored go out.
    const h = await history();
    const meta = await h.get(id);
    if (!meta) throw new Error('it is no longer stored');
    const rounds = await h.rounds(id);
    download(
      as === 'curves' ? curvesCsv(rounds) : summariesCsv(rounds),
      'text/csv',
      `${slug(meta.name)}-${as}.csv`,
    );
  } catch (e) {
    fail('the run could not be exported', e);
  }
}

/** The ticket of one round of a stored run, as a `.ticket` file (docs/file-formats.md). */
export async function exportTicket(id: string, round: number): Promise<void> {
  try {
    const h = await history();
    const meta = await h.get(id);
    const result = (await h.rounds(id)).find((r) => r.round === round);
    const masks = await h.roundMasks(id, round);
    const theta0 = await h.theta0(id);
    if (!meta || !result || !masks || !theta0)
      throw new Error(
        `round ${round} of this run kept no masks (runs imported from a file keep curves only)`,
      );
    const ticket = ticketOfRound({
      config: meta.config,
      result,
      masks,
      theta0,
      rewindTo: await h.rewindTo(id),
      createdBy: clipLabel(`lottery-ticket-lab (browser, ${meta.backend})`),
    });
    download(
      encodeTicket(ticket) as Uint8Array<ArrayBuffer>,
      'application/octet-stream',
      `${slug(meta.name)}-round-${String(round).padStart(2, '0')}.ticket`,
    );
  } catch (e) {
    fail('the ticket could not be exported', e);
  }
}

/** A `.ticket` or a run file (`.json`), told apart by the ticket's magic bytes. */
export async function importFile(file: File): Promise<void> {
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const magic = new TextDecoder().decode(bytes.subarray(0, TICKET_MAGIC.length));
    // By content first; a damaged ticket is still read as one (for the right message) by its name.
    if (magic === TICKET_MAGIC || file.name.toLowerCase().endsWith('.ticket')) {
      store().ticketLoaded({ fileName: file.name, ticket: decodeTicket(bytes) });
      return;
    }
    const run = decodeRunFile(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
    const meta = await (
      await history()
    ).importRun(
      {
        name: run.name,
        config: run.config,
        backend: run.backend,
        rounds: run.rounds,
        createdAt: Date.parse(run.createdAt) || Date.now(),
      },
      'imported',
    );
    await refreshHistory();
    if (training())
      store().noticesShown([
        `“${run.name}” is in the run history; open it when the run in progress is over.`,
      ]);
    else await openRun(meta.id);
  } catch (e) {
    fail(`${file.name} could not be imported`, e);
  }
}

/** Trains the imported ticket here, as its round of the run it came from, beside `controls`. */
export function trainTicket(controls: readonly ControlName[]): void {
  const loaded = store().ticket;
  if (!loaded) return;
  const { ticket, fileName } = loaded;
  const chosen = CONTROLS.filter((c) => controls.includes(c));
  stopReplay();
  store().ticketTraining({ runId: null, ticket });
  trainImportedTicket(
    ticket,
    chosen,
    `Ticket ${fileName}: round ${ticket.round}, ${(ticket.remaining * 100).toFixed(1)}% of weights, trained here`,
  );
}

let player: ReplayPlayer | null = null;

export async function replayRun(id: string, speed: number): Promise<void> {
  try {
    const h = await history();
    const meta = await h.get(id);
    if (!meta) throw new Error('it is no longer stored');
    const s = store();
    if (s.state === 'running' || s.state === 'loading' || s.state === 'paused')
      return s.noticesShown(['Stop the run in progress before replaying another.']);
    stopReplay();
    const timeline = replayTimeline(meta, await h.rounds(id));
    store().workerEvent({ type: 'state', state: 'running', detail: `replaying "${meta.name}"` });
    store().replayChanged({ runId: id, name: meta.name, speed, playing: true });
    player = new ReplayPlayer(
      timeline,
      speed,
      (e) => store().workerEvent(e),
      () => {
        const r = store().replay;
        if (r) store().replayChanged({ ...r, playing: false });
      },
    );
    player.start();
  } catch (e) {
    fail('the run could not be replayed', e);
  }
}

export function setReplaySpeed(speed: number): void {
  const r = store().replay;
  if (!r || !player) return;
  player.setSpeed(speed);
  store().replayChanged({ ...r, speed });
}

export function pauseReplay(playing: boolean): void {
  const r = store().replay;
  if (!r || !player) return;
  if (playing && player.done) {
    void replayRun(r.runId, r.speed); // Play at the end plays it again
    return;
  }
  if (playing) player.start();
  else player.pause();
  store().replayChanged({ ...r, playing: playing && !player.done });
}

export function stopReplay(): void {
  player?.pause();
  player = null;
  const s = store();
  if (s.replay) {
    s.replayChanged(null);
    if (s.state === 'running')
      s.workerEvent({ type: 'state', state: 'stopped', detail: 'replay stopped' });
    void refreshHistory();
  }
}

/** First visit: the lecture run recorded with the CLI, stored and replayed at 100×. */
export async function playRecorded(): Promise<void> {
  try {
    let meta = store().runs.find((r) => r.origin === 'recorded');
    if (!meta) {
      const res = await fetch(RECORDED_RUN_URL);
      if (!res.ok) throw new Error(`the recorded run is missing (${res.status})`);
      const run = decodeRunFile(await res.text());
      meta = await (
        await history()
      ).importRun(
        {
          name: run.name,
          config: run.config,
          backend: run.backend,
          rounds: run.rounds,
          createdAt: Date.parse(run.createdAt) || Date.now(),
        },
        'recorded',
      );
      await refreshHistory();
    }
    dismissRecordedOffer();
    await replayRun(meta.id, 100);
  } catch (e) {
    fail('the recorded run could not be loaded', e);
  }
}

/** Overlays two stored runs (accuracy at early stop vs P_m); null clears the overlay. */
export async function compareRuns(ids: readonly string[] | null): Promise<void> {
  if (!ids) return store().overlayShown(null);
  try {
    const h = await history();
    const runs = await Promise.all(
      ids.map(async (id) => ({ meta: (await h.get(id))!, rounds: await h.rounds(id) })),
    );
    if (runs.some((r) => !r.meta)) throw new Error('a run is no longer stored');
    store().overlayShown(runs);
  } catch (e) {
    fail('the runs could not be compared', e);
  }
}
