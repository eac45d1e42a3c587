/**
 * What a run trains from (issue 4): the config and engine state a RunSpec (protocol.ts) starts
 * from, read from the run history where it continues a stored run. Kept apart from the
 * handler's loop.
 */
import type { ExperimentConfig } from '../engine/config';
import type { Continuation } from '../engine/experiment';
import { ticketRun } from '../formats/ticket-run';
import { type RunDb } from '../history/run-db';
import { type RunOrigin, defaultRunName } from '../history/run-meta';
import { type RunSpec, assertNever, errorMessage } from './protocol';

/** The part of the run history the worker writes to. */
export type RunStore = Pick<
  RunDb,
  | 'createRun'
  | 'saveRound'
  | 'setStatus'
  | 'trainedOn'
  | 'delete'
  | 'get'
  | 'trialContinuations'
  | 'keptWeights'
>;

/** A run that cannot start, for a reason the user should read as it is. */
export class Refused extends Error {}

export interface RunPlan {
  config: ExperimentConfig;
  /** Per trial, in trial order: where it continues from. */
  continueFrom?: Continuation[];
  /** The stored run to go on with (a new run is stored once its experiment exists). */
  runId?: string;
  origin: RunOrigin;
  name: string;
  /**
   * The first round the run trained, wherever it goes on from: 0, or an imported ticket's round
   * (such a run, continued or not, has no dense round: weights-keeper.ts noDense).
   */
  firstRound: number;
}

/** The config and engine state a spec trains from, and how its stored run is named. */
export async function planRun(spec: RunSpec, history: RunStore | null): Promise<RunPlan> {
  switch (spec.kind) {
    case 'new':
      return {
        config: spec.config,
        origin: 'lab',
        name: spec.name ?? defaultRunName(spec.config),
        firstRound: 0,
      };
    case 'importedTicket': {
      const { config, continueFrom } = ticketRun(spec.ticket, spec.controls, spec.task);
      return {
        config,
        continueFrom: [continueFrom],
        origin: 'ticket',
        name: spec.name,
        firstRound: spec.ticket.round,
      };
    }
    case 'continue': {
      const meta = await history?.get(spec.runId);
      if (!meta) throw new Refused('that run is no longer in the history');
      const continueFrom = await history!
        .trialContinuations(spec.runId, meta.config)
        .catch((e: unknown) => {
          throw new Refused(`"${meta.name}" cannot go on: ${errorMessage(e)}`);
        });
      if (!meta.continuable || !continueFrom)
        throw new Refused(`"${meta.name}" has no round left to train`);
      return {
        config: meta.config,
        continueFrom,
        runId: meta.id,
        origin: meta.origin,
        name: meta.name,
        firstRound: meta.firstRound,
      };
    }
    default:
      return assertNever(spec);
  }
}
