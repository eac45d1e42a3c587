/** Markdown summaries of an experiment result: one row per round, one column group per variant. */
import type { VariantName } from '../src/engine/config';
import type { ExperimentResult, VariantResult } from '../src/engine/experiment';

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;
const line = (cells: string[]) => `| ${cells.join(' | ')} |`;

function variantsOf(result: ExperimentResult): VariantName[] {
  const names: VariantName[] = [];
  for (const r of result.rounds)
    for (const v of r.variants) if (!names.includes(v.variant)) names.push(v.variant);
  return names;
}

function table(
  result: ExperimentResult,
  head: (v: VariantName) => string[],
  cells: (v: VariantResult | undefined) => string[],
  last?: [string, (wallMs: number) => string],
): string {
  const variants = variantsOf(result);
  const header = ['round', 'P_m', ...variants.flatMap(head), ...(last ? [last[0]] : [])];
  const rows = result.rounds.map((r) => [
    String(r.round),
    pct(r.remaining),
    ...variants.flatMap((name) => cells(r.variants.find((x) => x.variant === name))),
    ...(last ? [last[1](r.wallMs)] : []),
  ]);
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

/** Per round and variant: early-stop iteration, test accuracy there and at the end; wall time. */
export function resultTable(result: ExperimentResult): string {
  return table(
    result,
    (v) => [`${v}: early stop`, `${v}: test acc @ES`, `${v}: final test acc`],
    (v) =>
      v
        ? [
            String(v.earlyStop.iteration),
            pct(v.earlyStop.testAccuracy, 2),
            pct(v.finalTestAccuracy, 2),
          ]
        : ['—', '—', '—'],
    ['wall', (ms) => `${(ms / 1000).toFixed(0)} s`],
  );
}

/**
 * The first evaluation at which validation accuracy reaches `threshold`: how fast each variant
 * learns.
 */
export function iterationsToReach(v: VariantResult, threshold: number): number | null {
  return v.curve.find((p) => p.validationAccuracy >= threshold)?.iteration ?? null;
}

export function speedTable(result: ExperimentResult, threshold: number): string {
  return table(
    result,
    (v) => [`${v}: iterations to ${pct(threshold)} val. acc.`],
    (v) => {
      if (!v) return ['—'];
      const it = iterationsToReach(v, threshold);
      return [it === null ? 'not reached' : String(it)];
    },
  );
}
