/**
 * Fixtures shared by the Experiment tests (experiment.test.ts, experiment.continue.test.ts): the
 * tiny LeNet config, the MNIST slice it trains on, a whole-run helper and the comparison of runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll } from 'vitest';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import { DEFAULT_CONFIG, type ConfigPatch, type ExperimentConfig, mergeConfig } from './config';
import { type Dataset, splitMnist } from './data';
import { type ExperimentResult, Experiment, type RoundResult } from './experiment';

export const TINY: ExperimentConfig = mergeConfig(DEFAULT_CONFIG, {
  data: { trainSize: 600, validationSize: 200, testSize: 200 },
  model: { layers: [784, 16, 8, 10] },
  training: { iterations: 20, evalEvery: 10, batchSize: 20, seed: 0 },
  pruning: { rounds: 3, controls: ['reinit', 'rearrange', 'random'] },
});

/**
 * TINY with `patch`; mergeConfig copies groups shallowly, so the arrays are copied too: no run
 * shares them.
 */
export const tiny = (patch: ConfigPatch = {}): ExperimentConfig => {
  const c = mergeConfig(TINY, patch);
  return {
    ...c,
    model: { ...c.model, layers: [...c.model.layers] },
    pruning: { ...c.pruning, controls: [...c.pruning.controls] },
  };
};

// Set by useTinyData()'s beforeAll; read through the import's live binding.
export let data: Dataset;

/** Registers the hook that starts the CPU backend and loads the MNIST slice TINY trains on. */
export function useTinyData() {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
    data = splitMnist(loadMnistFromDisk(), TINY.data);
  });
}

export async function runAll(config: ExperimentConfig): Promise<ExperimentResult> {
  const e = new Experiment(config, data, { now: () => 0 });
  try {
    return await e.run();
  } finally {
    e.dispose();
  }
}

/** What must match between two runs: everything but wall time. */
export const science = (r: RoundResult[]) =>
  r.map(({ wallMs: _w, examplesPerSecond: _e, ...rest }) => rest);
