// The URL hash, by hand: one case per thing a link can get wrong. Properties:
// url-hash.properties.test.ts.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig } from '../engine/config';
import { BACKEND_CHOICES } from '../worker/protocol';
import type { LabSettings } from './field-kinds';
import { PRESETS } from './presets';
import { D, num, settingsOf, state, valid } from './url-hash.testing';
import { encodeHash, MAX_HASH_LENGTH, parseHash } from './url-hash';

describe('parseHash, by hand', () => {
  it('gives the defaults for an empty hash, with or without its #', () => {
    for (const h of ['', '#', '#&&', '?'])
      expect(parseHash(h, D)).toEqual({
        settings: D,
        hidden: new Set(),
        presenter: false,
        story: false,
        notices: [],
      });
    expect(parseHash('rounds=3&scope=global', D)).toEqual(parseHash('#rounds=3&scope=global', D));
    const r = parseHash('#rounds=3&scope=global&lr=0.0005&backend=wasm', D);
    expect(r.settings).toEqual(
      settingsOf(
        { pruning: { rounds: 3, scope: 'global' }, training: { learningRate: 5e-4 } },
        'wasm',
      ),
    );
    expect(r.notices).toEqual([]);
  });

  it('clamps out-of-range numbers and says so, naming the key', () => {
    const r = parseHash('#iterations=999999&rate=0.95&batch=1', D);
    expect(r.settings.config.training.iterations).toBe(50000);
    expect(r.settings.config.pruning.rate).toBe(0.9);
    expect(r.settings.config.training.batchSize).toBe(10);
    expect(r.notices).toEqual([
      `rate: 0.95 is out of range 1%–90%; using 90%`,
      `iterations: 999999 is out of range ${num('iterations').format(num('iterations').min)}–50,000; using 50,000`,
      `batch: 1 is out of range 10–1,000; using 10`,
    ]);
    valid(r.settings);
  });

  it('reads the seeds (trials) and keeps them within the slider’s 1–10 like any whole number', () => {
    expect(parseHash('#trials=3', D)).toMatchObject({
      settings: settingsOf({ training: { trials: 3 } }),
      notices: [],
    });
    const read = (v: string) => {
      const r = parseHash(`#trials=${v}`, D);
      valid(r.settings);
      return [r.settings.config.training.trials, ...r.notices];
    };
    expect(read('50')).toEqual([10, 'trials: 50 is out of range 1–10; using 10']);
    expect(read('0')).toEqual([1, 'trials: 0 is out of range 1–10; using 1']);
    expect(read('2.5')).toEqual([3, 'trials: 2.5 is not a whole number; using 3']);
    expect(read('abc')).toEqual([1, 'trials: "abc" is not a number; kept 1']);
    expect(encodeHash(state(settingsOf({ training: { seed: 5, trials: 3 } })), D)).toBe(
      '#seed=5&trials=3',
    );
  });

  it('rounds fractions of whole-number settings, saying so', () => {
    const r = parseHash('#rounds=2.5', D);
    expect(r.settings.config.pruning.rounds).toBe(3);
    expect(r.notices).toEqual(['rounds: 2.5 is not a whole number; using 3']);
  });

  it('keeps the default for anything that is not a plain decimal number, with one notice each', () => {
    for (const v of [
      'abc',
      'NaN',
      'Infinity',
      '1e999',
      '-1e999',
      '0x10',
      '0b11',
      '1_000',
      '12abc',
      '',
      '%20',
      '1,5',
    ]) {
      const r = parseHash(`#iterations=${v}`, D);
      expect(r.settings, v).toEqual(D);
      expect(r.notices, v).toHaveLength(1);
      expect(r.notices[0], v).toMatch(/^iterations: ".*" is not a number; kept 3,000$/);
    }
    expect(parseHash('#iterations=abc', D).notices).toEqual([
      'iterations: "abc" is not a number; kept 3,000',
    ]);
  });

  it('reads -0, exponents, a leading + and surrounding spaces as numbers', () => {
    const zero = parseHash('#seed=-0&outputRate=-0', D);
    expect(Object.is(zero.settings.config.training.seed, 0)).toBe(true);
    expect(Object.is(zero.settings.config.pruning.outputRate, 0)).toBe(true);
    expect(zero.notices).toEqual([]);
    const r = parseHash('#lr=5e-4&iterations=1.5e3&rounds=%2B4&seed=%207%20', D);
    expect(r.settings.config.training).toMatchObject({
      learningRate: 5e-4,
      iterations: 1500,
      seed: 7,
    });
    expect(r.settings.config.pruning.rounds).toBe(4);
    expect(r.notices).toEqual([]);
  });

  it('names unknown keys in one notice, however many there are', () => {
    const r = parseHash('#foo=1&rounds=3&Rounds=4&=5', D);
    expect(r.settings.config.pruning.rounds).toBe(3);
    expect(r.notices).toEqual(['ignored unknown settings "foo", "Rounds", ""']);
    const many = parseHash(`#${Array.from({ length: 40 }, (_, i) => `k${i}=1`).join('&')}`, D);
    expect(many.notices).toEqual([
      'ignored unknown settings "k0", "k1", "k2", "k3", "k4" and 35 more',
    ]);
  });

  it('uses the last of a repeated key, saying so', () => {
    const r = parseHash('#rounds=3&rounds=5&rounds=7', D);
    expect(r.settings.config.pruning.rounds).toBe(7);
    expect(r.notices).toEqual(['rounds: given 3 times; used the last, "7"']);
  });

  it('survives malformed %-escapes in keys and values', () => {
    const value = parseHash('#scope=%E0%A4%A&rounds=%zz&seed=%FF', D);
    expect(value.settings).toEqual(D);
    expect(value.notices).toHaveLength(3);
    expect(value.notices[0]).toMatch(/^rounds: ".*" has a broken %-escape; kept 12$/);
    expect(value.notices[1]).toMatch(/^seed: ".*" has a broken %-escape; kept 0$/);
    expect(value.notices[2]).toMatch(/^scope: ".*" has a broken %-escape; kept layer$/);
    const key = parseHash('#%E0%A4%A=1&rounds=4', D);
    expect(key.settings.config.pruning.rounds).toBe(4);
    expect(key.notices).toEqual(['ignored unknown setting "\uFFFD%A"']);
    expect(() => parseHash('#x=\uD800&rounds=\uDC00', D)).not.toThrow();
  });

  it('refuses unknown choices and names unknown controls', () => {
    const r = parseHash('#method=oneshot&controls=random,foo&backend=cuda', D);
    expect(r.settings.config.pruning.method).toBe('iterative');
    expect(r.settings.config.pruning.controls).toEqual(['random']);
    expect(r.settings.backend).toBe('auto');
    expect(r.notices).toEqual([
      'method: "oneshot" is not one of iterative, oneShot; kept iterative',
      'controls: ignored unknown foo',
      `backend: "cuda" is not one of ${BACKEND_CHOICES.join(', ')}; kept auto`,
    ]);
    expect(parseHash('#controls=', D)).toMatchObject({
      settings: { config: { pruning: { controls: [] } } },
      notices: [],
    });
  });

  it(`reads at most ${MAX_HASH_LENGTH} characters, whole settings only`, () => {
    const r = parseHash(`#rounds=3&${'x'.repeat(10_000)}=1&seed=5`, D);
    expect(r.settings).toEqual(settingsOf({ pruning: { rounds: 3 } }));
    expect(r.notices).toEqual([
      `the link's settings are 10,018 characters long; read only the first 8`,
    ]);
    const one = parseHash(`#seed=${'1'.repeat(100_000)}`, D);
    expect(one.settings).toEqual(D);
    expect(one.notices).toHaveLength(2);
    expect(one.notices[1]).toMatch(/^seed: "1{40}…" is too long \(4,091 characters\); kept 0$/);
  });

  it('gives up, setting by setting, values that make an invalid experiment with the given defaults', () => {
    // A training set of 58,000 leaves room for 2,000 validation images (MNIST has 60,000).
    const d = settingsOf({ data: { trainSize: 58_000, validationSize: 1000 } });
    valid(d);
    const r = parseHash('#validation=5000&rounds=3&test=2000', d);
    valid(r.settings);
    expect(r.settings.config.data).toEqual({
      trainSize: 58_000,
      validationSize: 1000,
      testSize: 2000,
      task: 'mnist',
      inputs: 'meanstd',
    });
    expect(r.settings.config.pruning.rounds).toBe(3);
    expect(r.notices).toEqual([
      'validation: 5,000 makes an invalid experiment (data.trainSize + data.validationSize must be at most 60000); using 1,000',
    ]);
  });

  it('falls back to the paper’s config when even the defaults are invalid', () => {
    const broken: LabSettings = {
      config: mergeConfig(DEFAULT_CONFIG, { model: { layers: [784, 10, 3] } }),
      backend: 'cpu',
    };
    const r = parseHash('#rounds=3', broken);
    expect(r.settings).toEqual(settingsOf({}, 'cpu'));
    expect(r.notices.at(-1)).toMatch(
      /^the starting settings are invalid \(.*model\.layers.*\); using the paper's$/,
    );
  });

  it('reports what it had to move to make the defaults consistent', () => {
    const d = settingsOf({
      training: { iterations: 500 },
      pruning: { reset: { kind: 'rewind', iteration: 900 } },
    });
    const r = parseHash('', d);
    expect(r.settings.config.pruning.reset).toEqual({ kind: 'rewind', iteration: 500 });
    expect(r.notices).toEqual(['rewindAt: 900 does not fit with the other settings; using 500']);
  });
});

describe('encodeHash, by hand', () => {
  it('writes nothing for the defaults', () => {
    expect(encodeHash(state(D), D)).toBe('');
    expect(encodeHash(state(settingsOf()), D)).toBe('');
  });

  it('writes only what differs, in table order, then hide (sorted) and presenter', () => {
    const s = settingsOf(
      { pruning: { controls: ['reinit'], rounds: 5 }, training: { learningRate: 5e-4 } },
      'wasm',
    );
    expect(encodeHash(state(s, ['seed', 'rate', 'nope'], true), D)).toBe(
      '#rounds=5&lr=0.0005&controls=reinit&backend=wasm&hide=rate,seed&presenter=1',
    );
    expect(encodeHash(state(D, [], true), D)).toBe('#presenter=1');
    expect(encodeHash(state(settingsOf({ pruning: { controls: [] } })), D)).toBe('#controls=');
  });

  it('compares lists by content', () => {
    expect(
      encodeHash(state(settingsOf({ pruning: { controls: ['rearrange', 'reinit'] } })), D),
    ).toBe('');
  });

  it('writes rewindAt after reset=rewind even when it equals the default’s reading (0)', () => {
    const s = settingsOf({ pruning: { reset: { kind: 'rewind', iteration: 0 } } });
    expect(encodeHash(state(s), D)).toBe('#reset=rewind&rewindAt=0');
    expect(parseHash('#reset=rewind&rewindAt=0', D).settings).toEqual(s);
    expect(
      encodeHash(state(settingsOf({ pruning: { reset: { kind: 'rewind', iteration: 100 } } })), D),
    ).toBe('#reset=rewind');
  });

  it('writes the settings consistent (normalized)', () => {
    const s = settingsOf({
      training: { iterations: 500 },
      pruning: { reset: { kind: 'rewind', iteration: 900 } },
    });
    expect(encodeHash(state(s), D)).toBe('#iterations=500&reset=rewind&rewindAt=500');
  });
});

describe('presets', () => {
  it('travel through a link and back exactly', () => {
    for (const base of [D, settingsOf({}, 'webgl')]) {
      for (const p of PRESETS) {
        const s = p.settings(base);
        const hash = encodeHash(state(s), D);
        expect(parseHash(hash, D), `${p.id}: ${hash}`).toEqual({
          settings: s,
          hidden: new Set(),
          presenter: false,
          story: false,
          notices: [],
        });
      }
    }
  });
});
