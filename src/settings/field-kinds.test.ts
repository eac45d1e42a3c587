/** Each kind of field applies, writes, shows and compares its own value (field-kinds.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTROLS, mergeConfig, validateConfig } from '../engine/config';
import { GROUPS, maxOf, type LabSettings, type NumberField, wideRange } from './field-kinds';
import { FIELDS, normalizeSettings } from './fields';

import { base, field, num, rewinding, samples, setAny } from './fields.testing';

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

describe('which sliders are too coarse to drag to every value (issue 15)', () => {
  it('marks the wide ranges, the rewind iteration only once iterations make it wide', () => {
    const wide = (s: LabSettings) =>
      FIELDS.filter((f): f is NumberField => f.kind === 'int' || f.kind === 'real')
        .filter((f) => f.isActive(s) && wideRange(f, s))
        .map((f) => f.key);
    // iterations: 4,999 positions; evaluate every: 499; seed: 99,999. The learning rate's log
    // slider (200 positions) and the rest (at most 99) can be dragged to each value.
    expect(wide(base())).toEqual(['iterations', 'evalEvery', 'seed']);
    expect(wide(rewinding(2000, 0))).toEqual(['iterations', 'evalEvery', 'seed']);
    expect(wide(rewinding(2010, 0))).toEqual(['iterations', 'evalEvery', 'seed', 'rewindAt']);
  });
});
