/**
 * The trials of a CLI run, trained here: in lockstep groups (one trainer for several trials, each
 * on its own data order) where the compute and the config allow it, else one after another. Prints
 * each trial's rounds and writes its tickets; the results are the same either way, bit for bit.
 */
import { join } from 'node:path';
import type { ExperimentConfig } from '../src/engine/config';
import type { Dataset } from '../src/engine/data';
import { Experiment, type RoundResult } from '../src/engine/experiment';
import {
  type TrialsObserver,
  TrialsInLockstep,
  lockstepGroups,
  noLockstep,
} from '../src/engine/lockstep';
import { numberList } from '../src/formats/errors';
import { encodeTicket } from '../src/formats/ticket';
import { ticketOfRound } from '../src/formats/ticket-run';
import type { NodeCompute } from '../src/node-host/node-backend';
import type { CliOptions } from './args';
import { writeWhole } from './write';

export interface TrialRounds {
  trial: number;
  seed: number;
  rounds: RoundResult[];
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** Trials for a line of output: "3", "0–9999" when consecutive, else the first few. */
export function trialList(trials: readonly number[]): string {
  const first = trials[0]!;
  const last = trials[trials.length - 1]!;
  if (trials.length > 2 && trials.every((t, i) => t === first + i)) return `${first}–${last}`;
  return numberList(trials);
}

/**
 * Prints a trial's rounds and writes its tickets, however the trials are trained; `seeds` is
 * filled in as trials start, before any of their events.
 */
export function reporter(
  config: ExperimentConfig,
  node: NodeCompute,
  opts: CliOptions,
): { observer: TrialsObserver; seeds: Map<number, number> } {
  const many = config.training.trials > 1;
  const seeds = new Map<number, number>();
  const tag = (trial: number) => (many ? `trial ${trial} (seed ${seeds.get(trial)}) ` : '');
  const started = Date.now();
  let lastPrint = 0;
  const observer: TrialsObserver = {
    roundStarted: (trial, r) =>
      console.log(
        `${tag(trial)}round ${r.round}: P_m ${(100 * r.remaining).toFixed(1)}%, training ${r.variants.join(', ')}`,
      ),
    progress: (round, it, n, trial?: number, together = 1) => {
      if (opts.quiet || Date.now() - lastPrint < 10_000) return;
      lastPrint = Date.now();
      const who =
        trial === undefined
          ? ''
          : together > 1
            ? `trials ${trial}–${trial + together - 1} `
            : tag(trial);
      console.log(
        `  ${who}round ${round} iteration ${it}/${n} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
      );
    },
    roundCompleted: (trial, r, experiment) => {
      const parts = r.variants.map(
        (v) =>
          `${v.variant} ${pct(v.earlyStop.testAccuracy)} @ ${v.earlyStop.iteration} (before training ${pct(v.curve[0]!.testAccuracy)})`,
      );
      console.log(
        `  ${tag(trial)}done in ${(r.wallMs / 1000).toFixed(1)} s, ${Math.round(r.examplesPerSecond)} examples/s: ${parts.join(' | ')}`,
      );
      if (!opts.tickets) return;
      // The ticket the lab's "Import…" trains on any device (docs/file-formats.md): a one-trial
      // run of this trial's seed, so its θ0 is this trial's.
      const ticket = ticketOfRound({
        config: { ...config, training: { ...config.training, seed: experiment.seed, trials: 1 } },
        result: r,
        masks: experiment.ticketMasks.map((m) => m.bits),
        theta0: experiment.theta0,
        rewindTo: experiment.rewindWeights,
        createdBy: `lottery-ticket-lab cli (${node.description})`,
      });
      const round = `round-${String(r.round).padStart(2, '0')}.ticket`;
      const file = join(opts.tickets, many ? `trial-${trial}-${round}` : round);
      writeWhole(file, encodeTicket(ticket));
      console.log(`  wrote ${file} (${(100 * r.remaining).toFixed(1)}% of weights)`);
    },
  };
  return { observer, seeds };
}

/**
 * Trains `trials` of `config`; `afterFirst` hears the first results (a group's, or a trial's),
 * in time to refuse a run that will not fit its file.
 */
export async function trainTrials(
  config: ExperimentConfig,
  data: Dataset,
  node: NodeCompute,
  trials: readonly number[],
  opts: CliOptions,
  afterFirst: (first: TrialRounds) => void,
): Promise<TrialRounds[]> {
  const { observer, seeds } = reporter(config, node, opts);
  const out: TrialRounds[] = [];
  const why = trials.length > 1 ? noLockstep(config, node.compute) : 'one trial';
  if (!why) {
    const groups = lockstepGroups(config, trials);
    console.log(
      groups.length === 1
        ? `trials ${trialList(trials)} in lockstep: one trainer`
        : `trials in lockstep, ${groups.length} groups of up to ${groups[0]!.length}, one trainer each`,
    );
    for (const [i, group] of groups.entries()) {
      const lockstep = new TrialsInLockstep(config, data, group, { compute: node.compute });
      try {
        for (const e of lockstep.experiments) seeds.set(e.trial, e.seed);
        out.push(...(await lockstep.run(observer)));
      } finally {
        lockstep.dispose();
      }
      if (i === 0) afterFirst(out[0]!);
    }
    return out;
  }
  if (trials.length > 1) console.log(`trials one after another: ${why}`);
  for (const [i, trial] of trials.entries()) {
    const experiment = new Experiment(config, data, { compute: node.compute, trial });
    seeds.set(trial, experiment.seed);
    try {
      const result = await experiment.run({
        roundStarted: (r) => observer.roundStarted?.(trial, r),
        progress: (round, it, n) => observer.progress?.(round, it, n, trial),
        roundCompleted: (r) => observer.roundCompleted?.(trial, r, experiment),
      });
      out.push({ trial, seed: experiment.seed, rounds: result.rounds });
    } finally {
      experiment.dispose();
    }
    if (i === 0) afterFirst(out[0]!);
  }
  return out;
}
