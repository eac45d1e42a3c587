// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig } from '../engine/config';
import { GROUPS, type LabSettings } from '../settings/field-kinds';
import { FIELD_BY_KEY, FIELDS } from '../settings/fields';
import { START_SETTINGS } from '../settings/presets';
import { encodeHash, parseHash } from '../settings/url-hash';
import { useLabStore } from '../state/lab-store';
import { SettingsPanel, problemNotice } from './SettingsPanel';

const initial = useLabStore.getState();
beforeEach(() => useLabStore.setState(initial, true));
afterEach(cleanup);

const hashOfStore = () => {
  const s = useLabStore.getState();
  return encodeHash(
    {
      settings: { config: s.config, backend: s.backendChoice },
      hidden: s.hidden,
      presenter: s.presenter,
      story: s.story,
    },
    START_SETTINGS,
  );
};

describe('SettingsPanel', () => {
  it('a slider edits the config, shows its value and the planned P_m; the hash restores it', () => {
    render(<SettingsPanel />);
    fireEvent.change(screen.getByTestId('setting-rounds'), { target: { value: '12' } });
    fireEvent.change(screen.getByTestId('setting-rate'), { target: { value: '0.25' } });
    expect(useLabStore.getState().config.pruning.rounds).toBe(12);
    expect(useLabStore.getState().config.pruning.rate).toBe(0.25);
    expect(screen.getByTestId('value-rounds').textContent).toBe('12');
    expect(screen.getByTestId('value-rate').textContent).toBe('25%');
    expect(screen.getByTestId('planned-remaining').textContent).toMatch(
      /^after 12 rounds: \d+\.\d% of weights remain$/,
    );

    // "Reload": a fresh store fed only by the hash ends up with the same settings.
    const hash = hashOfStore();
    const edited = {
      config: useLabStore.getState().config,
      backend: useLabStore.getState().backendChoice,
    };
    useLabStore.setState(initial, true);
    const parsed = parseHash(hash, START_SETTINGS);
    expect(parsed.notices).toEqual([]);
    expect(parsed.settings).toEqual(edited);
  });

  it('the learning-rate slider moves on a log scale', () => {
    render(<SettingsPanel />);
    const lr = screen.getByTestId('setting-lr') as HTMLInputElement;
    expect(Number(lr.value)).toBeCloseTo(Math.log10(1.2e-3), 5);
    fireEvent.change(lr, { target: { value: '-2.5' } });
    // 10^-2.5 = 0.00316…, kept to two significant digits so the value reads cleanly.
    expect(useLabStore.getState().config.training.learningRate).toBe(0.0032);
  });

  it('a preset sets many fields at once, keeping the backend', () => {
    useLabStore
      .getState()
      .settingsEdited({ config: useLabStore.getState().config, backend: 'wasm' });
    render(<SettingsPanel />);
    fireEvent.click(screen.getByTestId('preset-paper'));
    const c = useLabStore.getState().config;
    expect([
      c.training.iterations,
      c.pruning.rounds,
      c.data.validationSize,
      c.data.testSize,
    ]).toEqual([50000, 12, 5000, 10000]);
    expect(useLabStore.getState().backendChoice).toBe('wasm');
  });

  it('hides a classroom link’s fields, shows rewind k only while rewinding, and locks during a run', () => {
    useLabStore.getState().hiddenSet(new Set(['lr', 'seed']));
    const { rerender } = render(<SettingsPanel />);
    expect(screen.queryByTestId('setting-lr')).toBeNull();
    expect(screen.queryByTestId('setting-seed')).toBeNull();
    expect(screen.queryByTestId('setting-rewindAt')).toBeNull();
    fireEvent.change(screen.getByTestId('setting-reset'), { target: { value: 'rewind' } });
    expect(screen.getByTestId('setting-rewindAt')).toBeTruthy();
    expect(useLabStore.getState().config.pruning.reset).toEqual({ kind: 'rewind', iteration: 100 });

    useLabStore.getState().workerEvent({ type: 'state', state: 'running' });
    rerender(<SettingsPanel />);
    expect((screen.getByTestId('setting-rounds') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByTestId('preset-quick') as HTMLButtonElement).disabled).toBe(true);
  });

  it('lays the settings out in the panel’s groups, in table order, inactive fields left out', () => {
    render(<SettingsPanel />);
    const shown = () =>
      Array.from(document.querySelectorAll('.setting-group')).map((g) => ({
        title: g.querySelector('h3')!.textContent,
        keys: Array.from(g.querySelectorAll('[data-testid^="setting-"]'))
          .map((e) =>
            e
              .getAttribute('data-testid')!
              .replace(/^setting-/, '')
              .replace(/-\w+$/, ''),
          )
          .filter((k, i, all) => all.indexOf(k) === i),
      }));
    // The layout the panel had before the table gained its group column (issue 13), unchanged but
    // for the seeds (trials, issue 14), placed after the seed, and issue 16's settings after the
    // controls, in their groups.
    const layout = (rewinding: boolean) => [
      {
        title: 'Pruning',
        keys: ['rate', 'outputRate', 'rounds', 'scope', 'method', 'reset']
          .concat(rewinding ? ['rewindAt'] : [])
          .concat(['controls', 'criterion']),
      },
      {
        title: 'Training',
        keys: ['iterations', 'lr', 'batch', 'evalEvery', 'seed', 'trials', 'init'],
      },
      { title: 'Data and device', keys: ['validation', 'test', 'task', 'inputs', 'backend'] },
    ];
    expect(shown()).toEqual(layout(false));
    fireEvent.change(screen.getByTestId('setting-reset'), { target: { value: 'rewind' } });
    expect(shown()).toEqual(layout(true));
    // The groups are the table's column: every row is in one of them.
    for (const f of FIELDS) expect(GROUPS).toContain(f.group);
  });

  it('shows the work the settings make, three seeds three times one’s, and its time once measured', () => {
    render(<SettingsPanel />);
    const work = () => screen.getByTestId('planned-work').textContent!;
    /** The training examples the line names: "165k training examples" is 165,000. */
    const examples = () => {
      const [, n, unit] = /: ([\d.]+)([kM]?) training examples/.exec(work())!;
      return Number(n) * (unit === 'M' ? 1e6 : unit === 'k' ? 1e3 : 1);
    };
    const oneSeed = useLabStore.getState().config;
    expect(oneSeed.training.trials).toBe(1);
    expect(work()).toMatch(/^1 seed × /);
    const one = examples();
    expect(one).toBeGreaterThan(0);
    // No run has measured a rate yet: the work alone, no time.
    expect(screen.queryByTestId('planned-time')).toBeNull();

    fireEvent.change(screen.getByTestId('setting-trials'), { target: { value: '3' } });
    expect(useLabStore.getState().config.training.trials).toBe(3);
    expect(screen.getByTestId('value-trials').textContent).toBe('3');
    expect(work()).toMatch(/^3 seeds × /);
    expect(examples()).toBe(3 * one);

    // A run of the one-seed settings measured 16,500 examples/s: three seeds take three times
    // as long as it did.
    act(() =>
      useLabStore.setState({
        runConfig: oneSeed,
        progress: { round: 0, iteration: 10, iterations: 250, examplesPerSecond: 16_500 },
      }),
    );
    const seconds = (3 * one) / 16_500;
    expect(screen.getByTestId('planned-time').textContent).toBe(
      `≈ ${Math.round(seconds)} s at the last measured 16,500 examples/s (an estimate: the rate changes as rounds prune)`,
    );
    // A replay's rate was measured where the run was recorded: it estimates nothing here.
    act(() =>
      useLabStore.setState({
        replay: {
          runId: 'r',
          name: 'r',
          speed: 100,
          playing: true,
          config: oneSeed,
          trainedOn: 'wasm',
          atMs: 0,
          totalMs: 1000,
        },
      }),
    );
    expect(screen.queryByTestId('planned-time')).toBeNull();
    // The device speed the worker measured on the chosen backend speaks instead (issue 15).
    const speed = {
      choice: 'auto' as const,
      backend: 'simd' as const,
      trainPerSecond: 30_000,
      evalPerSecond: 100_000,
      batchSize: 60,
    };
    act(() => useLabStore.setState({ speed }));
    expect(screen.getByTestId('planned-time').textContent).toMatch(/^≈ .* on this device \(simd/);
    // Measured on another backend than the one chosen: no estimate.
    act(() => useLabStore.setState({ speed: { ...speed, choice: 'wasm' } }));
    expect(screen.queryByTestId('planned-time')).toBeNull();
  });

  it('types an exact value beside a wide slider, committed on Enter, clamped with a notice', () => {
    render(<SettingsPanel />);
    const box = screen.getByTestId('number-iterations') as HTMLInputElement;
    expect(box.getAttribute('aria-label')).toBe('iterations per round, exact value');
    fireEvent.change(box, { target: { value: '12345' } });
    // A draft until committed: the first digits are not clamped to the range.
    expect(useLabStore.getState().config.training.iterations).toBe(250);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(useLabStore.getState().config.training.iterations).toBe(12_345);
    expect(screen.getByTestId('value-iterations').textContent).toBe('12,345');
    fireEvent.change(box, { target: { value: '99999' } });
    fireEvent.blur(box);
    expect(useLabStore.getState().config.training.iterations).toBe(50_000);
    expect(box.value).toBe('50000');
    expect(useLabStore.getState().notices).toContain(
      'iterations per round: 99999 is out of range; using 50,000',
    );
    // Dragging the slider shows in the box; narrow sliders have none.
    fireEvent.change(screen.getByTestId('setting-iterations'), { target: { value: '3000' } });
    expect(box.value).toBe('3000');
    expect(screen.queryByTestId('number-rounds')).toBeNull();
    expect(screen.getByTestId('number-seed')).toBeTruthy();
  });

  it('words what was wrong with a value by the field’s label', () => {
    const base: LabSettings = { config: mergeConfig(DEFAULT_CONFIG, {}), backend: 'auto' };
    const word = (key: string, raw: unknown) => {
      const f = FIELD_BY_KEY.get(key)!;
      const r = f.apply(base, raw);
      return r.problem && problemNotice(f, r.problem, base, r.settings);
    };
    expect(word('iterations', '1')).toBe('iterations per round: 1 is out of range; using 10');
    expect(word('iterations', '60000')).toBe(
      'iterations per round: 60000 is out of range; using 50,000',
    );
    expect(word('iterations', '1234.6')).toBe(
      'iterations per round: 1234.6 is not a whole number; using 1,235',
    );
    expect(word('rate', 'abc')).toBe(
      'pruning rate, hidden layers: "abc" is not a number; kept 20%',
    );
    expect(word('scope', 'Global')).toBe(
      'pruning scope: "Global" is not one of layer, global; kept layer',
    );
    expect(word('controls', 'random,foo,reinit,bar')).toBe('controls: ignored unknown foo, bar');
    expect(word('controls', 5)).toBe('controls: not a list; kept reinit,rearrange');
    expect(word('iterations', 700)).toBeNull();
  });
});
