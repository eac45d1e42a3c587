/**
 * The supermask slider's state through the store's own event path (review finding 3): a point
 * the worker computed for another run's weights never lands in the figure of the run on screen.
 */
import { describe, expect, it } from 'vitest';
import { tinyRounds, tinyRunFile } from '../formats/formats.testing';
import { roundsOfOneTrial } from '../formats/run-rounds';
import { tinyMeta } from '../history/run-meta.testing';
import type { LabEvent, SupermaskPoint } from '../worker/protocol';
import { createLabStore } from './lab-store';

const RUN = tinyRunFile();

const runStarted = (runId: string): LabEvent => ({
  type: 'runStarted',
  config: RUN.config,
  theta0Fingerprint: 'f00d',
  theta0DeviceFingerprint: 'f00d',
  runId,
  firstRound: 0,
});
const kept = (generation: number): LabEvent => ({
  type: 'weightsKept',
  rounds: [0],
  none: null,
  noDense: null,
  generation,
});
const answered = (
  requestId: number,
  pm: number,
  generation: number,
  preview = false,
): LabEvent => ({
  type: 'supermask',
  requestId,
  point: {
    pm,
    remaining: pm,
    supermaskAccuracy: 0.3,
    prunedAccuracy: 0.9,
    testSize: preview ? 2000 : 10000,
    preview,
    signs: { kept: { same: 1, of: 2 }, dropped: { same: 1, of: 2 } },
    ms: 50,
    when: 'idle',
    generation,
  },
});
const pms = (points: readonly SupermaskPoint[]) => points.map((p) => p.pm);

describe('supermask points and the weights they were computed from', () => {
  it("drops a point computed for the previous run's weights, whenever it arrives", () => {
    const store = createLabStore();
    const s = () => store.getState();
    s().workerEvent(runStarted('A'));
    s().workerEvent(kept(1));
    s().supermaskAsked(1, 0.5);
    s().workerEvent(answered(1, 0.5, 1));
    expect(pms(s().supermask.points)).toEqual([0.5]);
    // Run A's slider asked again; run B starts before the answer comes.
    s().supermaskAsked(2, 0.3);
    s().workerEvent(runStarted('B'));
    s().workerEvent(answered(2, 0.3, 1)); // before B's weights are known
    s().workerEvent(kept(2));
    s().workerEvent(answered(0, 0.21, 1)); // A's starting sweep, after them
    expect(s().supermask.points).toEqual([]);
    expect(s().supermask.latest).toBeNull();
    s().workerEvent(answered(0, 0.64, 2));
    expect(pms(s().supermask.points)).toEqual([0.64]);
    // A round's end says the same generation again: B's points stay.
    s().workerEvent({
      type: 'weightsKept',
      rounds: [0, 1],
      none: null,
      noDense: null,
      generation: 2,
    });
    expect(pms(s().supermask.points)).toEqual([0.64]);
  });

  it("drops the last run's point once a stored run is opened, until its weights are read", () => {
    const store = createLabStore();
    const s = () => store.getState();
    s().workerEvent(runStarted('A'));
    s().workerEvent(kept(1));
    s().runOpened({
      meta: tinyMeta('S', { name: 'stored' }),
      rounds: tinyRounds(),
      trials: roundsOfOneTrial(RUN.config, tinyRounds()),
    });
    s().workerEvent(answered(0, 0.41, 1));
    s().workerEvent(kept(2));
    s().workerEvent(answered(0, 0.05, 1));
    expect(s().supermask.points).toEqual([]);
  });

  it('shows a preview as the latest answer, and draws only whole-test-set points', () => {
    const store = createLabStore();
    const s = () => store.getState();
    s().workerEvent(runStarted('A'));
    s().workerEvent(kept(1));
    s().supermaskAsked(1, 0.3);
    s().workerEvent(answered(1, 0.3, 1, true));
    expect(s().supermask.latest?.testSize).toBe(2000);
    expect(s().supermask.points).toEqual([]);
    s().workerEvent(answered(1, 0.3, 1));
    expect(s().supermask.latest?.testSize).toBe(10000);
    expect(pms(s().supermask.points)).toEqual([0.3]);
  });
});
