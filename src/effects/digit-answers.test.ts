// @vitest-environment happy-dom
/**
 * The drawing pad's questions to the worker (issue 16), with the worker bridge mocked: a drawing
 * and every kept digit are asked about at the round the figures show, asked again when it
 * changes, and the 'classified' answers land where their request said (a stale one nowhere).
 */
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../worker/protocol';
import { WEIGHTS_OF_NEW_RUN } from '../state/supermask';
import { bridge, reloadPage, state, useLabStore } from './effects.testing';

let fx: typeof import('./digit-answers');
/** The page, with a run of this tab on screen: the worker keeps its weights. */
async function page() {
  await reloadPage();
  useLabStore.setState({ weights: WEIGHTS_OF_NEW_RUN });
  fx = await import('./digit-answers');
  return fx.syncDigitAnswers();
}

const event = (e: LabEvent) => state().workerEvent(e);
/** A round with results on screen, as the worker's events make it. */
function roundDone(round: number) {
  event({
    type: 'roundStarted',
    round,
    variants: ['ticket', 'reinit'],
    remaining: 1,
    remainingByLayer: [1, 1, 1],
  });
  event({ type: 'histograms', round, variants: [] });
}
const asked = () =>
  bridge.classifyDigit.mock.calls.map(([c]) => ({
    id: c.requestId,
    round: c.round,
    first: c.pixels[0],
  }));
const probs = (d: number) => Float32Array.from({ length: 10 }, (_, i) => (i === d ? 0.9 : 0.1 / 9));

describe('digit answers', () => {
  it('asks nothing before a round has results, then about the drawing at the round shown', async () => {
    const stop = await page();
    fx.padChanged(new Uint8Array(784).fill(1));
    expect(bridge.classifyDigit).not.toHaveBeenCalled();
    roundDone(0);
    expect(asked()).toEqual([{ id: 1, round: 0, first: 1 }]);
    roundDone(1);
    expect(asked().slice(1)).toEqual([{ id: 2, round: 1, first: 1 }]);
    // The scrubber goes back to round 0: asked again there.
    state().roundScrubbed(0);
    expect(asked().slice(2)).toEqual([{ id: 3, round: 0, first: 1 }]);
    // Round 1's answer, late: not for the round shown, so not shown.
    const answers = [{ network: 'dense' as const, probabilities: probs(3) }];
    event({ type: 'classified', requestId: 2, round: 1, trial: 0, answers });
    expect(state().padAnswer).toBeNull();
    event({ type: 'classified', requestId: 3, round: 0, trial: 0, answers });
    expect(state().padAnswer?.round).toBe(0);
    stop();
  });

  it('takes no answer for a run whose weights the worker does not hold (a replay): the reason instead', async () => {
    const stop = await page();
    useLabStore.setState({
      weights: { ...WEIGHTS_OF_NEW_RUN, none: 'a replay re-plays recorded results' },
    });
    fx.padChanged(new Uint8Array(784).fill(1));
    roundDone(0);
    const answers = [{ network: 'dense' as const, probabilities: probs(3) }];
    // The worker answers from whatever it holds: another run's networks.
    event({ type: 'classified', requestId: asked().at(-1)!.id, round: 0, trial: 0, answers });
    expect(state().padAnswer).toMatchObject({
      answers: [],
      error: 'a replay re-plays recorded results',
    });
    stop();
  });

  it('shows the answer to the latest drawing only, and an error in words', async () => {
    const stop = await page();
    roundDone(0);
    fx.padChanged(new Uint8Array(784).fill(1));
    fx.padChanged(new Uint8Array(784).fill(2));
    expect(asked().map((a) => a.id)).toEqual([1, 2]);
    const answers = [{ network: 'dense' as const, probabilities: probs(3) }];
    event({ type: 'classified', requestId: 1, round: 0, trial: 0, answers });
    expect(state().padAnswer).toBeNull();
    event({ type: 'classified', requestId: 2, round: 0, trial: 0, answers });
    expect(state().padAnswer).toEqual({ round: 0, trial: 0, answers, error: null });
    fx.padChanged(null);
    expect(state().padAnswer).toBeNull();
    fx.padChanged(new Uint8Array(784).fill(3));
    event({
      type: 'classified',
      requestId: 3,
      round: 0,
      trial: 0,
      answers: [],
      error: "round 0's trained weights are not kept",
    });
    expect(state().padAnswer?.error).toMatch(/not kept/);
    // The worker reads the run's weights back: the refused drawing is asked about again.
    event({ type: 'weightsKept', rounds: [0], none: null, noDense: null, generation: 1 });
    expect(asked().slice(3)).toEqual([{ id: 4, round: 0, first: 3 }]);
    expect(state().padAnswer).toBeNull();
    stop();
  });

  it('asks about every kept digit, and again for a new run', async () => {
    const stop = await page();
    const kept = (id: string, label: number) => ({
      id,
      label,
      keptAt: 0,
      pixels: new Uint8Array(784).fill(label),
    });
    state().keptListed([kept('a', 4), kept('b', 5)]);
    roundDone(0);
    expect(asked()).toEqual([
      { id: 1, round: 0, first: 4 },
      { id: 2, round: 0, first: 5 },
    ]);
    event({
      type: 'classified',
      requestId: 1,
      round: 0,
      trial: 0,
      answers: [{ network: 'dense', probabilities: probs(4) }],
    });
    expect(Object.keys(state().keptAnswers)).toEqual(['a']);
    // Keeping another asks about that one alone.
    state().keptListed([...state().keptDigits, kept('c', 6)]);
    expect(asked().slice(2)).toEqual([{ id: 3, round: 0, first: 6 }]);
    // A new run: the old answers go, and the digits are asked about at its rounds.
    event({
      type: 'runStarted',
      config: state().config,
      theta0Fingerprint: 'x',
      theta0DeviceFingerprint: 'x',
      runId: 'other',
      firstRound: 0,
    });
    expect(state().keptAnswers).toEqual({});
    roundDone(0);
    expect(
      asked()
        .slice(3)
        .map((a) => a.first),
    ).toEqual([4, 5, 6]);
    stop();
  });
});
