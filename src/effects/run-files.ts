/**
 * Files in and out of the run history (issue 4): run files (JSON) and CSV tables out, a round's
 * ticket out, run files and tickets in, and an imported ticket trained on this device. A bad file
 * is checked completely before anything is written: a clear message, nothing changed.
 */
import { CONTROLS, type ControlName } from '../engine/config';
import { clipLabel } from '../formats/check';
import { curvesCsv, summariesCsv } from '../formats/csv';
import { slug } from '../formats/file-names';
import {
  type RunFile,
  decodeRunFile,
  encodeRunFile,
  oneTrialOf,
  trialsIn,
} from '../formats/run-file';
import { roundsOfOneTrial } from '../formats/run-rounds';
import { TICKET_MAGIC, decodeTicket, encodeTicket } from '../formats/ticket';
import { ticketOfRound } from '../formats/ticket-run';
import type { RunMeta, RunOrigin } from '../history/run-meta';
import { useLabStore } from '../state/lab-store';
import { labActions, selectTraining } from '../state/selectors';
import { downloadBlob } from './download';
import { reportFailure, runDb, storedRun } from './history-db';
import { stopReplay } from './replay-control';
import { openRun, refreshHistory } from './run-history';
import { startRun } from './worker-bridge';

const download = (data: BlobPart, type: string, fileName: string) =>
  downloadBlob(new Blob([data], { type }), fileName);

/** A stored run as a run file, checked as the file will be read. */
export async function runFileOf(id: string): Promise<RunFile> {
  const { meta, rounds } = await storedRun(id);
  return decodeRunFile(
    encodeRunFile({
      name: meta.name,
      createdAt: new Date(meta.createdAt).toISOString(),
      backend: meta.backend,
      config: meta.config,
      wallMs: rounds.reduce((t, r) => t + r.wallMs, 0),
      rounds: roundsOfOneTrial(meta.config, rounds),
    }),
  );
}

/**
 * A run file into the history, as an imported run or the recorded lecture: curves only. The
 * history keeps one trial a run, so a file of several keeps its first trial, as a one-trial run of
 * that trial's seed, and says so in `kept`.
 */
export async function storeRunFile(
  run: RunFile,
  origin: RunOrigin,
): Promise<{ meta: RunMeta; kept: string | null }> {
  const trials = trialsIn(run);
  const trial = trials[0]!;
  const { config, rounds } = oneTrialOf(run, trial);
  const meta = await (
    await runDb()
  ).importRun(
    {
      name: run.name,
      config,
      backend: run.backend,
      rounds,
      createdAt: Date.parse(run.createdAt) || Date.now(),
    },
    origin,
  );
  await refreshHistory();
  const of = run.config.training.trials;
  const held =
    trials.length === of
      ? `${of} trials`
      : `trial${trials.length > 1 ? 's' : ''} ${trials.join(', ')} of ${of}`;
  const kept =
    trials.length > 1 || trial > 0
      ? `“${run.name}” holds ${held}; the history keeps one trial a run for now: trial ${trial} (seed ${config.training.seed}).`
      : null;
  return { meta, kept };
}

/** A stored run's curves and summaries: the run file (JSON), or either table as CSV. */
export async function exportRun(id: string, as: 'json' | 'curves' | 'summaries'): Promise<void> {
  try {
    if (as === 'json') {
      const run = await runFileOf(id);
      download(encodeRunFile(run), 'application/json', `${slug(run.name, 'run')}.json`);
      return;
    }
    // The tables need no whole, consecutive run: whatever rounds are stored go out.
    const { meta, rounds } = await storedRun(id);
    download(
      as === 'curves' ? curvesCsv(rounds) : summariesCsv(rounds),
      'text/csv',
      `${slug(meta.name, 'run')}-${as}.csv`,
    );
  } catch (e) {
    reportFailure('the run could not be exported', e);
  }
}

/** The ticket of one round of a stored run, as a `.ticket` file (docs/file-formats.md). */
export async function exportTicket(id: string, round: number): Promise<void> {
  try {
    const h = await runDb();
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
      `${slug(meta.name, 'run')}-round-${String(round).padStart(2, '0')}.ticket`,
    );
  } catch (e) {
    reportFailure('the ticket could not be exported', e);
  }
}

/** A `.ticket` or a run file (`.json`), told apart by the ticket's magic bytes. */
export async function importFile(file: File): Promise<void> {
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const magic = new TextDecoder().decode(bytes.subarray(0, TICKET_MAGIC.length));
    // By content first; a damaged ticket is still read as one (for the right message) by its name.
    if (magic === TICKET_MAGIC || file.name.toLowerCase().endsWith('.ticket')) {
      labActions().ticketLoaded({ fileName: file.name, ticket: decodeTicket(bytes) });
      return;
    }
    const run = decodeRunFile(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
    const { meta, kept } = await storeRunFile(run, 'imported');
    if (selectTraining(useLabStore.getState()))
      labActions().noticesShown([
        `“${run.name}” is in the run history; open it when the run in progress is over.`,
        ...(kept ? [kept] : []),
      ]);
    else {
      await openRun(meta.id);
      if (kept) labActions().noticesShown([kept]);
    }
  } catch (e) {
    reportFailure(`${file.name} could not be imported`, e);
  }
}

/** Trains the imported ticket here, as its round of the run it came from, beside `controls`. */
export function trainImportedTicket(controls: readonly ControlName[]): void {
  const loaded = useLabStore.getState().ticket;
  if (!loaded) return;
  const { ticket, fileName } = loaded;
  stopReplay();
  labActions().ticketTraining({ runId: null, ticket });
  startRun({
    kind: 'importedTicket',
    ticket,
    // In their usual order, whatever order they were ticked in.
    controls: CONTROLS.filter((c) => controls.includes(c)),
    name: `Ticket ${fileName}: round ${ticket.round}, ${(ticket.remaining * 100).toFixed(1)}% of weights, trained here`,
  });
}
