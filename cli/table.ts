/** A markdown summary of an experiment result: one row per round, one column group per variant. */
import type { VariantName } from '../src/engine/config';
import type { ExperimentResult } from '../src/engine/experiment';

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;

export function resultTable(result: ExperimentResult): string {
  const variants: VariantName[] = [];
  for (const r of result.rounds) for (const v of r.variants) if (!variants.includes(v.variant)) variants.push(v.variant);
  const head = ['round', 'P_m', ...variants.flatMap((v) => [`${v}: early stop`, `${v}: test acc @ES`, `${v}: final test acc`]), 'wall'];
  const rows = result.rounds.map((r) => {
    const cells = variants.flatMap((name) => {
      const v = r.variants.find((x) => x.variant === name);
      return v ? [String(v.earlyStopIteration), pct(v.earlyStopTestAccuracy, 2), pct(v.finalTestAccuracy, 2)] : ['—', '—', '—'];
    });
    return [String(r.round), pct(r.remaining), ...cells, `${(r.wallMs / 1000).toFixed(0)} s`];
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}
