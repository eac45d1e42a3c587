/**
 * Files in and out of the run history (issue 4): run files (JSON) and CSV tables out, a round's
 * ticket out, run files and tickets in, and an imported ticket trained on this device. A bad file
 * is checked completely before anything is written: a clear message, nothing changed.
 */
import { CONTROLS, type ControlName, type TaskName } from '../engine/config';
import { initialParams } from '../engine/init';
import { trialSeed } from '../engine/trial-seed';
import { clipLabel } from '../formats/check';
import { curvesCsv, summariesCsv } from '../formats/csv';
import { slug } from '../formats/file-names';
import { FormatError } from '../formats/errors';
import { type RunFile, decodeRunFile, encodeRunFile, trialsIn } from '../formats/run-file';
import { TICKET_MAGIC, decodeTicket, encodeTicket } from '../formats/ticket';
import { foundOnOf, ticketOfRound } from '../formats/ticket-run';
import type { RunMeta, RunOrigin } from '../history/run-meta';
import { TASK_DIGITS } from '../settings/labels';
import { useLabStore } from '../state/lab-store';
import { labActions, selectTraining } from '../state/selectors';
import { downloadBlob } from './download';
import { reportFailure, runDb, storedRun } from './history-db';
import { stopReplay } from './replay-control';
import { openRun, refreshHistory } from './run-history';
import { startRun } from './worker-bridge';

const download = (data: BlobPart, type: string, fileName: string) =>
  downloadBlob(new Blob([data], { type }), fileName);

/** A stored run as a run file, every trial it holds, checked as the file will be read. */
export async function runFileOf(id: string): Promise<RunFile> {
  const { meta, rounds, trials } = await storedRun(id);
  return decodeRunFile(
    encodeRunFile({
      name: meta.name,
      createdAt: new Date(meta.createdAt).toISOString(),
      backend: meta.backend,
      engine: meta.engine,
      config: meta.config,
      // The first trial's rounds' wall time: in lockstep every trial's; where trials took turns
      // (tfjs backends) the run took longer, and a replay plays the first trial's clock.
      wallMs: rounds.reduce((t, r) => t + r.wallMs, 0),
      rounds: [...trials],
    }),
  );
}

/**
 * A run file into the history, every trial it holds, as an imported run or the recorded lecture:
 * curves only. A shard of a sweep is refused: its trials alone are not the run its config says.
 */
export async function storeRunFile(run: RunFile, origin: RunOrigin): Promise<RunMeta> {
  if (run.shard) {
    const held = trialsIn(run);
    throw new FormatError(
      `“${run.name}” is shard ${run.shard.index}/${run.shard.count} of a sweep: it holds trial${held.length > 1 ? 's' : ''} ${held.join(', ')} of ${run.config.training.trials}. Join the shards into one run file first (npm run experiment -- merge A.json B.json … --out all.json) and import that.`,
    );
  }
  const meta = await (
    await runDb()
  ).importRun(
    {
      name: run.name,
      config: run.config,
      backend: run.backend,
      engine: run.engine,
      rounds: run.rounds,
      createdAt: Date.parse(run.createdAt) || Date.now(),
    },
    origin,
  );
  await refreshHistory();
  return meta;
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

/**
 * The ticket of one round of one trial of a stored run, as a `.ticket` file (docs/file-formats.md):
 * a one-trial config of that trial's seed, its masks, and its θ0 (trial 0's as stored; another
 * trial's drawn again from its seed) or the weights it rewinds to.
 */
export async function exportTicket(id: string, round: number, trial = 0): Promise<void> {
  try {
    const h = await runDb();
    const meta = await h.get(id);
    const kept = await h.trialOfRound(id, round, trial);
    if (!meta || !kept?.masks)
      throw new Error(
        `round ${round} of this run kept no masks (runs imported from a file keep curves only)`,
      );
    const seed = trialSeed(meta.config.training.seed, trial);
    const config = { ...meta.config, training: { ...meta.config.training, seed, trials: 1 } };
    const theta0 = trial === 0 ? await h.theta0(id) : initialParams(config.model.layers, seed);
    if (!theta0) throw new Error(`round ${round} of this run kept no initial weights`);
    const ticket = ticketOfRound({
      config,
      result: kept.result,
      masks: kept.masks,
      theta0,
      rewindTo: kept.rewindTo,
      createdBy: clipLabel(`lottery-ticket-lab (browser, ${meta.backend})`),
    });
    const of = meta.config.training.trials > 1 ? `-trial-${trial}` : '';
    download(
      encodeTicket(ticket) as Uint8Array<ArrayBuffer>,
      'application/octet-stream',
      `${slug(meta.name, 'run')}${of}-round-${String(round).padStart(2, '0')}.ticket`,
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
    const meta = await storeRunFile(run, 'imported');
    if (selectTraining(useLabStore.getState()))
      labActions().noticesShown([
        `“${run.name}” is in the run history; open it when the run in progress is over.`,
      ]);
    else await openRun(meta.id);
  } catch (e) {
    reportFailure(`${file.name} could not be imported`, e);
  }
}

/**
 * Trains the imported ticket here, as its round of the run it came from, beside `controls`, on
 * `task`: by default its run's (where its masks were found, unless that run trained a transferred
 * ticket); another task is a transfer (Morcos et al. 2019).
 */
export function trainImportedTicket(controls: readonly ControlName[], task?: TaskName): void {
  const loaded = useLabStore.getState().ticket;
  if (!loaded) return;
  const { ticket, fileName } = loaded;
  const from = foundOnOf(ticket);
  const on = task ?? ticket.config.data.task;
  stopReplay();
  labActions().ticketTraining({ runId: null, ticket });
  startRun({
    kind: 'importedTicket',
    ticket,
    // In their usual order, whatever order they were ticked in.
    controls: CONTROLS.filter((c) => controls.includes(c)),
    task: on,
    name: `Ticket ${fileName}: round ${ticket.round}, ${(ticket.remaining * 100).toFixed(1)}% of weights, trained here${on === from ? '' : ` on ${TASK_DIGITS[on]} (found on ${TASK_DIGITS[from]})`}`,
  });
}
