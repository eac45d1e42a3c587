import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_CONFIG,
  type ConfigPatch,
  validateConfig,
} from '../src/engine/config';
import { USAGE, parseCli, resolveConfig } from './args';

describe('parseCli', () => {
  it('maps every experiment flag into the config patch', () => {
    const o = parseCli([
      '--iterations',
      '500',
      '--rounds',
      '4',
      '--rate',
      '0.3',
      '--output-rate',
      '0.15',
      '--scope',
      'global',
      '--controls',
      'reinit,random',
      '--one-shot',
      '--rewind',
      '100',
      '--seed',
      '7',
      '--batch',
      '30',
      '--lr',
      '0.01',
      '--eval-every',
      '25',
    ]);
    expect(o.patch).toEqual({
      training: { iterations: 500, seed: 7, batchSize: 30, learningRate: 0.01, evalEvery: 25 },
      pruning: {
        rounds: 4,
        rate: 0.3,
        outputRate: 0.15,
        scope: 'global',
        controls: ['reinit', 'random'],
        method: 'oneShot',
        reset: { kind: 'rewind', iteration: 100 },
      },
    });
  });

  it('maps each flag on its own, and leaves out groups no flag touched', () => {
    expect(parseCli([]).patch).toEqual({});
    expect(parseCli(['--iterations', '50']).patch).toEqual({ training: { iterations: 50 } });
    expect(parseCli(['--rounds', '3']).patch).toEqual({ pruning: { rounds: 3 } });
    expect(parseCli(['--rate=0.5']).patch).toEqual({ pruning: { rate: 0.5 } });
    expect(parseCli(['--output-rate', '0.2']).patch).toEqual({ pruning: { outputRate: 0.2 } });
    expect(parseCli(['--scope', 'layer']).patch).toEqual({ pruning: { scope: 'layer' } });
    expect(parseCli(['--controls', 'rearrange']).patch).toEqual({
      pruning: { controls: ['rearrange'] },
    });
    expect(parseCli(['--controls', ' reinit , rearrange ']).patch).toEqual({
      pruning: { controls: ['reinit', 'rearrange'] },
    });
    expect(parseCli(['--controls', 'none']).patch).toEqual({ pruning: { controls: [] } });
    expect(parseCli(['--one-shot']).patch).toEqual({ pruning: { method: 'oneShot' } });
    expect(parseCli(['--rewind', '0']).patch).toEqual({
      pruning: { reset: { kind: 'rewind', iteration: 0 } },
    });
    expect(parseCli(['--seed', '0']).patch).toEqual({ training: { seed: 0 } });
    expect(parseCli(['--batch', '128']).patch).toEqual({ training: { batchSize: 128 } });
    expect(parseCli(['--lr', '1.2e-3']).patch).toEqual({ training: { learningRate: 1.2e-3 } });
    expect(parseCli(['--eval-every', '10']).patch).toEqual({ training: { evalEvery: 10 } });
  });

  it('takes --ticket once per trial, and with it only where and beside what the ticket trains', () => {
    expect(
      parseCli(['--ticket', 'a.ticket', '--ticket', 'b.ticket', '--task', 'rotated']),
    ).toMatchObject({
      ticketFiles: ['a.ticket', 'b.ticket'],
      patch: { data: { task: 'rotated' } },
    });
    expect(() => parseCli(['--ticket', 'a.ticket', '--seed', '3', '--rounds', '2'])).toThrow(
      '--seed, --rounds cannot change them',
    );
    expect(() => parseCli(['merge', 'a.json', '--ticket', 'a.ticket', '--out', 'x.json'])).toThrow(
      'merge takes run files',
    );
  });

  it('refuses a config that says its masks were found elsewhere: only --ticket trains such masks', () => {
    expect(() => resolveConfig({ pruning: { foundOn: 'mnist' } }, {})).toThrow(
      'pruning.foundOn is set only by training a ticket file found on another task',
    );
    expect(resolveConfig({ pruning: { foundOn: null } }, {}).pruning.foundOn).toBeNull();
  });

  it('takes the simd kernels’ arithmetic, and only for simd', () => {
    expect(parseCli(['--arithmetic', 'plain'])).toMatchObject({ arithmetic: 'plain' });
    expect(parseCli([])).not.toHaveProperty('arithmetic');
    expect(() => parseCli(['--arithmetic', 'fast'])).toThrow('--arithmetic expects plain, fma');
    expect(() => parseCli(['--backend', 'wasm', '--arithmetic', 'fma'])).toThrow(
      "--arithmetic is the simd kernels' choice",
    );
  });

  it('reads the runner’s own options, with defaults', () => {
    const d = parseCli([]);
    expect(d).toEqual({
      command: 'run',
      files: [],
      jobs: 1,
      patch: {},
      configFile: undefined,
      out: undefined,
      table: undefined,
      ticketFiles: [],
      backend: 'simd',
      quiet: false,
      help: false,
    });
    const o = parseCli([
      '--config',
      'cfg.json',
      '--out',
      'r.json',
      '--table',
      't.md',
      '--backend',
      'cpu',
      '--quiet',
      '-h',
    ]);
    expect(o).toMatchObject({
      configFile: 'cfg.json',
      out: 'r.json',
      table: 't.md',
      backend: 'cpu',
      quiet: true,
      help: true,
      patch: {},
    });
    expect(parseCli(['--help']).help).toBe(true);
  });

  it('rejects values that are not numbers, naming the flag and the value', () => {
    expect(() => parseCli(['--iterations', 'many'])).toThrow(
      '--iterations expects a number, got "many"',
    );
    expect(() => parseCli(['--rounds', ''])).toThrow('--rounds expects a number, got ""');
    expect(() => parseCli(['--rate', ' '])).toThrow(/--rate expects a number/);
    expect(() => parseCli(['--output-rate', 'NaN'])).toThrow(
      /--output-rate expects a number, got "NaN"/,
    );
    expect(() => parseCli(['--seed', 'Infinity'])).toThrow(/--seed expects a number/);
    expect(() => parseCli(['--batch', '6o'])).toThrow(/--batch expects a number, got "6o"/);
    expect(() => parseCli(['--lr', 'fast'])).toThrow(/--lr expects a number/);
    expect(() => parseCli(['--eval-every', 'x'])).toThrow(/--eval-every expects a number/);
    expect(() => parseCli(['--rewind', 'start'])).toThrow(/--rewind expects a number, got "start"/);
  });

  it('maps issue 16’s settings: criterion, signed control, bimodal init, task, inputs', () => {
    const o = parseCli([
      '--criterion',
      'magnitude_increase',
      '--controls',
      'reinit,signed',
      '--init',
      'bimodal',
      '--task',
      'permuted',
      '--inputs',
      'l2',
    ]);
    expect(o.patch).toEqual({
      data: { task: 'permuted', inputs: 'l2' },
      model: { init: 'bimodal' },
      pruning: { controls: ['reinit', 'signed'], criterion: 'magnitude_increase' },
    });
    const config = resolveConfig(undefined, o.patch);
    expect(validateConfig(config)).toBe(config);
    expect(config.model.layers).toEqual([784, 300, 100, 10]);
  });

  it('rejects unknown choices, listing what is allowed', () => {
    expect(() => parseCli(['--scope', 'row'])).toThrow(
      '--scope expects layer or global, got "row"',
    );
    expect(() => parseCli(['--controls', 'reinit,shuffle'])).toThrow(
      '--controls: unknown control shuffle (known: reinit, rearrange, random, signed)',
    );
    expect(() => parseCli(['--criterion', 'large_final'])).toThrow(
      '--criterion expects magnitude, magnitude_increase, movement, large_init, snip, synflow, got "large_final"',
    );
    expect(() => parseCli(['--init', 'uniform'])).toThrow(
      '--init expects glorot, bimodal, got "uniform"',
    );
    expect(() => parseCli(['--task', 'fashion'])).toThrow(
      '--task expects mnist, permuted, rotated, inverted, got "fashion"',
    );
    expect(() => parseCli(['--inputs', 'z'])).toThrow(
      '--inputs expects meanstd, unit, l2, got "z"',
    );
    expect(() => parseCli(['--backend', 'webgpu'])).toThrow(
      '--backend expects simd, wasm, cpu, got "webgpu"',
    );
    expect(parseCli(['--threads', '2']).threads).toBe(2);
    for (const bad of ['0', '1.5', '-1', 'x', '99'])
      expect(() => parseCli(['--threads', bad])).toThrow('--threads');
  });

  it('rejects unknown flags, stray arguments and missing values', () => {
    expect(() => parseCli(['--iteration', '5'])).toThrow(/--iteration/);
    expect(() => parseCli(['extra'])).toThrow();
    expect(() => parseCli(['--iterations'])).toThrow(/--iterations/);
    expect(() => parseCli(['--one-shot=yes'])).toThrow(/one-shot/);
  });

  it('reads trials, a shard and jobs, and refuses what cannot be a shard', () => {
    const o = parseCli(['--trials', '5', '--shard', '2/3']);
    expect(o.patch).toEqual({ training: { trials: 5 } });
    expect(o.shard).toEqual({ index: 2, count: 3 });
    expect(parseCli(['--jobs', '4']).jobs).toBe(4);
    for (const bad of ['3/3', '1', '-1/2', '1/0', 'a/b', '1/2/3', '0.5/2'])
      expect(() => parseCli([`--shard=${bad}`])).toThrow(`--shard expects I/N with 0 ≤ I < N`);
    for (const bad of ['0', '1.5', '65'])
      expect(() => parseCli(['--jobs', bad])).toThrow('--jobs expects a whole number from 1 to 64');
    expect(() => parseCli(['--jobs', '2', '--shard', '0/2'])).toThrow(/do not go together/);
    expect(() => parseCli(['--trials', 'some'])).toThrow('--trials expects a number');
  });

  it('reads merge: its files and --out, and nothing that would train', () => {
    const m = parseCli(['merge', 'a.json', 'b.json', '--out', 'all.json']);
    expect(m).toMatchObject({ command: 'merge', files: ['a.json', 'b.json'], out: 'all.json' });
    expect(() => parseCli(['merge', 'a.json'])).toThrow(/--out FILE/);
    expect(() => parseCli(['merge', '--out', 'all.json'])).toThrow(/run files of the shards/);
    expect(() => parseCli(['merge', 'a.json', '--out', 'x', '--trials', '3'])).toThrow(
      'merge takes run files, --out and --name; not --trials',
    );
  });

  it('leaves range checks to validateConfig, which names the field', () => {
    const check = (argv: string[]) => () =>
      validateConfig(resolveConfig(undefined, parseCli(argv).patch));
    expect(check(['--lr=-1'])).toThrow(ConfigError);
    expect(check(['--lr=-1'])).toThrow(/training\.learningRate/);
    expect(check(['--rate', '2'])).toThrow(/pruning\.rate/);
    expect(check(['--rounds', '2.5'])).toThrow(/pruning\.rounds/);
    expect(check(['--rewind', '4000'])).toThrow(/pruning\.reset\.iteration/);
    expect(check(['--controls', 'reinit,reinit'])).toThrow(/must not repeat/);
    expect(check(['--iterations', '100', '--rewind', '100'])).not.toThrow();
  });

  it('documents every flag it accepts in USAGE', () => {
    for (const flag of [
      '--config',
      '--out',
      '--iterations',
      '--rounds',
      '--rate',
      '--output-rate',
      '--scope',
      '--controls',
      '--one-shot',
      '--rewind',
      '--seed',
      '--batch',
      '--lr',
      '--eval-every',
      '--trials',
      '--shard',
      '--jobs',
      'merge',
      '--backend',
      '--table',
      '--quiet',
    ]) {
      expect(USAGE).toContain(flag);
    }
  });
});

describe('resolveConfig', () => {
  const file: ConfigPatch = {
    data: { trainSize: 1000 },
    training: { iterations: 500, learningRate: 0.01 },
    pruning: { rate: 0.3, controls: ['random'] },
  };

  it('layers defaults ← config file ← flags', () => {
    const c = resolveConfig(file, parseCli(['--iterations', '50', '--scope', 'global']).patch);
    expect(c.training.iterations).toBe(50); // flag beats file
    expect(c.training.learningRate).toBe(0.01); // file beats default
    expect(c.pruning.rate).toBe(0.3);
    expect(c.pruning.controls).toEqual(['random']);
    expect(c.pruning.scope).toBe('global'); // flag over default
    expect(c.data).toEqual({ ...DEFAULT_CONFIG.data, trainSize: 1000 });
    expect(c.training.batchSize).toBe(DEFAULT_CONFIG.training.batchSize); // untouched defaults survive
    expect(c.pruning.outputRate).toBe(DEFAULT_CONFIG.pruning.outputRate);
    expect(c.model.layers).toEqual([784, 300, 100, 10]);
  });

  it('is the defaults without a file or flags, and flags alone apply over the defaults', () => {
    expect(resolveConfig(undefined, {})).toEqual(DEFAULT_CONFIG);
    const c = resolveConfig(undefined, parseCli(['--one-shot', '--rewind', '7']).patch);
    expect(c.pruning).toEqual({
      ...DEFAULT_CONFIG.pruning,
      method: 'oneShot',
      reset: { kind: 'rewind', iteration: 7 },
    });
  });

  it('does not modify the defaults or the file patch', () => {
    const defaults = structuredClone(DEFAULT_CONFIG);
    const filePatch = structuredClone(file);
    resolveConfig(file, parseCli(['--iterations', '50', '--controls', 'none']).patch);
    expect(DEFAULT_CONFIG).toEqual(defaults);
    expect(file).toEqual(filePatch);
  });
});
