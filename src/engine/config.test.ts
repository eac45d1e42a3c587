import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONTROLS,
  ConfigError,
  DEFAULT_CONFIG,
  type ConfigPatch,
  type ExperimentConfig,
  VARIANTS,
  mergeConfig,
  validateConfig,
  variantsOfRound,
} from './config';

/** A fresh copy of the defaults with `patch` applied, safe to break. */
const withPatch = (patch: ConfigPatch): ExperimentConfig =>
  structuredClone(mergeConfig(DEFAULT_CONFIG, patch));

function problems(patch: ConfigPatch | ((c: ExperimentConfig) => void)): string[] {
  const c = typeof patch === 'function' ? structuredClone(DEFAULT_CONFIG) : withPatch(patch);
  if (typeof patch === 'function') patch(c);
  try {
    validateConfig(c);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).name).toBe('ConfigError');
    return (e as ConfigError).problems;
  }
  return [];
}

describe('defaults', () => {
  it('are the paper’s LeNet-300-100 settings, and valid', () => {
    expect(DEFAULT_CONFIG.model.layers).toEqual([784, 300, 100, 10]);
    expect(DEFAULT_CONFIG.training).toMatchObject({ learningRate: 1.2e-3, batchSize: 60 });
    expect(DEFAULT_CONFIG.data).toEqual({
      trainSize: 55000,
      validationSize: 5000,
      testSize: 10000,
      task: 'mnist',
      inputs: 'meanstd',
    });
    expect(DEFAULT_CONFIG.model.init).toBe('glorot');
    expect(DEFAULT_CONFIG.pruning.criterion).toBe('magnitude');
    expect(DEFAULT_CONFIG.pruning).toMatchObject({
      scope: 'layer',
      rate: 0.2,
      outputRate: 0.1,
      method: 'iterative',
      reset: { kind: 'init' },
    });
    expect(validateConfig(DEFAULT_CONFIG)).toBe(DEFAULT_CONFIG);
  });

  it('name the variants and controls', () => {
    expect([...VARIANTS]).toEqual([
      'ticket',
      'reinit',
      'rearrange',
      'random',
      'signed',
      'bimodal',
      'bimodal-glorot',
    ]);
    expect([...CONTROLS]).toEqual(['reinit', 'rearrange', 'random', 'signed']);
  });
});

describe('mergeConfig', () => {
  it('overrides only the fields a patch names, group by group', () => {
    const c = mergeConfig(DEFAULT_CONFIG, {
      training: { iterations: 50 },
      pruning: { scope: 'global' },
    });
    expect(c.training).toEqual({ ...DEFAULT_CONFIG.training, iterations: 50 });
    expect(c.pruning).toEqual({ ...DEFAULT_CONFIG.pruning, scope: 'global' });
    expect(c.data).toEqual(DEFAULT_CONFIG.data);
    expect(c.model).toEqual(DEFAULT_CONFIG.model);
    expect(DEFAULT_CONFIG.training.iterations).toBe(3000); // the base is not modified
    expect(mergeConfig(DEFAULT_CONFIG, {})).toEqual(DEFAULT_CONFIG);
  });
});

describe('validateConfig', () => {
  it('names where masks were found only when it is another task than the run’s own', () => {
    const on = (task: 'mnist' | 'permuted', foundOn: 'mnist' | null) =>
      mergeConfig(DEFAULT_CONFIG, { data: { task }, pruning: { foundOn } });
    expect(validateConfig(on('permuted', 'mnist')).pruning.foundOn).toBe('mnist');
    expect(validateConfig(on('mnist', null)).pruning.foundOn).toBeNull();
    expect(() => validateConfig(on('mnist', 'mnist'))).toThrow(
      'pruning.foundOn names another task than data.task',
    );
  });

  it('names the field and the value of each problem', () => {
    expect(problems({ training: { learningRate: Number.NaN } })).toEqual([
      'training.learningRate must be a number in (0, 1], got NaN',
    ]);
    expect(problems({ training: { learningRate: 0 } })[0]).toMatch(/training\.learningRate/);
    expect(problems({ training: { learningRate: Infinity } })[0]).toMatch(/training\.learningRate/);
    expect(problems({ pruning: { rounds: -1 } })).toEqual([
      'pruning.rounds must be an integer in [0, 60], got -1',
    ]);
    expect(problems({ pruning: { rounds: 1.5 } })[0]).toMatch(/pruning\.rounds/);
    expect(problems({ pruning: { rate: 2 } })).toEqual([
      'pruning.rate must be a number in [0, 0.99], got 2',
    ]);
    expect(problems({ pruning: { outputRate: -0.1 } })[0]).toMatch(/pruning\.outputRate/);
    expect(problems({ training: { iterations: 0 } })[0]).toMatch(/training\.iterations/);
    expect(problems({ training: { evalEvery: 0 } })[0]).toMatch(/training\.evalEvery/);
    expect(problems({ training: { seed: -1 } })[0]).toMatch(/training\.seed/);
    expect(problems({ training: { seed: 2 ** 31 } })[0]).toMatch(/training\.seed/);
    expect(problems({ training: { batchSize: 0 } })[0]).toMatch(/training\.batchSize/);
    expect(problems({ data: { testSize: 10001 } })[0]).toMatch(/data\.testSize/);
    expect(problems({ data: { validationSize: 0 } })[0]).toMatch(/data\.validationSize/);
  });

  it('accepts the edges of each range', () => {
    expect(problems({ pruning: { rate: 0.99, outputRate: 0, rounds: 0 } })).toEqual([]);
    expect(problems({ pruning: { rounds: 60 } })).toEqual([]);
    expect(problems({ training: { learningRate: 1, seed: 2 ** 31 - 1 } })).toEqual([]);
    expect(problems({ data: { trainSize: 55000, validationSize: 5000, testSize: 10000 } })).toEqual(
      [],
    );
  });

  it('checks relations between fields', () => {
    expect(problems({ data: { trainSize: 55001 } })).toEqual([
      'data.trainSize + data.validationSize must be at most 60000',
    ]);
    expect(problems({ data: { trainSize: 50 } })).toEqual([
      'training.batchSize must not exceed data.trainSize',
    ]);
    expect(problems({ pruning: { reset: { kind: 'rewind', iteration: 3001 } } })[0]).toMatch(
      /pruning\.reset\.iteration .*\[0, 3000\]/,
    );
    expect(problems({ pruning: { reset: { kind: 'rewind', iteration: 3000 } } })).toEqual([]);
    expect(problems({ pruning: { reset: { kind: 'rewind', iteration: 0 } } })).toEqual([]);
  });

  it('checks the architecture: 784 inputs, 10 outputs, sane widths', () => {
    expect(problems({ model: { layers: [784, 300, 100, 10] } })).toEqual([]);
    expect(problems({ model: { layers: [784, 10] } })).toEqual([]);
    expect(problems({ model: { layers: [785, 10] } })[0]).toMatch(/model\.layers\[0\] must be 784/);
    expect(problems({ model: { layers: [784, 300, 9] } })[0]).toMatch(
      /last of model\.layers must be 10/,
    );
    expect(problems({ model: { layers: [784] } })[0]).toMatch(
      /model\.layers must list 2 to 10 widths/,
    );
    expect(problems({ model: { layers: [784, ...Array<number>(9).fill(8), 10] } })[0]).toMatch(
      /model\.layers must list 2 to 10 widths/,
    );
    expect(problems({ model: { layers: [784, 0, 10] } })[0]).toMatch(/model\.layers\[1\]/);
    expect(problems({ model: { layers: [784, 5000, 10] } })[0]).toMatch(/model\.layers\[1\]/);
  });

  it('checks the enumerations', () => {
    expect(problems((c) => ((c.pruning as { scope: string }).scope = 'row'))[0]).toMatch(
      /pruning\.scope/,
    );
    expect(problems((c) => ((c.pruning as { method: string }).method = 'twoShot'))[0]).toMatch(
      /pruning\.method/,
    );
    expect(
      problems((c) => ((c.pruning as { reset: unknown }).reset = { kind: 'later' }))[0],
    ).toMatch(/pruning\.reset/);
    expect(
      problems((c) => ((c.pruning as { controls: string[] }).controls = ['reinit', 'shuffle']))[0],
    ).toMatch(/pruning\.controls/);
    expect(problems({ pruning: { controls: ['reinit', 'reinit'] } })[0]).toMatch(/must not repeat/);
    expect(problems({ pruning: { controls: [] } })).toEqual([]);
  });

  it('lists every problem at once', () => {
    const p = problems({
      training: { learningRate: Number.NaN },
      pruning: { rounds: -1, rate: 2 },
    });
    expect(p.length).toBe(3);
    const e = new ConfigError(p);
    expect(e.message).toMatch(/^invalid experiment config: .*learningRate.*; .*rate.*; .*rounds/);
  });
});

describe('variantsOfRound', () => {
  it('trains the ticket alone in round 0, then the ticket and the controls', () => {
    const c = withPatch({ pruning: { controls: ['random', 'reinit'] } });
    expect(variantsOfRound(c, 0)).toEqual(['ticket']);
    expect(variantsOfRound(c, 1)).toEqual(['ticket', 'random', 'reinit']);
    expect(variantsOfRound(withPatch({ pruning: { controls: [] } }), 5)).toEqual(['ticket']);
  });
});

describe('validateConfig at the engine boundary', () => {
  it('refuses anything that is not a config with a ConfigError, never another exception', () => {
    // fast-check's counterexample: a list holding an object whose toString is null, compared with
    // another field.
    expect(() =>
      validateConfig({
        ...DEFAULT_CONFIG,
        data: { ...DEFAULT_CONFIG.data, trainSize: [{ toString: null }] },
      } as unknown as ExperimentConfig),
    ).toThrow(/data\.trainSize must be an integer/);
    const hostile = { toString: 1, valueOf: 1 };
    const cases: unknown[] = [
      null,
      3,
      'config',
      [],
      {},
      { ...DEFAULT_CONFIG, data: null },
      { ...DEFAULT_CONFIG, training: { ...DEFAULT_CONFIG.training, learningRate: hostile } },
      { ...DEFAULT_CONFIG, pruning: { ...DEFAULT_CONFIG.pruning, scope: hostile } },
    ];
    for (const c of cases) expect(() => validateConfig(c as ExperimentConfig)).toThrow(ConfigError);
    expect(() =>
      validateConfig({ ...DEFAULT_CONFIG, data: null } as unknown as ExperimentConfig),
    ).toThrow('data must be an object of settings');
    expect(() =>
      validateConfig({
        ...DEFAULT_CONFIG,
        training: { ...DEFAULT_CONFIG.training, learningRate: hostile },
      } as unknown as ExperimentConfig),
    ).toThrow(
      /training\.learningRate must be a number in \(0, 1\], got \{"toString":1,"valueOf":1\}/,
    );
  });

  it('fuzzed: any JSON value in any field gives a config or a ConfigError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('data', 'model', 'training', 'pruning'),
        fc.string({ maxLength: 12 }),
        fc.jsonValue(),
        (group, key, value) => {
          const c = structuredClone(DEFAULT_CONFIG) as unknown as Record<
            string,
            Record<string, unknown>
          >;
          c[group]![Object.keys(c[group]!)[key.length % Object.keys(c[group]!).length]!] = value;
          try {
            validateConfig(c as unknown as ExperimentConfig);
          } catch (e) {
            expect(e).toBeInstanceOf(ConfigError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
