/**
 * Ready-made setups (issue 3, "Controls"): the paper's own LeNet experiment, a lecture-length
 * version of the same story, and a quick look for a machine without a GPU. Each starts from the
 * paper's defaults (DEFAULT_CONFIG) and keeps only the user's backend, which says where the lab
 * runs, not what it computes.
 */
import { DEFAULT_CONFIG, mergeConfig, type ConfigPatch } from '../engine/config';
import type { LabSettings } from './field-kinds';

export interface Preset {
  id: 'paper' | 'lecture' | 'quick';
  label: string;
  description: string;
  settings(base: LabSettings): LabSettings;
}

/** The paper's defaults with `patch` over them, on the user's backend; fresh objects every call. */
const paperWith =
  (patch: ConfigPatch) =>
  (base: LabSettings): LabSettings => ({
    config: mergeConfig(DEFAULT_CONFIG, patch),
    backend: base.backend,
  });

export const PRESETS: readonly Preset[] = [
  {
    id: 'paper',
    label: 'Paper (Frankle & Carbin LeNet)',
    // 50,000 iterations per round is the paper's LeNet budget (Figure 2 / Appendix G); 12 rounds
    // at 20% (hidden) and 10% (output) leave P_m = 7.0%; its figures average 5 trials.
    description:
      'LeNet-300-100 on MNIST as in the paper: 55k training images, Adam at 1.2e-3, batches of 60, 50,000 iterations per round, 20% of each hidden layer and 10% of the output layer pruned per round for 12 rounds (7.0% of weights remain), survivors reset to θ0, with random reinit and rearranged connections as controls, and 5 seeds (trials), as the paper averages, so every result shows its spread. Hours, even on a GPU.',
    settings: paperWith({
      training: { iterations: 50_000, evalEvery: 100, trials: 5 },
      pruning: { rounds: 12, controls: ['reinit', 'rearrange'] },
    }),
  },
  {
    id: 'lecture',
    label: 'Lecture',
    // One seed took 1.3 minutes on the benchmarks' 2-core CPU, five 6.3 (4.93×: lockstep saves
    // little on a CPU; docs/benchmarks.md), so 3 take about 4 (presets.test.ts checks it with
    // plan.ts's estimate).
    description:
      'The whole story in about 4 minutes on a 2-core CPU: the paper’s settings, 12 rounds down to 7.0% of weights, 1,500 iterations per round, evaluated every 100 on 2,000 validation and 5,000 test images, with random reinit and rearranged connections as controls, and 3 seeds (trials) so the charts show each result’s spread.',
    settings: paperWith({
      data: { validationSize: 2000, testSize: 5000 },
      training: { iterations: 1500, evalEvery: 100, trials: 3 },
      pruning: { rounds: 12, controls: ['reinit', 'rearrange'] },
    }),
  },
  {
    id: 'quick',
    label: 'Quick look',
    description:
      'Under a minute on a machine without a GPU: 5 rounds (about a third of the weights remain) of 250 iterations, evaluated every 50 on 1,000 validation and 1,000 test images, with random reinit as the one control, and one seed (trial): differences between variants may be seed noise.',
    settings: paperWith({
      data: { validationSize: 1000, testSize: 1000 },
      training: { iterations: 250, evalEvery: 50, trials: 1 },
      pruning: { rounds: 5, controls: ['reinit'] },
    }),
  },
];

/**
 * The settings the page opens on, and what a link's omitted settings mean: the Quick look
 * preset (the whole story in under a minute on a CPU), on the auto backend.
 */
export const START_SETTINGS: LabSettings = PRESETS.find((p) => p.id === 'quick')!.settings({
  config: DEFAULT_CONFIG,
  backend: 'auto',
});
