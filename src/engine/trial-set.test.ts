/**
 * A run's trials round by round, as the lab trains them: every round of every trial is bit for
 * bit what the trial reaches alone, in lockstep (the lab's kernels) or one by one (tfjs), and a
 * set continued from its trials' continuations ends where the unbroken set ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeKernels } from '../node-host/node-kernels';
import type { KernelCompute } from '../kernels/kernel-compute';
import type { Compute } from './compute';
import type { ExperimentConfig } from './config';
import { Experiment, type RoundResult } from './experiment';
import { data, science, tiny, useTinyData } from './experiment.testing';
import { tfCompute } from './tf-compute';
import { TrialSet } from './trial-set';

useTinyData();
let kernels: KernelCompute;
beforeAll(async () => {
  kernels = await nodeKernels(2);
});
afterAll(() => kernels?.dispose());

async function alone(config: ExperimentConfig, trial: number, compute: Compute) {
  const e = new Experiment(config, data, { compute, trial, now: () => 0 });
  try {
    return (await e.run()).rounds;
  } finally {
    e.dispose();
  }
}

/** Every round of the set; what the observer heard, in order. */
async function whole(set: TrialSet) {
  const heard: string[] = [];
  const rounds: RoundResult[][] = [];
  try {
    while (!set.done)
      rounds.push(
        await set.runRound({
          roundStarted: (t, r) => heard.push(`start ${t}/${r.round}`),
          roundCompleted: (t, r) => heard.push(`done ${t}/${r.round}`),
        }),
      );
  } finally {
    set.dispose();
  }
  return { heard, rounds };
}

describe('a run’s trials, round by round', () => {
  const config = tiny({ training: { trials: 3 }, pruning: { rounds: 2, controls: ['reinit'] } });

  it('trains round r of every trial before round r + 1, in lockstep on the kernels', async () => {
    const set = new TrialSet(config, data, { compute: kernels, now: () => 0 });
    expect(set.oneByOne).toBeNull();
    const { heard, rounds } = await whole(set);
    expect(heard.slice(0, 6)).toEqual([
      'start 0/0',
      'start 1/0',
      'start 2/0',
      'done 0/0',
      'done 1/0',
      'done 2/0',
    ]);
    expect(rounds.map((r) => r.map((x) => x.round))).toEqual([
      [0, 0, 0],
      [1, 1, 1],
      [2, 2, 2],
    ]);
    for (const t of [0, 1, 2])
      expect(science(rounds.map((r) => r[t]!))).toEqual(science(await alone(config, t, kernels)));
  });

  it('trains them one by one on tfjs, each as it trains alone', async () => {
    const set = new TrialSet(config, data, { compute: tfCompute, now: () => 0 });
    expect(set.oneByOne).toMatch(/one batch/);
    const progress = new Set<number | undefined>();
    const rounds: RoundResult[][] = [];
    try {
      while (!set.done)
        rounds.push(await set.runRound({ progress: (_r, _i, _n, trial) => progress.add(trial) }));
    } finally {
      set.dispose();
    }
    // Each trial's steps are told with its trial: a page can show which seed trains.
    expect([...progress].sort()).toEqual([0, 1, 2]);
    for (const t of [0, 1, 2])
      expect(science(rounds.map((r) => r[t]!))).toEqual(science(await alone(config, t, tfCompute)));
  });

  it('continues every trial from its continuation as if it had never stopped', async () => {
    const unbroken = (await whole(new TrialSet(config, data, { compute: kernels, now: () => 0 })))
      .rounds;
    const first = new TrialSet(config, data, { compute: kernels, now: () => 0 });
    let from;
    try {
      await first.runRound();
      from = first.continuations();
    } finally {
      first.dispose();
    }
    expect(from.map((c) => c?.nextRound)).toEqual([1, 1, 1]);
    const rest = await whole(
      new TrialSet(config, data, {
        compute: kernels,
        now: () => 0,
        continueFrom: from.map((c) => c ?? undefined),
      }),
    );
    expect(rest.rounds.map((r) => science(r))).toEqual(unbroken.slice(1).map((r) => science(r)));
  });

  it('refuses trials to continue that are at different rounds, or not every trial of the run', () => {
    const c = (nextRound: number) => ({
      nextRound,
      masks: [],
      rewindTo: null,
      denseTrained: null,
    });
    expect(
      () => new TrialSet(config, data, { compute: kernels, continueFrom: [c(1), c(2), c(1)] }),
    ).toThrow(/different rounds/);
    expect(
      () =>
        new TrialSet(config, data, { compute: kernels, continueFrom: [c(1), c(1), c(1), c(1)] }),
    ).toThrow(/4 trials to continue, but the run has 3/);
    // All or none: a trial left out would start at round 0 beside the others.
    expect(
      () => new TrialSet(config, data, { compute: kernels, continueFrom: [c(1), c(1)] }),
    ).toThrow(/2 trials to continue, but the run has 3/);
  });
});
