/**
 * Trials in lockstep on the lab's kernels: every trial's rounds are bit for bit those it reaches
 * alone, resetting to θ0 or rewinding, iterative or one-shot; the observer hears each trial.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeKernels } from '../node-host/node-kernels';
import type { ExperimentConfig } from './config';
import { Experiment } from './experiment';
import { data, science, tiny, useTinyData } from './experiment.testing';
import type { KernelCompute } from '../kernels/kernel-compute';
import { MAX_LOCKSTEP_VARIANTS, TrialsInLockstep, lockstepGroups, noLockstep } from './lockstep';
import { tfCompute } from './tf-compute';

useTinyData();
let kernels: KernelCompute;
beforeAll(async () => {
  kernels = await nodeKernels(2);
});
afterAll(() => kernels?.dispose());

/** A trial's rounds, and every variant's trained weights per round as the observer heard them. */
async function alone(config: ExperimentConfig, trial: number, weights: Float32Array[][][] = []) {
  const e = new Experiment(config, data, { compute: kernels, trial, now: () => 0 });
  try {
    return (await e.run({ variantsTrained: (t) => weights.push(t.params.map((p) => p.weights)) }))
      .rounds;
  } finally {
    e.dispose();
  }
}

describe('trials in lockstep', () => {
  const configs: [string, ExperimentConfig][] = [
    ['reset to θ0', tiny({ training: { trials: 3 } })],
    [
      'rewound to iteration 10',
      tiny({ training: { trials: 3 }, pruning: { reset: { kind: 'rewind', iteration: 10 } } }),
    ],
    [
      'one-shot, one control',
      tiny({ training: { trials: 3 }, pruning: { method: 'oneShot', controls: ['reinit'] } }),
    ],
  ];
  for (const [name, config] of configs)
    it(`train every trial bit for bit as it trains alone (${name})`, async () => {
      const heard: string[] = [];
      const weights: Float32Array[][][][] = [[], [], []];
      const lockstep = new TrialsInLockstep(config, data, [0, 1, 2], {
        compute: kernels,
        now: () => 0,
      });
      let together;
      try {
        together = await lockstep.run({
          roundStarted: (t, r) => heard.push(`start ${t}/${r.round}`),
          variantsTrained: (t, trained) => {
            expect(trained.params).toHaveLength(trained.variants.length);
            weights[t]!.push(trained.params.map((p) => p.weights));
          },
          roundCompleted: (t, r) => heard.push(`done ${t}/${r.round}`),
        });
      } finally {
        lockstep.dispose();
      }
      for (const t of [0, 1, 2]) {
        expect(together[t]!.trial).toBe(t);
        const own: Float32Array[][][] = [];
        expect(science(together[t]!.rounds)).toEqual(science(await alone(config, t, own)));
        // Every variant's trained weights, heard per round, are those it reaches alone.
        expect(weights[t]).toEqual(own);
        expect(own.at(-1)).toHaveLength(1 + config.pruning.controls.length);
      }
      expect(heard.slice(0, 6)).toEqual([
        'start 0/0',
        'start 1/0',
        'start 2/0',
        'done 0/0',
        'done 1/0',
        'done 2/0',
      ]);
      expect(heard).toHaveLength(2 * 3 * (config.pruning.rounds + 1));
    });

  it('hears each trial’s curve points, and refuses a compute that shares one batch', async () => {
    const config = tiny({ training: { trials: 2 }, pruning: { rounds: 1 } });
    const points = new Map<string, number>();
    const lockstep = new TrialsInLockstep(config, data, [1, 0], { compute: kernels });
    try {
      await lockstep.run({
        curvePoint: (t, round, variant) => {
          const key = `${t} ${round} ${variant}`;
          points.set(key, (points.get(key) ?? 0) + 1);
        },
      });
    } finally {
      lockstep.dispose();
    }
    // 20 iterations evaluated every 10: 3 points a variant a round, each told with its trial.
    expect([...points.entries()].sort()).toEqual(
      [
        '0 0 ticket',
        '0 1 random',
        '0 1 rearrange',
        '0 1 reinit',
        '0 1 ticket',
        '1 0 ticket',
        '1 1 random',
        '1 1 rearrange',
        '1 1 reinit',
        '1 1 ticket',
      ].map((k) => [k, 3]),
    );
    expect(() => new TrialsInLockstep(config, data, [0], { compute: tfCompute })).toThrow(
      /no lockstep: tfjs \w+ trains every variant on one batch/,
    );
    // Global pruning splits each trial's weights between layers its own way: no shared layout.
    const global = tiny({ training: { trials: 2 }, pruning: { scope: 'global' } });
    expect(noLockstep(global, kernels)).toMatch(/global pruning/);
    expect(noLockstep(config, kernels)).toBeNull();
  });

  it('groups trials so that a trainer holds at most 24 variants', () => {
    const three = tiny({ pruning: { controls: ['reinit', 'rearrange'] } });
    expect(lockstepGroups(three, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7],
      [8, 9],
    ]);
    expect(lockstepGroups(tiny({ pruning: { controls: [] } }), [0, 1, 2])).toEqual([[0, 1, 2]]);
    expect(MAX_LOCKSTEP_VARIANTS).toBe(24);
    // Wide layers: 784-4096-10 takes about 53 MB a variant, so 7 fit the budget: 2 trials of 3.
    const wide = tiny({
      model: { layers: [784, 4096, 10] },
      pruning: { controls: ['reinit', 'rearrange'] },
    });
    expect(lockstepGroups(wide, [0, 1, 2, 3, 4])).toEqual([[0, 1], [2, 3], [4]]);
    const huge = tiny({ model: { layers: [784, 4096, 4096, 10] } });
    expect(lockstepGroups(huge, [0, 1])).toEqual([[0], [1]]);
  });
});
