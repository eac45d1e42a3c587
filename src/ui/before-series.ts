/**
 * Figure 8 (issue 16, Zhou et al. 2019): test accuracy before training vs P_m, one line per
 * variant, as the P_m figures draw them (pm-series.ts): one seed's points, or over several seeds
 * the mean, a ±1 sd band and every seed's dot. Its caption is computed from the same numbers: the
 * ticket against each control at the sparsest round shown, in percentage points with the seeds'
 * spread and the test set's noise (src/compare/), and where the masks alone do best.
 */
import type { PmSeries } from '../charts/PmChart';
import { paired } from '../compare/paired';
import { verdict } from '../compare/verdict';
import type { VariantName } from '../engine/config';
import { VARIANT_COLOR, VARIANT_LABEL, VARIANT_ORDER } from '../settings/labels';
import type { BeforePoint, BeforeTraining } from '../state/before-training';
import { spreadOf } from '../state/over-trials';

const pct = (x: number, d = 1) => `${(100 * x).toFixed(d)}%`;
const mean = (p: BeforePoint) => spreadOf(p.values).mean;
/** "55.3%", or over seeds "55.3% ± 4.1 pp" (± one sample sd). */
const withSpread = (p: BeforePoint) => {
  const s = spreadOf(p.values);
  return p.values.length > 1
    ? `${pct(s.mean)} ± ${(100 * (s.hi - s.mean)).toFixed(1)} pp`
    : pct(s.mean);
};

/**
 * The lines: every variant the run has, a control's starting at the dense net (the ticket's round
 * 0: at P_m 100% every variant is the dense net). Band and dots only where a round has several
 * seeds, and a control's only where it trained.
 */
export function beforeSeries(data: BeforeTraining): PmSeries[] {
  const dense = data.ticket?.find((p) => p.round === 0);
  return VARIANT_ORDER.filter((v) => data[v]?.length).map((v) => {
    const own = data[v]!;
    const line = v !== 'ticket' && dense ? [dense, ...own] : own;
    const seeds = own.some((p) => p.values.length > 1);
    return {
      key: v,
      label: VARIANT_LABEL[v],
      color: VARIANT_COLOR[v],
      dashed: v !== 'ticket',
      points: line.map((p) => ({ remainingPct: p.remainingPct, value: mean(p) })),
      ...(seeds
        ? {
            band: own.map((p) => {
              const s = spreadOf(p.values);
              return { remainingPct: p.remainingPct, lo: s.lo, hi: s.hi };
            }),
            scatter: own.flatMap((p) =>
              p.values.map((value) => ({ remainingPct: p.remainingPct, value })),
            ),
          }
        : {}),
    };
  });
}

/** The ticket − control differences at one round, paired by trial: the verdict's words. */
function against(ticket: BeforePoint, control: BeforePoint, name: string, testSize: number) {
  const n = Math.min(ticket.values.length, control.values.length);
  const pairs = Array.from(
    { length: n },
    (_, i) => [ticket.values[i]!, control.values[i]!] as const,
  );
  return verdict(paired(pairs, testSize), 'the winning ticket', name).words;
}

export interface BeforeCaptionContext {
  /** Test images per evaluation: the test set's own noise in each verdict. */
  testSize: number;
  /** 1 / the number of classes. */
  chance: number;
}

/**
 * What Figure 8 shows, from its numbers: the dense net at θ0 against chance; at the sparsest round
 * shown, the ticket and each control with their spread and the ticket's lead or lag over each
 * (in pp, with the seeds' and the test set's noise); and the P_m where the ticket's masks do best.
 */
export function beforeCaption(data: BeforeTraining, ctx: BeforeCaptionContext): string {
  const ticket = data.ticket ?? [];
  const dense = ticket.find((p) => p.round === 0);
  const last = ticket[ticket.length - 1];
  const chance = `chance is ${pct(ctx.chance, 0)}`;
  if (!last)
    return `Each round adds its points as it starts, before its first training step (${chance}).`;
  const out: string[] = [];
  if (dense) out.push(`The dense net at θ0 (100% of weights): ${withSpread(dense)}; ${chance}.`);
  if (last.round === 0)
    return [...out, 'Each pruned round adds the ticket and its controls.'].join(' ');
  const seeds = last.values.length;
  const controls = VARIANT_ORDER.slice(1).flatMap((v: VariantName) => {
    const p = data[v]?.find((q) => q.round === last.round);
    return p ? [{ v, p }] : [];
  });
  const at = [{ v: 'ticket' as VariantName, p: last }, ...controls]
    .map(({ v, p }) => `${VARIANT_LABEL[v]} ${withSpread(p)}`)
    .join(', ');
  const where = `${pct(last.remainingPct / 100)} of weights (round ${last.round})`;
  const what =
    last.iteration > 0
      ? `At its first evaluation (iteration ${last.iteration})`
      : 'Before any training';
  out.push(`${what} at ${where}: ${at}${seeds > 1 ? ` (mean ± sd over ${seeds} seeds)` : ''}.`);
  for (const { v, p } of controls)
    out.push(`${capitalized(against(last, p, VARIANT_LABEL[v], ctx.testSize))}.`);
  if (controls.length === 0 && seeds === 1) out.push('One seed: may be seed noise.');
  const pruned = ticket.filter((p) => p.round > 0);
  if (pruned.length > 1) {
    const best = pruned.reduce((b, p) => (mean(p) > mean(b) ? p : b));
    out.push(
      `The ticket's masks alone do best at ${pct(best.remainingPct / 100)} of weights (round ${best.round}): ${pct(mean(best))}${best === last ? ', the sparsest round so far' : ''}.`,
    );
  }
  if (pruned.some((p) => p.iteration > 0))
    out.push(
      `This run rewinds: a pruned round's first point comes after the dense net's first ${pruned.find((p) => p.iteration > 0)!.iteration} steps, not before any training.`,
    );
  return out.join(' ');
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
