/**
 * `npm run experiment -- --ticket FILE …`: tickets found elsewhere trained here from scratch, as
 * their round of the run they came from (the paper's story: found on a big machine, trained on a
 * small one), on the task they were found on or on another (`--task`: Morcos et al. 2019 asked
 * whether tickets transfer). Beside them, controls on the same masks: reinit is the same mask
 * reinitialised. One file per trial; the run file names the task the masks came from.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ControlName, ExperimentConfig } from '../src/engine/config';
import { splitMnist } from '../src/engine/data';
import type { RoundResult } from '../src/engine/experiment';
import { TrialSet } from '../src/engine/trial-set';
import { assembleRounds } from '../src/engine/trials';
import { FormatError } from '../src/formats/errors';
import { type RunFile, decodeRunFile, encodeRunFile } from '../src/formats/run-file';
import { type Ticket, decodeTicket } from '../src/formats/ticket';
import { controlsFor, foundOnOf, ticketsRun } from '../src/formats/ticket-run';
import { startNodeCompute } from '../src/node-host/node-backend';
import { TASK_DIGITS } from '../src/settings/labels';
import { loadMnistFromDisk } from '../src/node-host/node-mnist';
import type { CliOptions } from './args';
import { reporter } from './train';

export interface LoadedTicket {
  ticket: Ticket;
  name: string;
}

/** The ticket files, read and checked; a bad one is named in the error. */
export function loadTickets(files: readonly string[]): LoadedTicket[] {
  return files.map((file) => {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw new FormatError(`${file} cannot be read: ${e instanceof Error ? e.message : e}`);
    }
    try {
      return { ticket: decodeTicket(bytes), name: basename(file) };
    } catch (e) {
      if (e instanceof FormatError) throw new FormatError(`${file}: ${e.message}`);
      throw e;
    }
  });
}

/** The controls a ticket trains beside: those asked for, else reinit (the same mask, redrawn). */
function controlsOf(first: Ticket, asked: readonly ControlName[] | undefined): ControlName[] {
  const controls = asked ?? ['reinit'];
  const possible = controlsFor(first);
  const bad = controls.filter((c) => !possible.includes(c));
  if (bad.length)
    throw new Error(
      `--controls: a ${first.weights.kind === 'rewind' ? 'rewind ' : ''}ticket trains beside ${possible.join(', ')}, not ${bad.join(', ')}`,
    );
  return [...controls];
}

/** "Ticket of round 7 (P_m 21.1%) found on MNIST digits, trained on permuted digits, 3 trials of seed 0". */
export function ticketRunName(first: Ticket, config: ExperimentConfig): string {
  const from = foundOnOf(first);
  const on = config.data.task;
  const trials = config.training.trials;
  return `Ticket of round ${first.round} (P_m ${(100 * first.remaining).toFixed(1)}%) found on ${TASK_DIGITS[from]}, trained on ${on === from ? 'the same task' : TASK_DIGITS[on]}, ${trials > 1 ? `${trials} trials of ` : ''}seed ${config.training.seed}`;
}

/** What trains beside the tickets, in words: round 0 is the dense net, alone. */
const besideWords = (round: number, controls: readonly ControlName[]) =>
  round === 0
    ? 'alone (round 0 is the dense net: no control)'
    : `beside ${controls.join(', ') || 'no control'}`;

/** Trains the tickets of `opts.ticketFiles` as the trials of one run: the run file it makes. */
export async function trainTickets(opts: CliOptions): Promise<RunFile> {
  const loaded = loadTickets(opts.ticketFiles);
  const first = loaded[0]!.ticket;
  const task = opts.patch.data?.task ?? first.config.data.task;
  const controls = controlsOf(first, opts.patch.pruning?.controls);
  const { config, continueFrom } = ticketsRun(loaded, controls, task);
  const node = await startNodeCompute(opts.backend, opts.threads, opts.arithmetic);
  try {
    const data = splitMnist(loadMnistFromDisk(), config.data);
    console.log(`LeNet ${config.model.layers.join('-')} on MNIST, ${node.description}`);
    console.log(
      `${loaded.length} ticket${loaded.length > 1 ? 's' : ''} of round ${first.round} (${(100 * first.remaining).toFixed(1)}% of weights) found on ${TASK_DIGITS[foundOnOf(first)]}, trained on ${TASK_DIGITS[task]} ${besideWords(first.round, controls)}: ${config.training.iterations} iterations, seed ${config.training.seed}`,
    );
    const { observer, seeds } = reporter(config, node, opts);
    const set = new TrialSet(config, data, { compute: node.compute, continueFrom });
    const started = Date.now();
    const perTrial = set.experiments.map((e) => {
      seeds.set(e.trial, e.seed);
      return { trial: e.trial, seed: e.seed, rounds: [] as RoundResult[] };
    });
    try {
      while (!set.done)
        (await set.runRound(observer)).forEach((r, t) => perTrial[t]!.rounds.push(r));
    } finally {
      set.dispose();
    }
    const wallMs = Date.now() - started;
    // Through the codec, as every run file the CLI writes: what the lab will read.
    return decodeRunFile(
      encodeRunFile({
        name: opts.name ?? ticketRunName(first, config),
        createdAt: new Date().toISOString(),
        backend: node.description,
        config,
        wallMs,
        rounds: assembleRounds(config, perTrial),
        shard: null,
      }),
    );
  } finally {
    node.dispose();
  }
}
