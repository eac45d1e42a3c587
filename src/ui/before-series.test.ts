/**
 * Figure 8 (issue 16): test accuracy before training vs P_m, on the recorded lecture run (five
 * seeds, whose numbers are known: the ticket's masks alone classify 60-90% of digits, the controls
 * sit near chance) and on copies changed so that a claim must not be made.
 */
import { describe, expect, it } from 'vitest';
import type { RunFile } from '../formats/run-file';
import {
  beforeAt,
  beforeOfStarts,
  beforeOfTrials,
  type BeforeTraining,
  roundStarts,
} from '../state/before-training';
import type { RoundView } from '../state/types';
import { beforeCaption, beforeSeries } from './before-series';
import { recordedRun, trialZeroView } from './story.testing';

const RECORDED = recordedRun();
const CTX = { testSize: 10_000, chance: 0.1 };

/** Every trial's iteration-0 test accuracy of `variant` in `round`, read off the file itself. */
const firsts = (file: RunFile, round: number, variant: string) =>
  file.rounds[round]!.trials.map(
    (t) => t.variants.find((v) => v.variant === variant)!.curve[0]!.testAccuracy,
  );
const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The recorded run with its first trial alone: a one-seed run. */
function oneSeed(file: RunFile): RunFile {
  const f = structuredClone(file);
  f.config.training.trials = 1;
  for (const r of f.rounds) r.trials = r.trials.slice(0, 1);
  return f;
}

describe('accuracy before training, from the curves’ first points', () => {
  it('takes every trial’s first evaluation, iteration 0, per round and variant', () => {
    const data = beforeOfTrials(RECORDED.rounds);
    expect(data.ticket).toHaveLength(13);
    expect(data.reinit?.map((p) => p.round)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(data.random).toBeUndefined();
    for (const r of [0, 3, 12])
      expect(beforeAt(data, r, 'ticket')).toEqual(firsts(RECORDED, r, 'ticket'));
    expect(beforeAt(data, 12, 'rearrange')).toEqual(firsts(RECORDED, 12, 'rearrange'));
    expect(data.ticket!.every((p) => p.iteration === 0 && p.values.length === 5)).toBe(true);
  });

  it('one seed as it streams: trial 0’s rounds give trial 0’s numbers', () => {
    const views = RECORDED.rounds.map(trialZeroView);
    const live = beforeOfStarts(roundStarts(views));
    const trials = beforeOfTrials(RECORDED.rounds);
    for (const v of ['ticket', 'reinit', 'rearrange'] as const)
      expect(live[v]!.map((p) => p.values[0])).toEqual(trials[v]!.map((p) => p.values[0]));
  });

  it('hands the same objects while later points stream in, a new one when a round starts', () => {
    const view = trialZeroView(RECORDED.rounds[1]!);
    const streaming: RoundView = {
      ...view,
      curves: { ticket: view.curves.ticket!.slice(0, 1), reinit: view.curves.reinit!.slice(0, 1) },
    };
    const before = roundStarts([streaming]);
    const more: RoundView = { ...streaming, curves: { ...view.curves } };
    const after = roundStarts([more]);
    expect(after.slice(0, 2)).toEqual(before.slice(0, 2));
    for (let i = 0; i < 2; i++) expect(after[i]).toBe(before[i]);
    expect(after).toHaveLength(3);
    expect(after[2]!.variant).toBe('rearrange');
  });
});

describe('Figure 8’s series', () => {
  it('draws each variant’s mean, a control’s line from the dense net, band and dots where it trained', () => {
    const series = beforeSeries(beforeOfTrials(RECORDED.rounds));
    expect(series.map((s) => s.key)).toEqual(['ticket', 'reinit', 'rearrange']);
    const [ticket, reinit] = series;
    expect(ticket!.points[12]!.value).toBeCloseTo(meanOf(firsts(RECORDED, 12, 'ticket')), 12);
    expect(ticket!.points[12]!.remainingPct).toBeCloseTo(100 * RECORDED.rounds[12]!.remaining, 9);
    expect(reinit!.points[0]).toEqual(ticket!.points[0]);
    expect(reinit!.points).toHaveLength(13);
    expect(reinit!.band).toHaveLength(12);
    expect(reinit!.scatter).toHaveLength(60);
    expect(ticket!.dashed).toBe(false);
    expect(reinit!.dashed).toBe(true);
  });

  it('one seed: points alone, no band to call a spread', () => {
    const series = beforeSeries(beforeOfTrials(oneSeed(RECORDED).rounds));
    for (const s of series) expect(s.band ?? s.scatter).toBeUndefined();
  });
});

describe('Figure 8’s caption', () => {
  it('says the recorded run’s own numbers: the ticket far ahead of both controls, in pp, with its seeds', () => {
    const text = beforeCaption(beforeOfTrials(RECORDED.rounds), CTX);
    expect(text).toBe(
      'The dense net at θ0 (100% of weights): 9.9% ± 1.3 pp; chance is 10%. ' +
        'Before any training at 7.0% of weights (round 12): winning ticket 69.6% ± 3.7 pp, random reinit 8.9% ± 1.9 pp, rearranged connections 7.9% ± 1.8 pp (mean ± sd over 5 seeds). ' +
        'The winning ticket is ahead of random reinit by 60.6 pp; all 5 seeds agree. ' +
        'The winning ticket is ahead of rearranged connections by 61.7 pp; all 5 seeds agree. ' +
        "The ticket's masks alone do best at 26.3% of weights (round 6): 86.4%.",
    );
  });

  it('one seed says so, with the test set’s noise', () => {
    const text = beforeCaption(beforeOfTrials(oneSeed(RECORDED).rounds), CTX);
    const t = 100 * firsts(RECORDED, 12, 'ticket')[0]!;
    const r = 100 * firsts(RECORDED, 12, 'reinit')[0]!;
    expect(text).toContain(`winning ticket ${t.toFixed(1)}%, random reinit ${r.toFixed(1)}%`);
    expect(text).toContain(
      `The winning ticket is ahead of random reinit by ${(t - r).toFixed(1)} pp (the test set alone varies by`,
    );
    expect(text).toContain('one seed: run 3 or more to tell this from seed noise');
    expect(text).not.toContain('mean ± sd');
  });

  it('says "behind" where a control starts higher, and never "ahead" of it', () => {
    const data = beforeOfTrials(RECORDED.rounds);
    const swapped: BeforeTraining = {
      ...data,
      ticket: data.ticket!.map((p, i) =>
        i === 0 ? p : { ...p, values: data.reinit![i - 1]!.values },
      ),
      reinit: data.reinit!.map((p, i) => ({ ...p, values: data.ticket![i + 1]!.values })),
      rearrange: undefined,
    };
    const text = beforeCaption(swapped, CTX);
    expect(text).toContain(
      'The winning ticket is behind random reinit by 60.6 pp; all 5 seeds agree.',
    );
    expect(text).not.toContain('ahead');
  });

  it('without controls, one seed is called possible noise; before a pruned round, no comparison', () => {
    const data = beforeOfTrials(oneSeed(RECORDED).rounds.slice(0, 3));
    const ticketOnly = beforeCaption({ ticket: data.ticket! }, CTX);
    expect(ticketOnly).toContain('One seed: may be seed noise.');
    expect(ticketOnly).toMatch(/do best at (80\.0|64\.1)% of weights/);
    const dense = beforeCaption({ ticket: data.ticket!.slice(0, 1) }, CTX);
    expect(dense).toBe(
      `The dense net at θ0 (100% of weights): ${(100 * data.ticket![0]!.values[0]!).toFixed(1)}%; chance is 10%. Each pruned round adds the ticket and its controls.`,
    );
    expect(beforeCaption({}, CTX)).toBe(
      'Each round adds its points as it starts, before its first training step (chance is 10%).',
    );
  });

  it('a rewound run’s first points come after training: the caption says so, not "before"', () => {
    const data = beforeOfTrials(RECORDED.rounds.slice(0, 3));
    const rewound: BeforeTraining = Object.fromEntries(
      Object.entries(data).map(([v, ps]) => [
        v,
        ps.map((p) => (p.round > 0 ? { ...p, iteration: 50 } : p)),
      ]),
    );
    const text = beforeCaption(rewound, CTX);
    expect(text).toContain('At its first evaluation (iteration 50) at 64.1% of weights (round 2)');
    expect(text).toContain(
      "a pruned round's first point comes after the dense net's first 50 steps",
    );
    expect(text).not.toContain('Before any training');
  });
});
