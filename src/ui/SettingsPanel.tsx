/**
 * The settings, rendered from the one field table: sliders with live values, selects and
 * checkboxes. A classroom link's hidden keys are left out. Presets set many fields at once.
 */
import { switchBackend } from '../store/bridge';
import { plannedRemaining } from '../store/derive';
import {
  type Field,
  type LabSettings,
  type NumberField,
  FIELD_BY_KEY,
  applyField,
  maxOf,
  normalizeSettings,
} from '../store/fields';
import { useLabStore } from '../store/lab-store';
import { PRESETS } from '../store/presets';
import { useRunStatus, useSettings, useUi } from '../store/selectors';

const GROUPS: { title: string; keys: string[] }[] = [
  {
    title: 'Pruning',
    keys: ['rate', 'outputRate', 'rounds', 'scope', 'method', 'reset', 'rewindAt', 'controls'],
  },
  { title: 'Training', keys: ['iterations', 'lr', 'batch', 'evalEvery', 'seed'] },
  { title: 'Data and device', keys: ['validation', 'test', 'backend'] },
];

function edit(settings: LabSettings, f: Field, raw: unknown): void {
  const { settings: next, notice } = applyField(settings, f, raw);
  const store = useLabStore.getState();
  store.settingsEdited(normalizeSettings(next));
  if (notice) store.noticesShown([notice]);
  // A new backend starts at once (settings are locked during a run), so the badge shows its adapter.
  if (f.key === 'backend' && next.backend !== settings.backend) switchBackend();
}

function Slider({
  f,
  settings,
  disabled,
}: {
  f: NumberField;
  settings: LabSettings;
  disabled: boolean;
}) {
  const value = f.get(settings);
  const max = maxOf(f, settings);
  // A log slider moves in log10 space (learning rates from 1e-4 to 1e-2 get equal room).
  const toSlider = (v: number) => (f.log ? Math.log10(v) : v);
  const fromSlider = (x: number) => (f.log ? Number((10 ** x).toPrecision(2)) : x);
  const extra =
    f.key === 'rounds'
      ? `after ${value} round${value === 1 ? '' : 's'}: ${(100 * plannedRemaining(settings.config, value)).toFixed(1)}% of weights remain`
      : null;
  return (
    <label className="setting" title={f.help}>
      <span className="setting-head">
        <span>{f.label}</span>
        <output data-testid={`value-${f.key}`}>{f.format(value)}</output>
      </span>
      <input
        type="range"
        data-testid={`setting-${f.key}`}
        aria-label={f.label}
        min={toSlider(f.min)}
        max={toSlider(max)}
        step={f.log ? 0.01 : f.step}
        value={toSlider(value)}
        disabled={disabled}
        onChange={(e) => edit(settings, f, fromSlider(Number(e.target.value)))}
      />
      {extra && <small data-testid="planned-remaining">{extra}</small>}
    </label>
  );
}

function Setting({
  f,
  settings,
  disabled,
}: {
  f: Field;
  settings: LabSettings;
  disabled: boolean;
}) {
  switch (f.kind) {
    case 'int':
    case 'real':
      return <Slider f={f} settings={settings} disabled={disabled} />;
    case 'choice':
      return (
        <label className="setting" title={f.help}>
          <span className="setting-head">{f.label}</span>
          <select
            data-testid={`setting-${f.key}`}
            aria-label={f.label}
            value={f.get(settings)}
            disabled={disabled}
            onChange={(e) => edit(settings, f, e.target.value)}
          >
            {f.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      );
    case 'flags': {
      const on = f.get(settings);
      return (
        <fieldset className="setting flags" title={f.help}>
          <legend>{f.label}</legend>
          {f.options.map((o) => (
            <label key={o.value} className="check">
              <input
                type="checkbox"
                data-testid={`setting-${f.key}-${o.value}`}
                checked={on.includes(o.value)}
                disabled={disabled}
                onChange={(e) =>
                  edit(
                    settings,
                    f,
                    e.target.checked ? [...on, o.value] : on.filter((x) => x !== o.value),
                  )
                }
              />
              {o.label}
            </label>
          ))}
        </fieldset>
      );
    }
  }
}

export function SettingsPanel() {
  const settings = useSettings();
  const { hidden } = useUi();
  const { state } = useRunStatus();
  const disabled = state === 'loading' || state === 'running' || state === 'paused';
  return (
    <section className="panel settings" aria-label="Settings">
      <div className="presets" role="group" aria-label="Presets">
        {PRESETS.map((p) => (
          <button
            key={p.id}
            className="secondary"
            data-testid={`preset-${p.id}`}
            title={p.description}
            disabled={disabled}
            onClick={() => useLabStore.getState().settingsEdited(p.settings(settings))}
          >
            {p.label}
          </button>
        ))}
      </div>
      {GROUPS.map((g) => {
        const fields = g.keys
          .map((k) => FIELD_BY_KEY.get(k)!)
          .filter(
            (f) =>
              !hidden.has(f.key) &&
              (f.key !== 'rewindAt' || settings.config.pruning.reset.kind === 'rewind'),
          );
        if (fields.length === 0) return null;
        return (
          <div key={g.title} className="setting-group">
            <h3>{g.title}</h3>
            {fields.map((f) => (
              <Setting key={f.key} f={f} settings={settings} disabled={disabled} />
            ))}
          </div>
        );
      })}
    </section>
  );
}
