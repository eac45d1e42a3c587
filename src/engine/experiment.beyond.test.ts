/**
 * Runs with issue 16's settings, whole, on real MNIST: a bimodal init trains its dense nets
 * beside the ticket (alone on tfjs, and in lockstep on the kernels, which then store every layer
 * dense); the signed control keeps the ticket's mask; a task or an input encoding trains what it
 * names; the accuracy before training is each curve's first point.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KernelCompute } from '../kernels/kernel-compute';
import { nodeKernels } from '../node-host/node-kernels';
import { splitMnist } from './data';
import { Experiment } from './experiment';
import { data, runAll, science, tiny, useTinyData } from './experiment.testing';
import { TrialsInLockstep } from './lockstep';
import { loadMnistFromDisk } from '../node-host/node-mnist';

useTinyData();
let kernels: KernelCompute;
beforeAll(async () => {
  kernels = await nodeKernels(2);
});
afterAll(() => kernels?.dispose());

describe('a bimodal init and the signed control', () => {
  const config = tiny({ model: { init: 'bimodal' }, pruning: { rounds: 2, controls: ['signed'] } });

  it('trains two dense nets drawn from each round’s survivors beside the ticket and its controls', async () => {
    const run = await runAll(config);
    expect(run.rounds[0]!.variants.map((v) => v.variant)).toEqual(['ticket']);
    for (const r of run.rounds.slice(1)) {
      expect(r.variants.map((v) => v.variant)).toEqual([
        'ticket',
        'signed',
        'bimodal',
        'bimodal-glorot',
      ]);
      const [ticket, signed, bimodal, glorot] = r.variants;
      expect(signed!.remainingByLayer).toEqual(ticket!.remainingByLayer);
      expect(signed!.pixelSurvivors).toEqual(ticket!.pixelSurvivors);
      for (const dense of [bimodal!, glorot!]) {
        expect(dense.remaining).toBe(1);
        expect(dense.curve.at(-1)!.testAccuracy).toBeGreaterThan(0.15); // chance: 0.1
      }
      // The two flavours start from the same draw at different scales: different curves.
      expect(bimodal!.curve).not.toEqual(glorot!.curve);
    }
  });

  it('trains the same rounds in lockstep on the kernels (dense storage), trial by trial', async () => {
    const two = tiny({
      model: { init: 'bimodal' },
      pruning: { rounds: 2, controls: ['signed'] },
      training: { trials: 2 },
    });
    const lockstep = new TrialsInLockstep(two, data, [0, 1], { compute: kernels, now: () => 0 });
    let together;
    try {
      together = await lockstep.run();
    } finally {
      lockstep.dispose();
    }
    for (const t of [0, 1]) {
      const e = new Experiment(two, data, { compute: kernels, trial: t, now: () => 0 });
      try {
        expect(science(together[t]!.rounds)).toEqual(science((await e.run()).rounds));
      } finally {
        e.dispose();
      }
    }
  });
});

describe('tasks and inputs', () => {
  it('a permuted task and [0, 1] inputs train what they name, and differ from MNIST’s run', async () => {
    const base = tiny({ pruning: { rounds: 1, controls: ['reinit'] } });
    const files = loadMnistFromDisk();
    const run = async (patch: Parameters<typeof tiny>[0]) => {
      const config = tiny({ ...patch, pruning: { rounds: 1, controls: ['reinit'] } });
      const e = new Experiment(config, splitMnist(files, config.data), {
        compute: kernels,
        now: () => 0,
      });
      try {
        return await e.run();
      } finally {
        e.dispose();
      }
    };
    const mnist = await run({});
    expect(mnist.config).toEqual(base);
    for (const patch of [
      { data: { task: 'permuted' as const } },
      { data: { inputs: 'unit' as const } },
    ]) {
      const other = await run(patch);
      expect(other.config.data).toMatchObject(patch.data);
      expect(science(other.rounds)).not.toEqual(science(mnist.rounds));
      // Above chance (0.1) after 20 steps: a fully connected net learns permuted pixels too.
      expect(other.rounds[0]!.variants[0]!.curve.at(-1)!.testAccuracy).toBeGreaterThan(0.15);
    }
  });
});
