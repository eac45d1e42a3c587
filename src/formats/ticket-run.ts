/**
 * Between a run and a ticket file (issue 4, the paper's story): a ticket found in a run, on any
 * machine, is exported with its masks and the weights its survivors reset to; imported, it is
 * trained from scratch as its round of that run, with the same hyperparameters and data order.
 */
import {
  type ControlName,
  type ExperimentConfig,
  type TaskName,
  canonicalConfig,
  validateConfig,
} from '../engine/config';
import type { Continuation, RoundResult } from '../engine/experiment';
import { type Params, initialParams } from '../engine/init';
import { trialSeed } from '../engine/trial-seed';
import type { Ticket } from './ticket';

export const RANDOM_NEEDS_DENSE =
  'a rewind ticket keeps only its survivors, and random pruning needs every weight at iteration k: train it beside reinit or rearrange';

/**
 * Controls a ticket can be trained beside (random pruning needs dense weights a rewind ticket
 * lacks).
 */
export function controlsFor(ticket: Ticket): ControlName[] {
  return ticket.weights.kind === 'rewind'
    ? ['reinit', 'rearrange']
    : ['reinit', 'rearrange', 'random'];
}

export interface TicketSource {
  config: ExperimentConfig;
  /** The round whose ticket it is: its result and the ticket's masks (0/1 per weight). */
  result: RoundResult;
  masks: readonly Uint8Array[];
  /** θ0 of the run, and for a rewinding run the weights at iteration k. */
  theta0: Params;
  rewindTo: Params | null;
  createdBy: string;
  createdAt?: string;
}

/** What a round-r ticket resets to: θ0, or (for a pruned round of a rewinding run) iteration k. */
function resetOf(config: ExperimentConfig, round: number): Ticket['weights'] {
  const reset = config.pruning.reset;
  return round > 0 && reset.kind === 'rewind'
    ? { kind: 'rewind', iteration: reset.iteration }
    : { kind: 'init' };
}

export function ticketOfRound(s: TicketSource): Ticket {
  const { config, result, masks } = s;
  const weights = resetOf(config, result.round);
  const source = weights.kind === 'rewind' ? s.rewindTo : s.theta0;
  if (!source)
    throw new Error(
      `round ${result.round} rewinds to iteration ${config.pruning.reset.kind === 'rewind' ? config.pruning.reset.iteration : 0}, and those weights were not kept`,
    );
  const layers = config.model.layers;
  const ticket = result.variants.find((v) => v.variant === 'ticket');
  return {
    config,
    round: result.round,
    weights,
    remaining: result.remaining,
    remainingByLayer: [...result.remainingByLayer],
    result: ticket
      ? {
          earlyStop: { ...ticket.earlyStop },
          finalTestAccuracy: ticket.finalTestAccuracy,
          curve: ticket.curve,
        }
      : null,
    createdAt: s.createdAt ?? new Date().toISOString(),
    createdBy: s.createdBy,
    layers: masks.map((mask, l) => {
      const w = source.weights[l]!;
      const kept = new Float32Array(w.length);
      for (let i = 0; i < w.length; i++) if (mask[i]) kept[i] = w[i]!;
      return {
        inputs: layers[l]!,
        outputs: layers[l + 1]!,
        mask: mask.slice(),
        weights: kept,
        biases: source.biases[l]!.slice(),
      };
    }),
  };
}

/** The task a ticket's masks were found on (a ticket from a transfer run names it). */
export const foundOnOf = (ticket: Ticket): TaskName =>
  ticket.config.pruning.foundOn ?? ticket.config.data.task;

/**
 * The config and engine state that train `ticket` as round `ticket.round` of its run, with
 * `controls` beside it, on `task` (by default its run's, where its masks were found unless that run
 * trained a transferred ticket; another one is Morcos et al. 2019's transfer, and the config then
 * names where the masks came from). θ0 is the seed's,
 * with the ticket's survivors written over it, so the grey histograms of Figure 3 still show the
 * whole layer's initial weights.
 */
export function ticketRun(
  ticket: Ticket,
  controls: readonly ControlName[],
  task: TaskName = ticket.config.data.task,
): { config: ExperimentConfig; continueFrom: Continuation } {
  const c = ticket.config;
  const foundOn = foundOnOf(ticket);
  // Random pruning draws new positions from the dense weights at iteration k, which a rewind ticket
  // does not carry.
  if (ticket.weights.kind === 'rewind' && controls.includes('random'))
    throw new Error(RANDOM_NEEDS_DENSE);
  // A ticket is one trial's: trained here as a one-trial run of its seed.
  const config = validateConfig({
    ...c,
    data: { ...c.data, task },
    model: { ...c.model, layers: [...c.model.layers] },
    training: { ...c.training, trials: 1 },
    pruning: {
      ...c.pruning,
      rounds: ticket.round,
      controls: [...controls],
      foundOn: foundOn === task ? null : foundOn,
    },
  });
  const theta0 = initialParams(config.model.layers, config.training.seed);
  const stored: Params = {
    weights: ticket.layers.map((l) => l.weights),
    biases: ticket.layers.map((l) => l.biases),
  };
  if (ticket.weights.kind === 'init') {
    ticket.layers.forEach((l, i) => {
      const w = theta0.weights[i]!;
      for (let j = 0; j < w.length; j++) if (l.mask[j]) w[j] = l.weights[j]!;
      theta0.biases[i] = l.biases.slice();
    });
  }
  return {
    config,
    continueFrom: {
      nextRound: ticket.round,
      masks: ticket.layers.map((l) => l.mask.slice()),
      rewindTo: ticket.weights.kind === 'rewind' ? stored : null,
      denseTrained: null,
      theta0,
    },
  };
}

/** Tickets that cannot train as the trials of one run, and why, in words. */
export class TicketsMismatch extends Error {}

/** A run's config with its seed left out: what the trials of one run share. */
const unseeded = (c: ExperimentConfig) =>
  JSON.stringify(canonicalConfig({ ...c, training: { ...c.training, seed: 0, trials: 1 } }));

/**
 * The tickets of trials 0, 1, … of one run (the CLI's `--tickets DIR` writes them as
 * trial-T-round-NN.ticket), trained as the trials of one run on `task`, beside `controls`: each
 * trial from its own ticket, with its own seed's data order and control draws, as the run they
 * came from trained them. Refuses, in words, tickets of different runs, rounds or trial order.
 */
export function ticketsRun(
  tickets: readonly { ticket: Ticket; name: string }[],
  controls: readonly ControlName[],
  task: TaskName,
): { config: ExperimentConfig; continueFrom: Continuation[] } {
  const first = tickets[0];
  if (!first) throw new TicketsMismatch('no ticket to train');
  const seed = first.ticket.config.training.seed;
  tickets.forEach(({ ticket, name }, t) => {
    const what = `${name} (ticket ${t + 1} of ${tickets.length})`;
    if (unseeded(ticket.config) !== unseeded(first.ticket.config))
      throw new TicketsMismatch(
        `${what} comes from a run with other settings than ${first.name}: give the tickets of one run's trials`,
      );
    if (ticket.round !== first.ticket.round)
      throw new TicketsMismatch(
        `${what} is round ${ticket.round}'s, ${first.name} round ${first.ticket.round}'s: give one round's tickets`,
      );
    const expected = trialSeed(seed, t);
    if (ticket.config.training.seed !== expected)
      throw new TicketsMismatch(
        `${what} has seed ${ticket.config.training.seed}, but trial ${t} of a run of seed ${seed} has seed ${expected}: give the tickets of one run's trials 0, 1, 2, … in that order (trial 0's first: its seed is the run's)`,
      );
  });
  const runs = tickets.map(({ ticket }) => ticketRun(ticket, controls, task));
  const one = runs[0]!.config;
  return {
    config: validateConfig({
      ...one,
      training: { ...one.training, seed, trials: tickets.length },
    }),
    continueFrom: runs.map((r) => r.continueFrom),
  };
}
