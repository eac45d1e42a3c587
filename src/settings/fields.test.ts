import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTROLS, DEFAULT_CONFIG, mergeConfig, validateConfig } from '../engine/config';
import {
  clampNumber,
  GROUPS,
  maxOf,
  type Field,
  type LabSettings,
  type NumberField,
} from './field-kinds';
import { FIELD_BY_KEY, FIELDS, normalizeSettings } from './fields';

const base = (): LabSettings => ({ config: mergeConfig(DEFAULT_CONFIG, {}), backend: 'auto' });
const field = <K extends Field['kind']>(key: string, kind: K) => {
  const f = FIELD_BY_KEY.get(key);
  if (!f || f.kind !== kind) throw new Error(`no ${kind} field ${key}`);
  return f as Extract<Field, { kind: K }>;
};
const num = (key: string) => {
  const f = FIELD_BY_KEY.get(key);
  if (!f || (f.kind !== 'int' && f.kind !== 'real')) throw new Error(`no number field ${key}`);
  return f;
};
const rewinding = (iterations: number, at: number): LabSettings => {
  const s = base();
  return {
    ...s,
    config: mergeConfig(s.config, {
      training: { iterations },
      pruning: { reset: { kind: 'rewind', iteration: at } },
    }),
  };
};

/** Every value a field can hold, sampled: ends and middle of a range, every option, every subset. */
function samples(f: Field, s: LabSettings): (number | string | string[])[] {
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
const setAny = (f: Field, s: LabSettings, v: number | string | string[]): LabSettings =>
  (f.set as (s: LabSettings, v: unknown) => LabSettings)(s, v);

/** reset and rewindAt are two views of one ResetSpec: setting either moves the other. */
const COUPLED = new Set(['reset', 'rewindAt']);

describe('the table', () => {
  it('has unique, URL-safe keys, each found by FIELD_BY_KEY', () => {
    const keys = FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) {
      expect(k).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
      expect(encodeURIComponent(k)).toBe(k);
      expect(FIELD_BY_KEY.get(k)?.key).toBe(k);
    }
    expect(FIELD_BY_KEY.size).toBe(FIELDS.length);
  });

  it('lists reset before rewindAt, and iterations before both (rewindAt’s range depends on them)', () => {
    const at = (k: string) => FIELDS.findIndex((f) => f.key === k);
    expect(at('iterations')).toBeLessThan(at('reset'));
    expect(at('reset')).toBeLessThan(at('rewindAt'));
  });

  it('has number ranges inside the engine’s own limits: every corner of the table is a valid config', () => {
    for (const f of FIELDS) {
      if (f.kind !== 'int' && f.kind !== 'real') continue;
      for (const v of [f.min, maxOf(f, base())])
        expect(() => validateConfig(f.set(base(), v).config), `${f.key}=${v}`).not.toThrow();
      expect(f.min).toBeLessThanOrEqual(maxOf(f, base()));
    }
  });

  it('reads the paper’s defaults back through every row', () => {
    const s = base();
    expect(num('rate').get(s)).toBe(0.2);
    expect(num('outputRate').get(s)).toBe(0.1);
    expect(num('lr').get(s)).toBe(1.2e-3);
    expect(num('batch').get(s)).toBe(60);
    expect(num('validation').get(s)).toBe(5000);
    expect(field('reset', 'choice').get(s)).toBe('init');
    expect(field('controls', 'flags').get(s)).toEqual(['reinit', 'rearrange']);
    expect(field('backend', 'choice').get(s)).toBe('auto');
  });
});

describe('get and set', () => {
  it('round-trip every row: get(set(s, v)) is v, without touching s', () => {
    for (const s0 of [base(), rewinding(500, 200)]) {
      for (const f of FIELDS) {
        for (const v of samples(f, s0)) {
          const before = structuredClone(s0);
          const s1 = setAny(f, s0, v);
          if (f.key === 'rewindAt' && s0.config.pruning.reset.kind !== 'rewind') {
            // Only meaningful while rewinding: under a reset to θ0 it changes nothing.
            expect(s1, `${f.key}=${String(v)}`).toEqual(s0);
            continue;
          }
          expect(f.get(s1), `${f.key}=${String(v)}`).toEqual(v);
          expect(s0, `${f.key} mutated its input`).toEqual(before);
          expect(
            () => validateConfig(normalizeSettings(s1).config),
            `${f.key}=${String(v)}`,
          ).not.toThrow();
        }
      }
    }
  });

  it('change only their own setting (reset and rewindAt share one)', () => {
    const s0 = rewinding(500, 200);
    for (const f of FIELDS) {
      for (const v of samples(f, s0)) {
        const s1 = setAny(f, s0, v);
        for (const g of FIELDS) {
          if (g === f || (COUPLED.has(f.key) && COUPLED.has(g.key))) continue;
          expect(g.get(s1), `${f.key}=${String(v)} moved ${g.key}`).toEqual(g.get(s0));
        }
      }
    }
  });

  it('set(s, get(s)) leaves s as it was, for every row but reset and rewindAt', () => {
    for (const s of [base(), rewinding(500, 200)]) {
      for (const f of FIELDS)
        if (!COUPLED.has(f.key)) expect(setAny(f, s, f.get(s)), f.key).toEqual(s);
    }
  });

  it('set(s, get(s)) leaves s as it was for reset while rewinding', () => {
    const s = rewinding(500, 200);
    const reset = field('reset', 'choice');
    expect(reset.set(s, reset.get(s))).toEqual(s);
  });

  it('set(s, get(s)) leaves s as it was for rewindAt while resetting to θ0', () => {
    const s = base();
    const rewindAt = num('rewindAt');
    expect(rewindAt.set(s, rewindAt.get(s)).config.pruning.reset).toEqual({ kind: 'init' });
  });

  it('controls come back in the table’s order, without repeats', () => {
    const controls = field('controls', 'flags');
    expect(controls.get(controls.set(base(), ['random', 'reinit', 'random']))).toEqual([
      'reinit',
      'random',
    ]);
  });
});

describe('a field applies a value from a control or a link', () => {
  it('clamps integers into range and rounds them, saying what was wrong', () => {
    const iterations = num('iterations');
    const low = iterations.apply(base(), '1');
    expect(iterations.min).toBeGreaterThan(1);
    expect(iterations.get(low.settings)).toBe(iterations.min);
    expect(low.problem).toEqual({ kind: 'outOfRange', raw: '1', min: iterations.min, max: 50000 });
    const high = iterations.apply(base(), '60000');
    expect(iterations.get(high.settings)).toBe(50000);
    expect(high.problem).toMatchObject({ kind: 'outOfRange', max: 50000 });
    const frac = iterations.apply(base(), '1234.6');
    expect(iterations.get(frac.settings)).toBe(1235);
    // An in-range fraction for an int field is only rounded: not "out of range".
    expect(frac.problem).toEqual({ kind: 'notWhole', raw: '1234.6' });
    expect(iterations.apply(base(), 700)).toEqual({
      settings: iterations.set(base(), 700),
      problem: null,
    });
    expect(iterations.apply(base(), ' 700 ').problem).toBeNull();
  });

  it('clamps reals into range without rounding them', () => {
    const rate = num('rate');
    const high = rate.apply(base(), '0.95');
    expect(rate.get(high.settings)).toBe(0.9);
    expect(high.problem).toEqual({ kind: 'outOfRange', raw: '0.95', min: 0.01, max: 0.9 });
    expect(rate.get(rate.apply(base(), '0').settings)).toBe(0.01);
    const lr = num('lr').apply(base(), '0.0031415');
    expect(lr.problem).toBeNull();
    expect(lr.settings.config.training.learningRate).toBe(0.0031415);
  });

  it('refuses what is not a finite number in plain decimals, changing nothing', () => {
    for (const f of FIELDS) {
      if (f.kind !== 'int' && f.kind !== 'real') continue;
      for (const raw of [
        Number.NaN,
        'NaN',
        '',
        '   ',
        'abc',
        '12abc',
        '0x10',
        '0b1',
        Infinity,
        '-Infinity',
        '1e999',
        undefined,
        null,
        {},
        [],
        true,
      ]) {
        const s = base();
        const r = f.apply(s, raw);
        expect(r.settings, `${f.key} ← ${String(raw)}`).toBe(s);
        expect(r.problem).toEqual({ kind: 'notANumber', raw: String(raw) });
      }
    }
  });

  it('puts any finite number inside the field’s range, on whole numbers for int fields', () => {
    const numbers = FIELDS.filter((f): f is NumberField => f.kind === 'int' || f.kind === 'real');
    fc.assert(
      fc.property(
        fc.constantFrom(...numbers),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (f, v) => {
          const s = rewinding(3000, 100);
          const r = f.apply(s, v);
          const got = f.get(r.settings);
          expect(got).toBeGreaterThanOrEqual(f.min);
          expect(got).toBeLessThanOrEqual(maxOf(f, s));
          if (f.kind === 'int') expect(Number.isInteger(got)).toBe(true);
          expect(r.problem === null).toBe(got === v);
          expect(() => validateConfig(normalizeSettings(r.settings).config)).not.toThrow();
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses a choice that is not an option, and takes one that is', () => {
    const scope = field('scope', 'choice');
    for (const raw of ['Global', 'foo', '', 1, undefined]) {
      const s = base();
      const r = scope.apply(s, raw);
      expect(r.settings).toBe(s);
      expect(r.problem).toEqual({
        kind: 'notAnOption',
        raw: String(raw),
        options: ['layer', 'global'],
      });
    }
    expect(scope.apply(base(), 'global')).toEqual({
      settings: scope.set(base(), 'global'),
      problem: null,
    });
    // Choosing what is chosen changes nothing: the same settings, not a copy.
    const s = base();
    expect(scope.apply(s, 'layer').settings).toBe(s);
    const backend = field('backend', 'choice');
    expect(backend.apply(base(), 'webgpu').settings.backend).toBe('webgpu');
    expect(backend.apply(base(), 'cuda').settings.backend).toBe('auto');
  });

  it('keeps the known flags and names the unknown ones', () => {
    const controls = field('controls', 'flags');
    const r = controls.apply(base(), 'random,foo,reinit,bar');
    expect(controls.get(r.settings)).toEqual(['reinit', 'random']);
    expect(r.problem).toEqual({ kind: 'unknownFlags', unknown: ['foo', 'bar'] });
    expect(controls.apply(base(), '')).toEqual({
      settings: controls.set(base(), []),
      problem: null,
    });
    expect(controls.get(controls.apply(base(), ['rearrange']).settings)).toEqual(['rearrange']);
    const notList = controls.apply(base(), 5);
    expect(notList.settings).toEqual(base());
    expect(notList.problem).toEqual({ kind: 'notAList' });
    expect(CONTROLS.every((c) => controls.options.some((o) => o.value === c))).toBe(true);
  });

  it('bounds the rewind iteration by the iterations per round', () => {
    const rewindAt = num('rewindAt');
    for (const iterations of [num('iterations').min, 500, 3000, 50000])
      expect(maxOf(rewindAt, rewinding(iterations, 0))).toBe(iterations);
    const r = rewindAt.apply(rewinding(500, 100), '5000');
    expect(r.settings.config.pruning.reset).toEqual({ kind: 'rewind', iteration: 500 });
    expect(r.problem).toMatchObject({ kind: 'outOfRange', max: 500 });
  });
});

describe('a field in a link and in a notice', () => {
  it('writes text that applies back to the same value, for every sampled value of every field', () => {
    for (const f of FIELDS) {
      const s = f.key === 'rewindAt' ? rewinding(3000, 100) : base();
      for (const v of samples(f, s)) {
        const set = setAny(f, s, v);
        const back = f.apply(s, decodeURIComponent(f.text(set)));
        expect(back.problem, `${f.key}=${f.text(set)}`).toBeNull();
        expect(f.same(back.settings, set)).toBe(true);
        expect(f.show(set)).not.toBe('');
      }
    }
  });

  it('compares lists in any order, copies a value across, and knows when it means nothing', () => {
    const controls = field('controls', 'flags');
    const a = controls.set(base(), ['reinit', 'random']);
    const b: LabSettings = {
      ...a,
      config: mergeConfig(a.config, { pruning: { controls: ['random', 'reinit'] } }),
    };
    expect(controls.same(a, b)).toBe(true);
    expect(controls.same(a, base())).toBe(false);
    expect(controls.get(controls.copy(a, base()))).toEqual(['reinit', 'random']);
    const rewindAt = num('rewindAt');
    expect(rewindAt.isActive(base())).toBe(false);
    expect(rewindAt.isActive(rewinding(500, 100))).toBe(true);
    expect(num('iterations').isActive(base())).toBe(true);
  });

  it('groups every row under one of the panel’s groups, each group in use', () => {
    for (const f of FIELDS) expect(GROUPS).toContain(f.group);
    for (const g of GROUPS) expect(FIELDS.some((f) => f.group === g)).toBe(true);
  });
});

describe('normalizeSettings', () => {
  it('leaves reset to θ0 untouched, and in-range settings as they are', () => {
    const s = base();
    const n = normalizeSettings(s);
    expect(n.config.pruning.reset).toEqual({ kind: 'init' });
    expect(n).toEqual(s);
    const short = normalizeSettings({
      ...s,
      config: mergeConfig(s.config, { training: { iterations: 50 } }),
    });
    expect(short.config.pruning.reset).toEqual({ kind: 'init' });
  });

  it('pulls the rewind iteration within the iterations per round', () => {
    const s = num('iterations').set(rewinding(3000, 2500), 500);
    expect(normalizeSettings(s).config.pruning.reset).toEqual({ kind: 'rewind', iteration: 500 });
    expect(normalizeSettings(rewinding(3000, 2500)).config.pruning.reset).toEqual({
      kind: 'rewind',
      iteration: 2500,
    });
  });

  it('clamps and rounds every number, without touching its input, and is idempotent', () => {
    const s = base();
    const wild: LabSettings = {
      ...s,
      config: mergeConfig(s.config, {
        training: { iterations: 123456.7, batchSize: 3.4, learningRate: 5 },
        pruning: { rate: -1, rounds: 99, reset: { kind: 'rewind', iteration: 1e9 } },
      }),
    };
    const before = structuredClone(wild);
    const n = normalizeSettings(wild);
    expect(wild).toEqual(before);
    expect(n.config.training).toMatchObject({
      iterations: 50000,
      batchSize: 10,
      learningRate: 1e-2,
    });
    expect(n.config.pruning).toMatchObject({
      rate: 0.01,
      rounds: 30,
      reset: { kind: 'rewind', iteration: 50000 },
    });
    expect(normalizeSettings(n)).toEqual(n);
    expect(() => validateConfig(n.config)).not.toThrow();
  });

  // Math.min/Math.max pass NaN through: normalizeSettings must still repair a NaN that reached
  // the settings another way.
  it('pulls NaN into range too', () => {
    const s = base();
    const n = normalizeSettings({
      ...s,
      config: mergeConfig(s.config, { training: { iterations: Number.NaN } }),
    });
    expect(Number.isFinite(n.config.training.iterations)).toBe(true);
  });
});
