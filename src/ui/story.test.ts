/**
 * Story mode's narration (story.ts) on the recorded lecture run, whose numbers are known, and on
 * copies of it changed so that a sentence must not be said.
 */
import { describe, expect, it } from 'vitest';
import type { VariantName } from '../engine/config';
import type { RunFile } from '../formats/run-file';
import { movedStep, storySteps, type StoryStep } from './story';
import { recordedRun, storyRunOf } from './story.testing';

const RECORDED = recordedRun();

const text = (s: StoryStep) => s.sentences.join(' ');
const step = (steps: StoryStep[], key: string) => {
  const s = steps.find((x) => x.key === key);
  if (!s) throw new Error(`no step ${key} in ${steps.map((x) => x.key).join(', ')}`);
  return s;
};

/** The recorded run with its first trial alone: a one-seed run. */
function oneSeed(file: RunFile): RunFile {
  const f = structuredClone(file);
  f.config.training.trials = 1;
  for (const r of f.rounds) r.trials = r.trials.slice(0, 1);
  return f;
}

/** A copy whose `variant` results in every trial of every pruned round pass through `edit`. */
function edited(
  file: RunFile,
  variant: VariantName,
  edit: (v: RunFile['rounds'][number]['trials'][number]['variants'][number]) => void,
): RunFile {
  const f = structuredClone(file);
  for (const r of f.rounds)
    if (r.round > 0)
      for (const t of r.trials) for (const v of t.variants) if (v.variant === variant) edit(v);
  return f;
}

describe('story steps', () => {
  it('without a finished round, one step that says what to do', () => {
    const idle = storySteps({ rounds: [], trialRounds: [], config: null, live: false });
    expect(idle.map((s) => s.key)).toEqual(['empty']);
    expect(text(idle[0]!)).toMatch(/Run .*or replay the recorded lecture run/);
    const live = storySteps({ ...storyRunOf(RECORDED, 0, true) });
    expect(text(live[0]!)).toMatch(/Round 0, the dense net, is training/);
  });

  it('tells the recorded run in the paper’s order, with its own numbers', () => {
    const steps = storySteps(storyRunOf(RECORDED));
    expect(steps.map((s) => s.key)).toEqual([
      'dense',
      'prune',
      'reset',
      ...Array.from({ length: 11 }, (_, i) => `round-${i + 2}`),
      'controls',
      'early-stop',
      'bimodal',
      'masks',
    ]);
    expect(text(step(steps, 'dense'))).toContain(
      'climbs from 8.3% at iteration 0 (chance is 10%) and reaches 97.48% at its early stop, iteration 2,500',
    );
    expect(step(steps, 'prune').title).toBe('The first prune: 80.0% of the weights remain');
    expect(text(step(steps, 'prune'))).toContain(
      'layer 1 keeps 80.0%, layer 2 keeps 80.0%, layer 3 keeps 90.0%',
    );
    // Five seeds: the verdict over all of them, in pp.
    expect(text(step(steps, 'round-12'))).toContain(
      'The ticket is ahead of random reinit by 1.1 pp; all 5 seeds agree.',
    );
    expect(step(steps, 'controls').title).toBe('The controls fall away');
    expect(step(steps, 'early-stop').title).toBe('Tickets learn faster');
    expect(step(steps, 'bimodal').title).toBe('The survivors turn bimodal');
    const masks = step(steps, 'masks');
    expect(masks.title).toBe('The masks alone already classify');
    expect(text(masks)).toContain(
      'the ticket classifies 70.0% of the test images; the dense net at θ0 classified 8.3%',
    );
    expect(masks.figure).toEqual({ kind: 'accuracy', upTo: 12, controlsOf: 12, fromStart: true });
  });

  it('has steps only for rounds that finished, and keeps each step’s key as rounds are added', () => {
    const three = storySteps(storyRunOf(RECORDED, 3, true)).map((s) => s.key);
    expect(three).toEqual([
      'dense',
      'prune',
      'reset',
      'round-2',
      'controls',
      'early-stop',
      'bimodal',
      'masks',
    ]);
    const four = storySteps(storyRunOf(RECORDED, 4, true)).map((s) => s.key);
    expect(four.slice(0, 5)).toEqual(['dense', 'prune', 'reset', 'round-2', 'round-3']);
    expect(storySteps(storyRunOf(RECORDED, 1)).map((s) => s.key)).toEqual(['dense']);
  });

  it('with one seed, says a difference may be seed noise and claims no agreement of seeds', () => {
    const steps = storySteps(storyRunOf(oneSeed(RECORDED)));
    const round12 = text(step(steps, 'round-12'));
    expect(round12).toContain('one seed: the difference may be seed noise');
    expect(round12).toMatch(/one seed: run 3 or more to tell this from seed noise/);
    expect(steps.map(text).join(' ')).not.toMatch(/seeds agree|seed 0's, one of/);
  });

  it('does not say the controls fall away where one keeps up with the ticket', () => {
    const f = edited(RECORDED, 'reinit', (v) => {
      v.earlyStop.testAccuracy = 0.995; // ahead of the ticket in every round and seed
    });
    const controls = step(storySteps(storyRunOf(f)), 'controls');
    expect(controls.title).toBe('The ticket against the controls');
    expect(text(controls)).toContain('Random reinit:');
    expect(text(controls)).toMatch(/Random reinit: [\d.]+ pp ahead of the ticket at 80\.0%/);
    expect(text(controls)).not.toContain('widening');
  });

  it('does not say tickets learn faster where none stops before the dense net', () => {
    const f = edited(RECORDED, 'ticket', (v) => {
      v.earlyStop.iteration = 3000;
    });
    const s = step(storySteps(storyRunOf(f)), 'early-stop');
    expect(s.title).toBe('When each net stops learning');
    expect(text(s)).toContain(
      'The earliest ticket stops at iteration 3,000 (80.0% of weights), later',
    );
  });

  it('does not say tickets learn faster on one lucky round: most tickets, and the sparsest, must', () => {
    // Only round 1's ticket stops early; every other stops at the end.
    const f = edited(RECORDED, 'ticket', (v) => {
      v.earlyStop.iteration = 3000;
    });
    const first = f.rounds.find((r) => r.round === 1)!;
    for (const t of first.trials)
      t.variants.find((v) => v.variant === 'ticket')!.earlyStop.iteration = 100;
    const s = step(storySteps(storyRunOf(f)), 'early-stop');
    expect(s.title).toBe('When each net stops learning');
    expect(text(s)).toContain('1 of 12 pruned tickets stop before the dense net');
  });

  it('says rewound, not reset to θ0, in every round of a run that rewinds', () => {
    const f = structuredClone(RECORDED);
    f.config.pruning.reset = { kind: 'rewind', iteration: 100 };
    const steps = storySteps(storyRunOf(f));
    const rounds = steps.filter((x) => x.key.startsWith('round-'));
    expect(rounds.length).toBeGreaterThan(0);
    for (const r of rounds) {
      expect(text(r)).toContain('rewound to iteration 100');
      expect(text(r)).not.toContain('θ0');
    }
  });

  it('does not say the masks classify when the ticket starts near chance, nor tell iteration 0 without it', () => {
    const low = edited(RECORDED, 'ticket', (v) => {
      v.curve[0]!.testAccuracy = 0.12;
    });
    const masks = step(storySteps(storyRunOf(low)), 'masks');
    expect(masks.title).toBe('Before any training');
    expect(text(masks)).not.toContain('already');
    // Curves that begin after iteration 0 have no start to tell.
    const noStart = structuredClone(RECORDED);
    for (const r of noStart.rounds)
      for (const t of r.trials) for (const v of t.variants) v.curve = v.curve.slice(1);
    const steps = storySteps(storyRunOf(noStart));
    expect(steps.map((s) => s.key)).not.toContain('masks');
    expect(text(step(steps, 'dense'))).not.toContain('iteration 0');
  });

  it('does not call the survivors bimodal after one prune, when they still peak at zero', () => {
    const s = step(storySteps(storyRunOf(RECORDED, 2)), 'bimodal');
    expect(s.title).toBe('Which starting weights survive');
    expect(text(s)).not.toContain('humps');
  });

  it('steps forward and back within the steps there are', () => {
    const steps = storySteps(storyRunOf(RECORDED, 3));
    expect(movedStep(steps, null, 'next')).toBe('prune');
    expect(movedStep(steps, 'prune', 'previous')).toBe('dense');
    expect(movedStep(steps, 'dense', 'previous')).toBe('dense');
    expect(movedStep(steps, 'masks', 'next')).toBe('masks');
    expect(movedStep(steps, 'reset', 'last')).toBe('masks');
    expect(movedStep(steps, 'gone', 'first')).toBe('dense');
  });
});
