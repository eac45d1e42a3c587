import { describe, expect, it } from 'vitest';
import { mergeConfig, validateConfig } from '../engine/config';
import { maxOf, type LabSettings } from './field-kinds';
import { FIELD_BY_KEY, FIELDS, normalizeSettings } from './fields';

import { base, field, num, rewinding, samples, setAny, COUPLED } from './fields.testing';

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
