/**
 * The three kinds of setting (a number on a slider, one choice of a few, a set of flags), each
 * knowing how to take a value from a control or a link, write itself into a link, show itself in
 * a notice and compare itself: the table's rows (fields.ts) are built by these factories, so the
 * URL hash and the panel call a field's own behaviour instead of switching on its kind.
 *
 * What went wrong with a value is returned as a FieldProblem, never as words: the panel words it
 * by the field's label, a link by the field's key.
 */
import type { ExperimentConfig } from '../engine/config';
import type { BackendChoice } from '../worker/protocol';

/** What the user sets: the experiment and where it runs. */
export interface LabSettings {
  config: ExperimentConfig;
  backend: BackendChoice;
}

/** The settings panel's groups, in the order it shows them. */
export const GROUPS = ['Pruning', 'Training', 'Data and device'] as const;
export type Group = (typeof GROUPS)[number];

/** Why a value was not taken as given: the caller words it. */
export type FieldProblem =
  /** Not a number in plain decimal notation, or not finite: nothing changed. */
  | { kind: 'notANumber'; raw: string }
  /** Outside [min, max]: the nearest end was used. */
  | { kind: 'outOfRange'; raw: string; min: number; max: number }
  /** A fraction for a whole-number field: rounded. */
  | { kind: 'notWhole'; raw: string }
  /** Not among the options: nothing changed. */
  | { kind: 'notAnOption'; raw: string; options: readonly string[] }
  /** Flags that are not a list: nothing changed. */
  | { kind: 'notAList' }
  /** Unknown flags, left out; the known ones were taken. */
  | { kind: 'unknownFlags'; unknown: readonly string[] };

export interface Applied {
  settings: LabSettings;
  problem: FieldProblem | null;
}

/** One row of the table, as written there. */
interface Row<T> {
  /** Name in the URL hash and in `hide=` lists. */
  key: string;
  label: string;
  help: string;
  group: Group;
  get(s: LabSettings): T;
  set(s: LabSettings, v: T): LabSettings;
  /**
   * Whether the field means anything with the other settings (the rewind iteration only while
   * rewinding). An inactive field is not shown, a link's value for it is ignored, saying
   * `inactiveWhy`, and normalizing leaves it alone. Always active when absent.
   */
  active?(s: LabSettings): boolean;
  inactiveWhy?: string;
}

/** What every field does with its value, in the settings' terms: no caller needs its kind. */
interface Behaviour {
  /** A value from a control (a number, a string, a list) or a link (its text). */
  apply(s: LabSettings, raw: unknown): Applied;
  /** The value as a link writes it (parses back exactly). */
  text(s: LabSettings): string;
  /** The value as a notice shows it. */
  show(s: LabSettings): string;
  /** Whether two settings hold the same value here (lists in any order). */
  same(a: LabSettings, b: LabSettings): boolean;
  /** `to`, with this field's value as it is in `from`. */
  copy(from: LabSettings, to: LabSettings): LabSettings;
  isActive(s: LabSettings): boolean;
}

export interface NumberRow extends Row<number> {
  kind: 'int' | 'real';
  min: number;
  max: number | ((s: LabSettings) => number);
  step: number;
  /** Sliders on a log scale (learning rate). */
  log?: boolean;
  format(v: number): string;
}

export interface ChoiceRow extends Row<string> {
  kind: 'choice';
  options: readonly { value: string; label: string }[];
}

export interface FlagsRow extends Row<string[]> {
  kind: 'flags';
  options: readonly { value: string; label: string }[];
}

export type NumberField = NumberRow & Behaviour;
export type ChoiceField = ChoiceRow & Behaviour;
export type FlagsField = FlagsRow & Behaviour;
export type Field = NumberField | ChoiceField | FlagsField;

/** Plain decimal notation only: Number() would also take "0x10", "0b1" and "Infinity". */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function maxOf(f: NumberRow, s: LabSettings): number {
  return typeof f.max === 'function' ? f.max(s) : f.max;
}

/**
 * Slider positions beyond which a value cannot be picked by dragging (a slider a few hundred
 * pixels wide): such fields get a number box beside their slider (issue 15).
 */
export const SLIDER_POSITIONS = 200;

/** Whether a field's range holds more values than its slider can be dragged to one by one. */
export function wideRange(f: NumberRow, s: LabSettings): boolean {
  // A log slider is spaced for two significant digits: it picks what the field means to hold.
  return !f.log && (maxOf(f, s) - f.min) / f.step > SLIDER_POSITIONS;
}

/** Pulls a number into a field's range and onto its grid (integers for int fields). */
export function clampNumber(f: NumberRow, s: LabSettings, v: number): number {
  const hi = maxOf(f, s);
  const x = Number.isNaN(v) ? f.min : Math.min(hi, Math.max(f.min, v));
  return f.kind === 'int' ? Math.round(x) : x;
}

const rowBehaviour = <T>(row: Row<T>) => ({
  copy: (from: LabSettings, to: LabSettings) => row.set(to, row.get(from)),
  isActive: (s: LabSettings) => row.active?.(s) ?? true,
});

export function numberField(row: NumberRow): NumberField {
  return {
    ...row,
    ...rowBehaviour(row),
    apply(s, raw) {
      const text = typeof raw === 'string' ? raw.trim() : null;
      const v = typeof raw === 'number' ? raw : text && DECIMAL.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(v))
        return { settings: s, problem: { kind: 'notANumber', raw: String(raw) } };
      const shown = text ?? String(raw);
      const c = clampNumber(row, s, v);
      const settings = row.set(s, c);
      if (c === v) return { settings, problem: null };
      const max = maxOf(row, s);
      const inRange = v >= row.min && v <= max;
      return {
        settings,
        problem: inRange
          ? { kind: 'notWhole', raw: shown }
          : { kind: 'outOfRange', raw: shown, min: row.min, max },
      };
    },
    // "1e+21" would read back as "1e 21": the link escapes it.
    text: (s) => encodeURIComponent(String(row.get(s))),
    show: (s) => row.format(row.get(s)),
    same: (a, b) => row.get(a) === row.get(b),
  };
}

export function choiceField(spec: Omit<ChoiceRow, 'kind'>): ChoiceField {
  const row: ChoiceRow = { ...spec, kind: 'choice' };
  const values = row.options.map((o) => o.value);
  return {
    ...row,
    ...rowBehaviour(row),
    apply(s, raw) {
      if (typeof raw !== 'string' || !values.includes(raw))
        return { settings: s, problem: { kind: 'notAnOption', raw: String(raw), options: values } };
      // Choosing what is chosen changes nothing (reset=rewind must not move the rewind iteration).
      return { settings: row.get(s) === raw ? s : row.set(s, raw), problem: null };
    },
    text: (s) => encodeURIComponent(row.get(s)),
    show: (s) => row.get(s),
    same: (a, b) => row.get(a) === row.get(b),
  };
}

export function flagsField(spec: Omit<FlagsRow, 'kind'>): FlagsField {
  const row: FlagsRow = { ...spec, kind: 'flags' };
  const values = row.options.map((o) => o.value);
  const sorted = (s: LabSettings) => [...row.get(s)].sort().join();
  return {
    ...row,
    ...rowBehaviour(row),
    apply(s, raw) {
      const list = Array.isArray(raw)
        ? raw
        : typeof raw === 'string'
          ? raw === ''
            ? []
            : raw.split(',')
          : null;
      if (!list) return { settings: s, problem: { kind: 'notAList' } };
      const known = list.filter((x): x is string => typeof x === 'string' && values.includes(x));
      const unknown = list.filter((x) => !known.includes(x as string)).map(String);
      return {
        settings: row.set(s, known),
        problem: unknown.length ? { kind: 'unknownFlags', unknown } : null,
      };
    },
    text: (s) => row.get(s).map(encodeURIComponent).join(','),
    show: (s) => row.get(s).join(',') || 'none',
    same: (a, b) => sorted(a) === sorted(b),
  };
}
