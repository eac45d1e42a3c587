/** The minimal run panel: a few config fields, backend choice, and Run / Pause / Step / Stop. */
import { CONTROLS, type ControlName, type ExperimentConfig } from '../engine/config';
import { pauseRun, resumeRun, startRun, stepRun, stopRun } from '../store/bridge';
import { useLabStore } from '../store/lab-store';
import { useBackendChoice, useConfig, useRunStatus } from '../store/selectors';
import { BACKEND_CHOICES, type BackendChoice } from '../worker/protocol';

interface NumberField {
  id: string;
  label: string;
  min: number;
  max: number;
  get: (c: ExperimentConfig) => number;
  set: (c: ExperimentConfig, v: number) => ExperimentConfig;
}

const FIELDS: NumberField[] = [
  { id: 'iterations', label: 'iterations per round', min: 1, max: 50000, get: (c) => c.training.iterations, set: (c, v) => ({ ...c, training: { ...c.training, iterations: v } }) },
  { id: 'rounds', label: 'pruned rounds', min: 0, max: 30, get: (c) => c.pruning.rounds, set: (c, v) => ({ ...c, pruning: { ...c.pruning, rounds: v } }) },
  { id: 'evalEvery', label: 'evaluate every', min: 1, max: 5000, get: (c) => c.training.evalEvery, set: (c, v) => ({ ...c, training: { ...c.training, evalEvery: v } }) },
  { id: 'seed', label: 'seed', min: 0, max: 2 ** 31 - 1, get: (c) => c.training.seed, set: (c, v) => ({ ...c, training: { ...c.training, seed: v } }) },
  { id: 'validationSize', label: 'validation examples', min: 100, max: 5000, get: (c) => c.data.validationSize, set: (c, v) => ({ ...c, data: { ...c.data, validationSize: v } }) },
  { id: 'testSize', label: 'test examples', min: 100, max: 10000, get: (c) => c.data.testSize, set: (c, v) => ({ ...c, data: { ...c.data, testSize: v } }) },
];

export function Controls() {
  const config = useConfig();
  const backendChoice = useBackendChoice();
  const { state } = useRunStatus();
  const { configEdited, backendChosen } = useLabStore.getState();
  const active = state === 'loading' || state === 'running' || state === 'paused';

  const setControl = (name: ControlName, on: boolean) =>
    configEdited({ ...config, pruning: { ...config.pruning, controls: CONTROLS.filter((c) => (c === name ? on : config.pruning.controls.includes(c))) } });

  return (
    <section className="panel controls" aria-label="Run settings">
      <div className="fields">
        {FIELDS.map((f) => (
          <label key={f.id}>
            <span>{f.label}</span>
            <input
              data-testid={`field-${f.id}`}
              type="number"
              min={f.min}
              max={f.max}
              value={f.get(config)}
              disabled={active}
              onChange={(e) => {
                const v = Math.round(Number(e.target.value));
                // Out-of-range or empty input leaves the config as it was; the field shows the kept value.
                if (Number.isFinite(v) && v >= f.min && v <= f.max) configEdited(f.set(config, v));
              }}
            />
          </label>
        ))}
        <label>
          <span>backend</span>
          <select data-testid="field-backend" value={backendChoice} disabled={active} onChange={(e) => backendChosen(e.target.value as BackendChoice)}>
            {BACKEND_CHOICES.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>controls</legend>
          {CONTROLS.map((c) => (
            <label key={c} className="check">
              <input type="checkbox" data-testid={`control-${c}`} checked={config.pruning.controls.includes(c)} disabled={active} onChange={(e) => setControl(c, e.target.checked)} />
              {c}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="buttons">
        <button data-testid="run" disabled={active} onClick={() => startRun()}>
          Run
        </button>
        {state === 'paused' ? (
          <button data-testid="resume" onClick={resumeRun}>
            Resume
          </button>
        ) : (
          <button data-testid="pause" disabled={state !== 'running'} onClick={pauseRun}>
            Pause
          </button>
        )}
        <button data-testid="step" disabled={state === 'loading'} onClick={() => (active ? stepRun() : startRun(true))}>
          Step
        </button>
        <button data-testid="stop" disabled={!active} onClick={stopRun}>
          Stop
        </button>
      </div>
    </section>
  );
}
