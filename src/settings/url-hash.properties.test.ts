// The URL hash under fast-check: any text parses to a valid config; any settings survive a round
// trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxOf, type Field, type LabSettings } from './field-kinds';
import { FIELDS, normalizeSettings } from './fields';
import { D, KEYS, num, settingsOf, state, valid } from './url-hash.testing';
import {
  encodeHash,
  HIDE_KEY,
  MAX_HASH_LENGTH,
  parseHash,
  PRESENTER_KEY,
  STORY_KEY,
  type HashState,
} from './url-hash';

type Value = number | string | string[];
const setAny = (f: Field, s: LabSettings, v: Value): LabSettings =>
  (f.set as (s: LabSettings, v: unknown) => LabSettings)(s, v);

/**
 * Any value of a field: within its options, or its range (rewindAt up to the largest iterations).
 */
function valueArb(f: Field): fc.Arbitrary<Value> {
  switch (f.kind) {
    case 'int':
      return fc.integer({
        min: f.min,
        max: maxOf(f, settingsOf({ training: { iterations: num('iterations').max as number } })),
      });
    case 'real':
      return fc.oneof(
        fc.double({ min: f.min, max: maxOf(f, D), noNaN: true }),
        fc
          .integer({ min: Math.round(f.min * 100), max: Math.round(maxOf(f, D) * 100) })
          .map((x) => x / 100),
      );
    case 'choice':
      return fc.constantFrom(...f.options.map((o) => o.value));
    case 'flags':
      return fc.subarray(f.options.map((o) => o.value));
  }
}

/**
 * Settings drawn from the table. rewindAt is set only when reset says rewind (its set turns
 * rewinding on).
 */
const settingsArb: fc.Arbitrary<LabSettings> = fc
  .tuple(...FIELDS.map(valueArb))
  .map((values) =>
    FIELDS.reduce(
      (s, f, i) =>
        f.key === 'rewindAt' && s.config.pruning.reset.kind !== 'rewind'
          ? s
          : setAny(f, s, values[i]!),
      settingsOf(),
    ),
  );
const stateArb: fc.Arbitrary<HashState> = fc.record({
  settings: settingsArb,
  hidden: fc.subarray(KEYS).map((k) => new Set(k) as ReadonlySet<string>),
  presenter: fc.boolean(),
  story: fc.boolean(),
});

/** Hash-shaped text: real and made-up keys, nasty values, odd separators and escapes. */
const nastyValue = fc.oneof(
  fc.constantFrom(
    '',
    'NaN',
    '1e999',
    '-1e999',
    '-0',
    '0x10',
    '0b1',
    '1e-400',
    '5e-324',
    '%E0%A4%A',
    '%zz',
    '%',
    '+',
    '1,2',
    'rewind',
    'init',
    'global',
    'wasm',
    'reinit,foo',
    'reinit,reinit',
    ',,',
    '\uD800',
    '\uFFFD',
  ),
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.double().map(String),
  fc.subarray(['reinit', 'rearrange', 'random', 'x']).map((a) => a.join(',')),
  fc.subarray([...KEYS, 'nope']).map((a) => a.join(',')),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const hashLike = fc
  .tuple(
    fc.constantFrom('#', '', '?', '#?'),
    fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(...KEYS, HIDE_KEY, PRESENTER_KEY, STORY_KEY),
          fc.string({ maxLength: 6 }),
        ),
        fc.boolean(),
        fc.constantFrom('=', '=', '', '=='),
        nastyValue,
      ),
      { maxLength: 12 },
    ),
  )
  .map(
    ([head, pairs]) =>
      head +
      pairs.map(([k, escape, eq, v]) => (escape ? encodeURIComponent(k) : k) + eq + v).join('&'),
  );
const anyHash = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
  hashLike,
);

/** The (last) value a hash gives each key, as the parser sees it; null when the hash was cut. */
function givenValues(hash: string): Map<string, string> | null {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text.length > MAX_HASH_LENGTH) return null;
  const values = new Map<string, string>();
  for (const piece of text.split('&'))
    new URLSearchParams(piece).forEach((v, k) => values.set(k, v));
  return values;
}

describe('properties (fast-check)', () => {
  it('(a) any text: never throws, always a valid config, hidden ⊆ the table’s keys, silence means faithful', () => {
    fc.assert(
      fc.property(anyHash, (hash) => {
        const r = parseHash(hash, D);
        valid(r.settings);
        for (const k of r.hidden) expect(KEYS).toContain(k);
        expect(typeof r.presenter).toBe('boolean');
        expect(typeof r.story).toBe('boolean');
        for (const n of r.notices) expect(n.length).toBeGreaterThan(0);
        const given = givenValues(hash);
        if (!given) return;
        for (const f of FIELDS) {
          const mentioned = r.notices.some((n) => n.startsWith(`${f.key}:`));
          const v = given.get(f.key);
          // A setting the link does not give stays as it was (rewindAt follows reset)...
          if (v === undefined && !(f.key === 'rewindAt' && given.has('reset')))
            expect(f.get(r.settings), f.key).toEqual(f.get(D));
          // ...and one it gives is taken as written unless a notice names its key.
          if (v === undefined || mentioned) continue;
          const got = f.get(r.settings);
          if (f.kind === 'flags')
            expect(v === '' ? [] : [...new Set(v.split(','))].sort(), f.key).toEqual(
              [...(got as string[])].sort(),
            );
          else if (f.kind === 'choice') expect(got, f.key).toBe(v);
          else expect(got === Number(v), `${f.key}: ${String(got)} for ${v}`).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('(a) long text too: anything past the cap is cut, with a notice', () => {
    const long = fc
      .tuple(
        hashLike,
        fc.string({ unit: 'binary', minLength: MAX_HASH_LENGTH, maxLength: 2 * MAX_HASH_LENGTH }),
        hashLike,
      )
      .map((parts) => parts.join('&'));
    fc.assert(
      fc.property(long, (hash) => {
        const r = parseHash(hash, D);
        valid(r.settings);
        expect(r.notices[0]).toMatch(
          /^the link's settings are [\d,]+ characters long; read only the first [\d,]+$/,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('(a′) any text: what it reads is a fixed point — its own link reads back the same, silently', () => {
    fc.assert(
      fc.property(anyHash, (hash) => {
        const r = parseHash(hash, D);
        const again = parseHash(encodeHash(r, D), D);
        expect(again).toEqual({
          settings: r.settings,
          hidden: r.hidden,
          presenter: r.presenter,
          story: r.story,
          notices: [],
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('(b) settings from the table: parse(encode(s)) gives normalize(s), hidden, presenter and story, with no notices', () => {
    fc.assert(
      fc.property(stateArb, (st) => {
        const hash = encodeHash(st, D);
        expect(parseHash(hash, D)).toEqual({
          settings: normalizeSettings(st.settings),
          hidden: st.hidden,
          presenter: st.presenter,
          story: st.story,
          notices: [],
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('(b′) the same against any defaults drawn from the table', () => {
    fc.assert(
      fc.property(stateArb, settingsArb, (st, d) => {
        expect(parseHash(encodeHash(st, d), d)).toEqual({
          settings: normalizeSettings(st.settings),
          hidden: st.hidden,
          presenter: st.presenter,
          story: st.story,
          notices: [],
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('(c) the defaults encode to nothing, and only the defaults do', () => {
    expect(encodeHash(state(D), D)).toBe('');
    fc.assert(
      fc.property(settingsArb, (d) => {
        const n = normalizeSettings(d);
        expect(encodeHash(state(n), n)).toBe('');
        const differs = FIELDS.some((f) => JSON.stringify(f.get(n)) !== JSON.stringify(f.get(D)));
        expect(encodeHash(state(n), D) === '').toBe(!differs);
      }),
      { numRuns: 500 },
    );
  });
});
