// @vitest-environment happy-dom
/**
 * The side-by-side's words come from the seeds on screen: a real gap that every seed shows is
 * "ahead … all agree", a gap smaller than the seeds' spread is "within seed noise", one seed says
 * it is one seed; differences in pp, never %.
 */
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ControlName,
  DEFAULT_CONFIG,
  type ExperimentConfig,
  mergeConfig,
} from '../engine/config';
import type { VariantResult } from '../engine/experiment';
import { runRound, trialResult } from '../engine/trials';
import { useLabStore } from '../state/lab-store';
import type { LabEvent } from '../worker/protocol';
import { Comparison } from './Comparison';

const initial = useLabStore.getState();
beforeEach(() => useLabStore.setState(initial, true));
afterEach(cleanup);

const send = (e: LabEvent) => useLabStore.getState().workerEvent(e);

const variant = (name: VariantResult['variant'], acc: number): VariantResult => ({
  variant: name,
  remaining: 0.8,
  remainingByLayer: [0.8],
  curve: [0, 50, 100].map((iteration, i) => ({
    iteration,
    trainLoss: 1,
    validationLoss: 1,
    validationAccuracy: acc - 0.02 * (2 - i),
    testAccuracy: acc - 0.02 * (2 - i),
  })),
  earlyStop: { iteration: 100, validationAccuracy: acc, testAccuracy: acc },
  finalTestAccuracy: acc,
  histograms: [],
  pixelSurvivors: [],
});

/** A run whose round 1 has, per seed, the ticket's and the control's accuracy. */
function show(
  config: ExperimentConfig,
  pairs: [number, number][],
  control: ControlName = 'reinit',
) {
  send({
    type: 'runStarted',
    config,
    theta0Fingerprint: 'x',
    theta0DeviceFingerprint: 'x',
    runId: null,
    firstRound: 0,
  });
  send({
    type: 'roundStarted',
    round: 1,
    variants: ['ticket', control],
    remaining: 0.8,
    remainingByLayer: [0.8],
  });
  const trials = pairs.map(([t, c], i) =>
    trialResult(
      {
        round: 1,
        remaining: 0.8,
        remainingByLayer: [0.8],
        variants: [variant('ticket', t), variant(control, c)],
        wallMs: 1,
        examplesPerSecond: 1,
      },
      i,
      i,
    ),
  );
  send({ type: 'trialsCompleted', round: runRound(config, 1, trials, 0.8, [0.8]) });
  render(<Comparison />);
  return screen.getByTestId('compare-verdict');
}

const withSeeds = (
  trials: number,
  controls: ExperimentConfig['pruning']['controls'] = ['reinit'],
) =>
  mergeConfig(DEFAULT_CONFIG, {
    data: { testSize: 10_000 },
    training: { trials },
    pruning: { controls },
  });

describe('the side-by-side verdict', () => {
  it('says ahead, in pp, when every seed shows the gap', () => {
    const v = show(withSeeds(5), [
      [0.98, 0.96],
      [0.981, 0.962],
      [0.979, 0.958],
      [0.982, 0.961],
      [0.98, 0.959],
    ]);
    expect(v.dataset.kind).toBe('ahead');
    expect(v.textContent).toBe(
      'At 80.0% of weights (round 1, the latest every seed has finished with random reinit): the winning ticket is ahead of random reinit by 2.0 pp; all 5 seeds agree.',
    );
    expect(screen.getByTestId('compare-numbers').textContent).toContain(
      'mean ± sd over 5 seeds: winning ticket 98.04% ± 0.11 pp; random reinit 96.00% ± 0.16 pp',
    );
    // Issue 16: each side's first evaluation (the curves' iteration 0), over the same seeds.
    expect(screen.getByTestId('compare-before').textContent).toBe(
      'Before training: winning ticket 94.04% ± 0.11 pp; random reinit 92.00% ± 0.16 pp.',
    );
    expect(screen.getAllByTestId('stream-band')).toHaveLength(2);
    // The round is the scrubber's when it shows one every seed has finished; else it says so.
    act(() => useLabStore.getState().roundScrubbed(1));
    expect(v.textContent).toMatch(
      /^At 80\.0% of weights \(round 1, picked by Figure 5’s scrubber\)/,
    );
    act(() => useLabStore.getState().roundScrubbed(0));
    expect(v.textContent).toMatch(
      /^At 80\.0% of weights \(round 1, the latest every seed has finished with random reinit; Figure 5 shows round 0\)/,
    );
  });

  it('says within seed noise when the seeds disagree about a small gap', () => {
    const v = show(withSeeds(4), [
      [0.98, 0.975],
      [0.97, 0.976],
      [0.975, 0.97],
      [0.972, 0.977],
    ]);
    expect(v.dataset.kind).toBe('within-noise');
    expect(v.textContent).toMatch(/differ by 0\.\d pp: within (seed|the test set's) noise/);
    expect(v.textContent).not.toMatch(/\d%\s*(ahead|behind)/);
  });

  it('with one seed, gives the gap and says to run 3 or more', () => {
    const v = show(withSeeds(1, ['rearrange']), [[0.97, 0.95]], 'rearrange');
    expect(v.dataset.kind).toBe('too-few');
    expect(v.textContent).toContain(
      'the winning ticket is ahead of rearranged connections by 2.0 pp',
    );
    expect(v.textContent).toContain('one seed: run 3 or more to tell this from seed noise');
    // The control that trained is the one compared, though reinit is the one chosen.
    expect((screen.getByTestId('compare-with') as HTMLSelectElement).value).toBe('rearrange');
    expect(screen.queryAllByTestId('stream-band')).toHaveLength(0);
  });
});
