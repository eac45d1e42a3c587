// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useLabStore } from '../store/lab-store';
import { encodeHash, parseHash } from '../store/url-hash';
import { HASH_DEFAULTS } from '../store/url-sync';
import { SettingsPanel } from './SettingsPanel';

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
    },
    HASH_DEFAULTS,
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
    const parsed = parseHash(hash, HASH_DEFAULTS);
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
});
