/**
 * Fixtures shared by the settings table's tests: the paper's settings, fields by key, sampled
 * values.
 */
import { DEFAULT_CONFIG, mergeConfig } from '../engine/config';
import { clampNumber, maxOf, type Field, type LabSettings } from './field-kinds';
import { FIELD_BY_KEY } from './fields';

export const base = (): LabSettings => ({
  config: mergeConfig(DEFAULT_CONFIG, {}),
  backend: 'auto',
});
export const field = <K extends Field['kind']>(key: string, kind: K) => {
  const f = FIELD_BY_KEY.get(key);
  if (!f || f.kind !== kind) throw new Error(`no ${kind} field ${key}`);
  return f as Extract<Field, { kind: K }>;
};
export const num = (key: string) => {
  const f = FIELD_BY_KEY.get(key);
  if (!f || (f.kind !== 'int' && f.kind !== 'real')) throw new Error(`no number field ${key}`);
  return f;
};
export const rewinding = (iterations: number, at: number): LabSettings => {
  const s = base();
  return {
    ...s,
    config: mergeConfig(s.config, {
      training: { iterations },
      pruning: { reset: { kind: 'rewind', iteration: at } },
    }),
  };
};

/**
 * Every value a field can hold, sampled: ends and middle of a range, every option, every subset.
 */
export function samples(f: Field, s: LabSettings): (number | string | string[])[] {
  switch (f.kind) {
    case 'int':
    case 'real': {
      const hi = maxOf(f, s);
      return [f.min, hi, clampNumber(f, s, (f.min + hi) / 2)];
    }
    case 'choice':
      return f.options.map((o) => o.value);
    case 'flags': {
      const values = f.options.map((o) => o.value);
      return Array.from({ length: 2 ** values.length }, (_, m) =>
        values.filter((_, i) => m & (1 << i)),
      );
    }
  }
}
export const setAny = (f: Field, s: LabSettings, v: number | string | string[]): LabSettings =>
  (f.set as (s: LabSettings, v: unknown) => LabSettings)(s, v);

/** reset and rewindAt are two views of one ResetSpec: setting either moves the other. */
export const COUPLED = new Set(['reset', 'rewindAt']);
