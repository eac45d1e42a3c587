/**
 * The settings, rendered from the one field table, in its groups: sliders with live values,
 * selects and checkboxes. A classroom link's hidden keys are left out, and so are fields that
 * mean nothing with the other settings. A slider too coarse to hit every value has a number box
 * beside it. Presets set many fields at once. Under them, the work a run of them does and about
 * how long it would take on this device.
 */
import { switchBackend } from '../effects/worker-bridge';
import type { ExperimentConfig } from '../engine/config';
import {
  type Field,
  type FieldProblem,
  GROUPS,
  type LabSettings,
  type NumberField,
  maxOf,
  wideRange,
} from '../settings/field-kinds';
import { FIELDS, normalizeSettings } from '../settings/fields';
import { describeWork, estimateRun, plannedRemaining } from '../settings/plan';
import { PRESETS } from '../settings/presets';
import {
  labActions,
  useEstimateBasis,
  useReplay,
  useRunStatus,
  useSettings,
  useUi,
} from '../state/selectors';
import { NumberBox } from './NumberBox';

/** What was wrong with a value a control gave, in the panel's words (the field's label). */
export function problemNotice(
  f: Field,
  p: FieldProblem,
  before: LabSettings,
  after: LabSettings,
): string {
  switch (p.kind) {
    case 'notANumber':
      return `${f.label}: "${p.raw}" is not a number; kept ${f.show(before)}`;
    case 'outOfRange':
      return `${f.label}: ${p.raw} is out of range; using ${f.show(after)}`;
    case 'notWhole':
      return `${f.label}: ${p.raw} is not a whole number; using ${f.show(after)}`;
    case 'notAnOption':
      return `${f.label}: "${p.raw}" is not one of ${p.options.join(', ')}; kept ${f.show(before)}`;
    case 'notAList':
      return `${f.label}: not a list; kept ${f.show(before)}`;
    case 'unknownFlags':
      return `${f.label}: ignored unknown ${p.unknown.join(', ')}`;
  }
}

function edit(settings: LabSettings, f: Field, raw: unknown): void {
  const { settings: next, problem } = f.apply(settings, raw);
  const store = labActions();
  store.settingsEdited(normalizeSettings(next));
  if (problem) store.noticesShown([problemNotice(f, problem, settings, next)]);
  // A new backend starts at once (settings are locked during a run), so the badge shows its
  // adapter.
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
      <span className="setting-row">
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
        {wideRange(f, settings) && (
          <NumberBox
            label={`${f.label}, exact value`}
            testId={`number-${f.key}`}
            value={value}
            min={f.min}
            max={max}
            integer={f.kind === 'int'}
            disabled={disabled}
            onCommit={(text) => edit(settings, f, text)}
          />
        )}
      </span>
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

/**
 * What the settings will make a run do, before Run: its work and about how long it would take
 * on this device, from the run on screen's rate or the speed the worker measured (issue 15),
 * saying which; seeds multiply both (issue 14).
 */
function PlannedRun({ config }: { config: ExperimentConfig }) {
  const estimate = estimateRun(config, useEstimateBasis());
  return (
    <p className="caption" data-testid="planned-run">
      <span data-testid="planned-work">{describeWork(config)}</span>
      <br />
      {estimate ? (
        <span data-testid="planned-time">{estimate.words}</span>
      ) : (
        <span className="muted" data-testid="planned-time-pending">
          time: shown once this device’s speed is measured
        </span>
      )}
    </p>
  );
}

export function SettingsPanel() {
  const own = useSettings();
  const ui = useUi();
  const { state } = useRunStatus();
  // While a run replays, the panel shows its settings, read-only (issue 15); the page's own,
  // for the next run, stay in the store and come back when the replay ends. Its backend is
  // named in words: the replay trains on none.
  const replay = useReplay();
  const settings = replay ? { ...own, config: replay.config } : own;
  const hidden = replay ? new Set([...ui.hidden, 'backend']) : ui.hidden;
  const disabled =
    replay !== null || state === 'loading' || state === 'running' || state === 'paused';
  return (
    // Focusable: the panel scrolls on its own (sticky beside the figures), and keyboard users must
    // be able to scroll it even while a run disables every control in it (WCAG 2.1.1; axe).
    <section
      className="panel settings"
      aria-labelledby="settings-title"
      tabIndex={0}
      data-keys="scroll"
    >
      <h2 id="settings-title" className="visually-hidden">
        Settings
      </h2>
      {replay && (
        <p className="caption" data-testid="replayed-settings">
          Settings of the replayed run “{replay.name}” (trained on {replay.trainedOn}), read-only:
          your own settings, for the next run, come back when the replay ends.
        </p>
      )}
      <div className="presets" role="group" aria-label="Presets">
        {PRESETS.map((p) => (
          <button
            key={p.id}
            className="secondary"
            data-testid={`preset-${p.id}`}
            title={p.description}
            disabled={disabled}
            onClick={() => labActions().settingsEdited(p.settings(settings))}
          >
            {p.label}
          </button>
        ))}
      </div>
      {GROUPS.map((group) => {
        const fields = FIELDS.filter(
          (f) => f.group === group && !hidden.has(f.key) && f.isActive(settings),
        );
        if (fields.length === 0) return null;
        return (
          <div key={group} className="setting-group">
            <h3>{group}</h3>
            {fields.map((f) => (
              <Setting key={f.key} f={f} settings={settings} disabled={disabled} />
            ))}
          </div>
        );
      })}
      <PlannedRun config={settings.config} />
    </section>
  );
}
