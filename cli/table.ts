/** Markdown summaries of an experiment result: one row per round, one column group per variant. */
import type { ExperimentConfig, VariantName } from '../src/engine/config';
import type { RoundResult, VariantResult } from '../src/engine/experiment';
import { pairedAtEarlyStop } from '../src/compare/paired';
import { verdict } from '../src/compare/verdict';
import { type Summary, iterationsToThreshold } from '../src/engine/trials';
import type { RunFile } from '../src/formats/run-file';

/** One trial's rounds: the engine's result, or one trial of a run file. */
type OneTrial = { rounds: readonly RoundResult[] };

/**
 * What a round's first evaluation is: before training, or (rewinding) at the iteration the
 * survivors were rewound to, which the dense run had already trained.
 */
const firstWords = (config: ExperimentConfig | undefined) =>
  config?.pruning.reset.kind === 'rewind' && config.pruning.reset.iteration > 0
    ? `at iteration ${config.pruning.reset.iteration} (rewound)`
    : 'before training';

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;
const line = (cells: string[]) => `| ${cells.join(' | ')} |`;

function variantsOf(result: OneTrial): VariantName[] {
  const names: VariantName[] = [];
  for (const r of result.rounds)
    for (const v of r.variants) if (!names.includes(v.variant)) names.push(v.variant);
  return names;
}

function table(
  result: OneTrial,
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

/**
 * Per round and variant: test accuracy before training, the early-stop iteration, test accuracy
 * there and at the end; wall time.
 */
export function resultTable(result: OneTrial & { config?: ExperimentConfig }): string {
  const first = firstWords(result.config);
  return table(
    result,
    (v) => [
      `${v}: test acc ${first}`,
      `${v}: early stop`,
      `${v}: test acc @ES`,
      `${v}: final test acc`,
    ],
    (v) =>
      v
        ? [
            pct(v.curve[0]!.testAccuracy, 2),
            String(v.earlyStop.iteration),
            pct(v.earlyStop.testAccuracy, 2),
            pct(v.finalTestAccuracy, 2),
          ]
        : ['—', '—', '—', '—'],
    ['wall', (ms) => `${(ms / 1000).toFixed(0)} s`],
  );
}

export function speedTable(result: OneTrial, threshold: number): string {
  return table(
    result,
    (v) => [`${v}: iterations to ${pct(threshold)} val. acc.`],
    (v) => {
      if (!v) return ['—'];
      const it = iterationsToThreshold(v.curve, threshold);
      return [it === null ? 'not reached' : String(it)];
    },
  );
}

const meanSd = (s: Summary, scale = 1, digits = 2) =>
  s.mean === null
    ? '—'
    : `${(scale * s.mean).toFixed(digits)}${s.sd === null ? '' : ` ± ${(scale * s.sd).toFixed(digits)}`}`;

const KIND_WORDS = {
  ahead: 'ahead',
  behind: 'behind',
  mixed: 'seeds disagree',
  'within-noise': 'within noise',
  'too-few': 'too few seeds',
} as const;

/**
 * Per round and variant, over trials: test accuracy before training and at early stop, and the
 * early-stop iteration, mean ± sample sd; then the ticket against each control in percentage points, paired by seed,
 * with how many seeds agree and the verdict (src/compare/verdict.ts).
 */
export function summaryTable(run: RunFile): string {
  const variants: VariantName[] = [];
  for (const r of run.rounds)
    for (const s of r.summary) if (!variants.includes(s.variant)) variants.push(s.variant);
  const controls = variants.filter((v) => v !== 'ticket');
  const header = [
    'round',
    'P_m',
    'trials',
    ...variants.flatMap((v) => [
      `${v}: ${firstWords(run.config)} (%)`,
      `${v}: test acc @ES (%)`,
      `${v}: early stop`,
    ]),
    ...controls.map((c) => `ticket − ${c} @ES`),
  ];
  const rows = run.rounds.map((r) => [
    String(r.round),
    pct(r.remaining),
    String(r.trials.length),
    ...variants.flatMap((name) => {
      const s = r.summary.find((x) => x.variant === name);
      return s
        ? [
            meanSd(s.beforeTrainingTestAccuracy, 100),
            meanSd(s.earlyStopTestAccuracy, 100),
            meanSd(s.earlyStopIteration, 1, 0),
          ]
        : ['—', '—', '—'];
    }),
    ...controls.map((c) => {
      const p = pairedAtEarlyStop(r, 'ticket', c, run.config.data.testSize);
      if (!p) return '—';
      const v = verdict(p, 'ticket', c);
      return `${v.short} (${KIND_WORDS[v.kind]})`;
    }),
  ]);
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}
