import { describe, expect, it } from 'vitest';
import type { SupermaskPoint } from '../worker/protocol';
import { signsCaption, supermaskReadout } from './captions-supermask';

const point = (over: Partial<SupermaskPoint> = {}): SupermaskPoint => ({
  pm: 0.21,
  remaining: 0.2104,
  supermaskAccuracy: 0.6123,
  prunedAccuracy: 0.9751,
  testSize: 10000,
  signs: { kept: { same: 45000, of: 56000 }, dropped: { same: 110000, of: 210200 } },
  preview: false,
  ms: 84.4,
  when: 'idle',
  generation: 1,
  ...over,
});

describe('supermask captions', () => {
  it('reads the accuracies, their distance from chance and how they were measured', () => {
    expect(supermaskReadout(point())).toBe(
      "At P_m 21.0%: θ0 under the mask, never trained, classifies 61.23% of 10,000 test digits (+51.2 pp over chance, 10%); the dense net's trained weights under it, not retrained, 97.51%. Computed in 84 ms.",
    );
    expect(supermaskReadout(point({ when: 'betweenRounds', supermaskAccuracy: 0.08 }))).toMatch(
      /\(−2\.0 pp over chance, 10%\).*between two rounds/,
    );
    expect(supermaskReadout(point({ preview: true, testSize: 2000, ms: 61 }))).toMatch(
      /classifies 61\.23% of 2,000 test digits .*Computed in 61 ms on the test set's first 2,000 digits while the slider moves: the whole test set's answer follows once it rests\.$/,
    );
  });

  it('claims the sign story only where kept weights kept their sign more often', () => {
    const yes = signsCaption(point());
    expect(yes).toMatch(/^Of the 56,000 weights this mask keeps, 80\.4% kept their initial sign/);
    expect(yes).toMatch(/of the 210,200 it drops, 52\.3% \(\+28\.0 pp\)/);
    expect(yes).toMatch(/80\.4% of them kept θ0's sign/);
    const even = signsCaption(
      point({ signs: { kept: { same: 510, of: 1000 }, dropped: { same: 5000, of: 10000 } } }),
    );
    expect(even).toMatch(/Within sampling error/);
    expect(even).not.toMatch(/Zhou/);
    const against = signsCaption(
      point({ signs: { kept: { same: 300, of: 1000 }, dropped: { same: 6000, of: 10000 } } }),
    );
    expect(against).toMatch(/changed sign more often/);
    const all = signsCaption(
      point({ remaining: 1, signs: { kept: { same: 7, of: 10 }, dropped: { same: 0, of: 0 } } }),
    );
    expect(all).toMatch(/^At P_m 100% the mask keeps every weight; 70\.0% of them/);
  });
});
