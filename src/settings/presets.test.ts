import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  mergeConfig,
  validateConfig,
  type ExperimentConfig,
} from '../engine/config';
import { scheduledLayerCounts } from '../engine/prune';
import { type LabSettings } from './field-kinds';
import { FIELDS, normalizeSettings } from './fields';
import { estimateSeconds, plannedWork, type PlannedWork } from './plan';
import { PRESETS, type Preset } from './presets';

const user: LabSettings = {
  config: mergeConfig(DEFAULT_CONFIG, {
    training: { seed: 42, batchSize: 500, trials: 7 },
    pruning: { scope: 'global' },
  }),
  backend: 'wasm',
};
const preset = (id: Preset['id']) => {
  const p = PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(id);
  return p;
};

/** P_m after all rounds: the share of LeNet's weights that the schedule leaves (layer scope). */
function finalPm(c: ExperimentConfig): number {
  const sizes = c.model.layers.slice(1).map((w, i) => w * c.model.layers[i]!);
  const kept = scheduledLayerCounts(c, sizes, c.pruning.rounds);
  return kept.reduce((a, b) => a + b, 0) / sizes.reduce((a, b) => a + b, 0);
}

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five'];
/** The seeds a description names ("3 seeds (trials)", "one seed (trial)"), or null if none. */
function seedsNamed(description: string): number | null {
  const m = /\b(\w+) seeds? \(trials?\)/.exec(description);
  if (!m) return null;
  const word = NUMBER_WORDS.indexOf(m[1]!);
  return word >= 0 ? word : Number(m[1]);
}

describe('presets', () => {
  it('are the three of the issue, each with a label and a description', () => {
    expect(PRESETS.map((p) => p.id)).toEqual(['paper', 'lecture', 'quick']);
    expect(PRESETS.map((p) => p.label)).toEqual([
      'Paper (Frankle & Carbin LeNet)',
      'Lecture',
      'Quick look',
    ]);
    for (const p of PRESETS) expect(p.description.length).toBeGreaterThan(40);
  });

  it('give valid configs that the table already holds consistent, on the user’s backend', () => {
    for (const p of PRESETS) {
      for (const backend of ['auto', 'webgpu', 'cpu'] as const) {
        const s = p.settings({ ...user, backend });
        expect(s.backend).toBe(backend);
        expect(() => validateConfig(s.config), p.id).not.toThrow();
        expect(normalizeSettings(s), p.id).toEqual(s);
      }
    }
  });

  it('sit on every slider’s grid', () => {
    for (const p of PRESETS) {
      const s = p.settings(user);
      for (const f of FIELDS)
        if (f.kind === 'int' && f.key !== 'rewindAt')
          expect((f.get(s) - f.min) % f.step, `${p.id}.${f.key}`).toBe(0);
    }
  });

  it('start from the paper, not from what the user had set', () => {
    for (const p of PRESETS) {
      const c = p.settings(user).config;
      expect(c.training.seed).toBe(DEFAULT_CONFIG.training.seed);
      expect(c.training.batchSize).toBe(60);
      expect(c.pruning.scope).toBe('layer');
      expect(c.data.trainSize).toBe(55_000);
      expect(c.model.layers).toEqual([784, 300, 100, 10]);
    }
  });

  it('give fresh objects: editing one result touches neither the next nor DEFAULT_CONFIG', () => {
    const before = structuredClone(DEFAULT_CONFIG);
    for (const p of PRESETS) {
      const a = p.settings(user);
      a.config.pruning.controls.push('random');
      a.config.model.layers.push(7);
      a.config.training.iterations = 1;
      const b = p.settings(user);
      expect(b.config.pruning.controls).not.toContain('random');
      expect(b.config.model.layers).toEqual([784, 300, 100, 10]);
      expect(b.config.training.iterations).not.toBe(1);
    }
    expect(DEFAULT_CONFIG).toEqual(before);
  });

  it('paper: the paper’s LeNet run — DEFAULT_CONFIG with 50,000 iterations a round, down to P_m 7.0%', () => {
    const c = preset('paper').settings(user).config;
    expect(c).toEqual(
      mergeConfig(DEFAULT_CONFIG, {
        training: { iterations: 50_000, evalEvery: 100, trials: 5 },
        pruning: { rounds: 12, controls: ['reinit', 'rearrange'] },
      }),
    );
    expect(c.data).toEqual({
      trainSize: 55_000,
      validationSize: 5000,
      testSize: 10_000,
      task: 'mnist',
      inputs: 'meanstd',
    });
    expect(c.training).toMatchObject({ learningRate: 1.2e-3, batchSize: 60 });
    expect(c.pruning).toMatchObject({
      scope: 'layer',
      rate: 0.2,
      outputRate: 0.1,
      method: 'iterative',
      reset: { kind: 'init' },
    });
    expect((finalPm(c) * 100).toFixed(1)).toBe('7.0');
  });

  it('lecture: the same story to 7.0%, with shorter rounds and smaller evaluation sets', () => {
    const c = preset('lecture').settings(user).config;
    expect(c).toEqual(
      mergeConfig(DEFAULT_CONFIG, {
        data: { validationSize: 2000, testSize: 5000 },
        training: { iterations: 1500, evalEvery: 100, trials: 3 },
        pruning: { rounds: 12, controls: ['reinit', 'rearrange'] },
      }),
    );
    expect((finalPm(c) * 100).toFixed(1)).toBe('7.0');
  });

  it('lecture: the minutes it names are plan.ts’s estimate from the one-seed benchmark', () => {
    const c = preset('lecture').settings(user).config;
    // docs/benchmarks.md: one seed of the Lecture preset took 1.3 minutes on its 2-core CPU.
    const oneSeed = mergeConfig(c, { training: { trials: 1 } });
    const measured = { config: oneSeed, examplesPerSecond: plannedWork(oneSeed).trained / 78 };
    const minutes = Math.round(estimateSeconds(c, measured)! / 60);
    expect(preset('lecture').description).toContain(`about ${minutes} minutes on a 2-core CPU`);
  });

  it('quick look: 5 short rounds (about a third of the weights left), one control', () => {
    const c = preset('quick').settings(user).config;
    expect(c).toEqual(
      mergeConfig(DEFAULT_CONFIG, {
        data: { validationSize: 1000, testSize: 1000 },
        training: { iterations: 250, evalEvery: 50, trials: 1 },
        pruning: { rounds: 5, controls: ['reinit'] },
      }),
    );
    expect(finalPm(c)).toBeCloseTo(1 / 3, 1);
  });

  it('use the paper’s 5 seeds, 3 for a lecture, 1 for a quick look, and say so', () => {
    expect(PRESETS.map((p) => p.settings(user).config.training.trials)).toEqual([5, 3, 1]);
    for (const p of PRESETS)
      expect(seedsNamed(p.description), p.id).toBe(p.settings(user).config.training.trials);
    // One seed cannot tell a difference from seed noise, and the quick look says it.
    expect(preset('quick').description).toMatch(/seed noise/);
  });

  it('cost less training and evaluation from paper to lecture to quick look', () => {
    const [paper, lecture, quick] = (['paper', 'lecture', 'quick'] as const).map((id) =>
      plannedWork(preset(id).settings(user).config),
    ) as [PlannedWork, PlannedWork, PlannedWork];
    expect(quick.trained).toBeLessThan(lecture.trained);
    expect(lecture.trained).toBeLessThan(paper.trained);
    expect(quick.evaluated).toBeLessThan(lecture.evaluated);
    expect(lecture.evaluated).toBeLessThan(paper.evaluated);
    // Quick look: 11 variant-rounds of 250 batches of 60, i.e. 165,000 training examples in all.
    expect(quick.trained).toBe(165_000);
  });
});
