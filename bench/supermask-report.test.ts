import { describe, expect, it } from 'vitest';
import { supermaskSection } from './supermask-report';

describe("the report's supermask slider section", () => {
  it('writes one row per P_m from the figures, and the sizes it was measured on', () => {
    const md = supermaskSection({
      threads: 2,
      testImages: 10_000,
      previewImages: 2000,
      openMs: 3.2,
      rankingMs: 41.6,
      points: [
        { pm: 1, previewMs: 93.6, wholeMs: 459, wholeOnlyMs: 504, sortMs: 50 },
        { pm: 0.07, previewMs: 29, wholeMs: 98, wholeOnlyMs: 72, sortMs: 69.4 },
      ],
    });
    expect(md).toContain('| 100% | 94 ms | 459 ms | 504 ms | 50 ms |');
    expect(md).toContain('| 7% | 29 ms | 98 ms | 72 ms | 69 ms |');
    expect(md).toContain('| P_m | first 2,000 digits | all 10,000, after them |');
    expect(md).toMatch(/ranking of \|w\| \(42 ms, once per dense net\)/);
    expect(md).toMatch(/opens in 3 ms/);
  });
});
