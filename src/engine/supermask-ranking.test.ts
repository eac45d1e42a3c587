import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig } from './config';
import { Rng } from './rng';
import { oneShotMasks } from './supermask';
import { MagnitudeRanking } from './supermask-ranking';

const GLOBAL = mergeConfig(DEFAULT_CONFIG, { pruning: { scope: 'global' } });
const PMS = [1, 0.9, 0.64, 0.5, 0.21, 0.107, 0.05, 0.02, 0.003];

/** Weights with many ties: magnitudes on a coarse grid, both signs, zeros among them. */
function tiedWeights(seed: number, sizes: readonly number[]): Float32Array[] {
  const rng = new Rng(seed, 'ties');
  return sizes.map((n) => Float32Array.from({ length: n }, () => Math.round(rng.normal() * 6) / 8));
}

describe('the one-shot mask by a prefix of one ranking', () => {
  for (const [scope, config] of [
    ['layer', DEFAULT_CONFIG],
    ['global', GLOBAL],
  ] as const)
    it(`gives oneShotMasks' masks at every P_m, ties included (${scope} scope)`, () => {
      const w = tiedWeights(3, [2400, 300, 40]);
      const ranking = MagnitudeRanking.of(config, w);
      for (const pm of PMS) {
        const expected = oneShotMasks(config, w, pm).map((m) => Array.from(m.bits));
        expect(
          ranking.masksAt(pm).map((m) => Array.from(m.bits)),
          `P_m ${pm}`,
        ).toEqual(expected);
      }
    });

  it('ranks float magnitudes exactly (values close together, tiny and huge)', () => {
    const w = [Float32Array.from([1e-30, -3, 3, 2.9999998, -1e30, 0, -0, 1e-30, 7])];
    const ranking = MagnitudeRanking.of(GLOBAL, w);
    for (const keep of [1, 2, 3, 4, 5, 6, 8])
      expect(Array.from(ranking.masksAt(keep / 9)[0]!.bits)).toEqual(
        Array.from(oneShotMasks(GLOBAL, w, keep / 9)[0]!.bits),
      );
  });

  it('refuses a P_m outside (0, 1] in words', () => {
    const ranking = MagnitudeRanking.of(DEFAULT_CONFIG, tiedWeights(1, [10, 5, 2]));
    expect(() => ranking.masksAt(0)).toThrow(/P_m must be above 0%/);
    expect(() => ranking.masksAt(1.5)).toThrow(/at most 100%/);
  });
});
