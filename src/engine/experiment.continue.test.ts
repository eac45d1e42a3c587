/**
 * Continuing an Experiment from its continuation (issue 4): the same rounds as an uninterrupted
 * run, and refused states.
 */
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import type { ConfigPatch, ExperimentConfig } from './config';
import { Experiment, type RoundResult } from './experiment';
import { data, runAll, science, tiny, useTinyData } from './experiment.testing';

useTinyData();

describe('continuing from a continuation (issue 4)', () => {
  /**
   * Runs `stopAfter + 1` rounds, drops the experiment, and goes on in a new one from its
   * continuation.
   */
  async function interrupted(config: ExperimentConfig, stopAfter: number): Promise<RoundResult[]> {
    const first = new Experiment(config, data, { now: () => 0 });
    let state;
    try {
      for (let r = 0; r <= stopAfter; r++) await first.runRound();
      // Through a structured clone, as the state travels through IndexedDB.
      state = structuredClone(first.continuation()!);
    } finally {
      first.dispose();
    }
    expect(state.nextRound).toBe(stopAfter + 1);
    const second = new Experiment(config, data, { now: () => 0, continueFrom: state });
    try {
      expect(second.round).toBe(stopAfter + 1);
      return [...first.results, ...(await second.run()).rounds];
    } finally {
      second.dispose();
    }
  }

  it.each([
    ['iterative, reset to θ0', {}],
    ['rewind to iteration 5', { pruning: { reset: { kind: 'rewind', iteration: 5 } } }],
    ['one-shot, global', { pruning: { method: 'oneShot', scope: 'global' } }],
  ] as [string, ConfigPatch][])(
    '%s: the same rounds as a run never interrupted',
    async (_name, patch) => {
      const config = tiny({
        ...patch,
        pruning: { rounds: 2, controls: ['reinit'], ...patch.pruning },
      });
      const whole = await runAll(config);
      expect(science(await interrupted(config, 0))).toEqual(science(whole.rounds));
      expect(science(await interrupted(config, 1))).toEqual(science(whole.rounds));
    },
  );

  it('has nothing to continue once done, and refuses a state that does not fit the run', async () => {
    const config = tiny({ pruning: { rounds: 1, controls: [] } });
    const e = new Experiment(config, data, { now: () => 0 });
    let state;
    try {
      await e.runRound();
      state = e.continuation()!;
      await e.runRound();
      expect(e.continuation()).toBeNull();
    } finally {
      e.dispose();
    }
    const refuse = (s: typeof state, msg: string) =>
      expect(() =>
        new Experiment(config, data, { now: () => 0, continueFrom: s }).dispose(),
      ).toThrow(msg);
    refuse({ ...state, nextRound: 5 }, 'round 5 is not a round of this run');
    refuse({ ...state, masks: state.masks.slice(1) }, 'the masks do not fit 784-16-8-10');
    refuse(
      { ...state, masks: [state.masks[0]!.slice(1), ...state.masks.slice(1)] },
      'the masks do not fit',
    );
    const rewinding = tiny({
      pruning: { rounds: 1, controls: [], reset: { kind: 'rewind', iteration: 5 } },
    });
    expect(() => new Experiment(rewinding, data, { now: () => 0, continueFrom: state })).toThrow(
      'needs the weights it rewinds to',
    );
  });
});
