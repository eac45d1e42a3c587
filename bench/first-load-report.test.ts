/** The first load's section of docs/benchmarks.md says the figures it is given, and their sum. */
import { describe, expect, it } from 'vitest';
import type { FirstLoadFigures } from './first-load';
import { firstLoadMarkdown } from './first-load-report';

const figures: FirstLoadFigures = {
  measuredAt: '2026-12-06T15:00:00.000Z',
  pageJs: { raw: 524_535, gzip: 168_007, files: ['/assets/index-BnJSrnRT.js'] },
  workerJs: { raw: 842_488, gzip: 156_591, files: ['/assets/lab.worker-DzOhRB3W.js'] },
  document: { raw: 12_331, gzip: 3_690, files: ['/', '/assets/index-BxoGcCBH.css'] },
  data: { raw: 0, gzip: 0, files: [] },
  firstScreenMs: 273.1,
  firstContentfulPaintMs: 265.2,
  visits: [
    { firstScreenMs: 300, firstContentfulPaintMs: 280 },
    { firstScreenMs: 273.1, firstContentfulPaintMs: 265.2 },
    { firstScreenMs: 250, firstContentfulPaintMs: 240 },
  ],
};

describe('firstLoadMarkdown', () => {
  const md = firstLoadMarkdown(figures);
  it('gives each kind of file its bytes, names the files without their hashes, and sums them', () => {
    expect(md).toContain('| page JavaScript | 525 KB | 168 KB | index.js |');
    expect(md).toContain("| workers' JavaScript | 842 KB | 157 KB | lab.worker.js |");
    expect(md).toContain('| document and styles | 12 KB | 4 KB | /, index.css |');
    expect(md).toContain('| data (JSON, binaries, wasm) | 0 KB | 0 KB | – |');
    expect(md).toContain('| **all** | **1,379 KB** | **328 KB** |  |');
  });
  it('says the median time to the first screen over the visits it had, and each visit', () => {
    expect(md).toContain('**273 ms**, median of 3 visits (300 ms, 273 ms, 250 ms)');
    expect(md).toContain('Measured 2026-12-06 15:00 UTC');
  });
});
