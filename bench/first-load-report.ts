/**
 * docs/benchmarks.md's section on the first load (issue 17), from bench/results.json's
 * `firstLoad` (bench/first-load.ts measures it). Pure, like report.ts, which places it.
 */
import type { FirstLoadFigures, LoadBytes } from './first-load';

const kb = (x: number) => `${(x / 1000).toLocaleString('en-US', { maximumFractionDigits: 0 })} KB`;
const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms`;
/** File names without their folder and content hash: what each file is. */
const names = (b: LoadBytes) =>
  b.files.map((f) => f.replace(/^.*\//, '').replace(/-[\w-]{8}(\.\w+)$/, '$1') || '/').join(', ');

export function firstLoadMarkdown(f: FirstLoadFigures): string {
  const rows: [string, LoadBytes][] = [
    ['page JavaScript', f.pageJs],
    ["workers' JavaScript", f.workerJs],
    ['document and styles', f.document],
    ['data (JSON, binaries, wasm)', f.data],
  ];
  const total = rows.reduce((a, [, b]) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), {
    raw: 0,
    gzip: 0,
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const table = [
    line(['fetched', 'raw', 'gzip -9', 'files']),
    line(['---', '---', '---', '---']),
    ...rows.map(([what, b]) => line([what, kb(b.raw), kb(b.gzip), names(b) || '–'])),
    line(['**all**', `**${kb(total.raw)}**`, `**${kb(total.gzip)}**`, '']),
  ].join('\n');
  return `
## First load (issue 17)

A first visit in a fresh profile (no cache), everything the production build's page and its
workers fetch until the network has been quiet for a second after the first screen (the lab's
worker starts at once to measure this device before Run). Raw is what the server sent, gzip -9
what a host that compresses would send. Measured ${f.measuredAt.slice(0, 16).replace('T', ' ')} UTC.

${table}

- Time to the first screen, from navigation start until the first frame with the **Run button laid out and enabled** has been painted: **${ms(f.firstScreenMs)}**, median of ${f.visits.length} visits (${f.visits.map((v) => ms(v.firstScreenMs)).join(', ')}); first contentful paint ${ms(f.firstContentfulPaintMs)} (median).
`;
}
