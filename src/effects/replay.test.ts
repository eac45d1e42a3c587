/** The replay timeline: a stored run's events rebuilt on its own clock, and where a replay ends. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Progress } from '../worker/protocol';
import { roundViewOf } from '../state/history-slice';
import { createLabStore } from '../state/lab-store';
import { ReplayPlayer, pointsIn, replayTimeline } from './replay';
import {
  metaOf,
  runWith,
  roundEnds,
  curveEvents,
  pointsByCurve,
  storedCurves,
  ManualClock,
} from './replay.testing';

describe('replayTimeline', () => {
  const run = runWith();
  const meta = metaOf(run);
  const timeline = replayTimeline(meta, run.rounds);

  it('sends the events in the order a worker sends them', () => {
    // One batch per evaluation: iterations 0, 10 and 20.
    const perRound = (): string[] => [
      'roundStarted',
      'curvePoints',
      'curvePoints',
      'curvePoints',
      'roundCompleted',
      'histograms',
    ];
    expect(timeline.map((t) => t.event.type)).toEqual([
      'runStarted',
      ...run.rounds.flatMap(perRound),
      'state',
    ]);
    expect(timeline[0]!.event).toEqual({
      type: 'runStarted',
      config: run.config,
      theta0Fingerprint: '',
      theta0DeviceFingerprint: '',
      runId: 'run-1',
      firstRound: 0,
    });
    expect(timeline.at(-1)!.event).toEqual({ type: 'state', state: 'done', detail: 'replayed' });
    const started = timeline.filter((t) => t.event.type === 'roundStarted').map((t) => t.event);
    expect(started).toEqual(
      run.rounds.map((r) => ({
        type: 'roundStarted',
        round: r.round,
        variants: r.variants.map((v) => v.variant),
        remaining: r.remaining,
        remainingByLayer: r.remainingByLayer,
      })),
    );
  });

  it('keeps time: non-decreasing, each round ending at the sum of the wall times so far', () => {
    const at = timeline.map((t) => t.at);
    expect(at[0]).toBe(0);
    at.slice(1).forEach((x, i) => expect(x).toBeGreaterThanOrEqual(at[i]!));
    const ends = roundEnds(run.rounds);
    const completed = timeline.filter((t) => t.event.type === 'roundCompleted');
    expect(completed.map((t) => t.at)).toEqual(ends);
    expect(timeline.filter((t) => t.event.type === 'histograms').map((t) => t.at)).toEqual(ends);
    expect(timeline.filter((t) => t.event.type === 'roundStarted').map((t) => t.at)).toEqual([
      0,
      ...ends.slice(0, -1),
    ]);
    expect(timeline.at(-1)!.at).toBe(ends.at(-1));
  });

  it('sends every stored curve point exactly once, with its values, spread over its round', () => {
    expect(pointsByCurve(timeline.map((t) => t.event))).toEqual(storedCurves(run.rounds));
    expect(pointsIn(timeline)).toBe(
      run.rounds.reduce((n, r) => n + r.variants.reduce((m, v) => m + v.curve.length, 0), 0),
    );
    const ends = roundEnds(run.rounds);
    run.rounds.forEach((r, i) => {
      const batches = curveEvents(timeline).filter((t) => t.event.points[0] === r.round);
      // Iteration 0 at the round's start, the last iteration at its end, the middle one half way.
      expect(batches.map((t) => t.at)).toEqual([
        ends[i]! - r.wallMs,
        ends[i]! - r.wallMs / 2,
        ends[i]!,
      ]);
      expect(batches.map((t) => t.event.progress)).toEqual(
        [0, 10, 20].map((iteration): Progress => ({
          round: r.round,
          iteration,
          iterations: 20,
          examplesPerSecond: r.examplesPerSecond,
        })),
      );
      expect(
        batches.every((t) => t.event.variants.join() === r.variants.map((v) => v.variant).join()),
      ).toBe(true);
    });
  });

  it('sends summaries and histograms as the worker does', () => {
    const completed = timeline.flatMap((t) =>
      t.event.type === 'roundCompleted' ? [t.event.summary] : [],
    );
    const histograms = timeline.flatMap((t) => (t.event.type === 'histograms' ? [t.event] : []));
    const views = run.rounds.map(roundViewOf);
    expect(completed).toEqual(views.map((v) => v.summary));
    expect(histograms).toEqual(
      views.map((v) => ({ type: 'histograms', round: v.round, variants: v.histograms })),
    );
  });

  it('holds for any round times and any evaluation iterations', () => {
    // At least two points: a rewinding round's curve starts at iteration k, so time is spread from
    // the first point on.
    const iterationSets = fc.array(fc.subarray([0, 5, 10, 15, 20], { minLength: 2 }), {
      minLength: 3,
      maxLength: 3,
    });
    const times = fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(times, iterationSets, (wallMs, kept) => {
        const base = runWith(wallMs);
        // Every variant of a round is evaluated at the same iterations, as the engine trains them
        // in lockstep.
        const rounds = base.rounds.map((r, i) => ({
          ...r,
          variants: r.variants.map((v, vi) => ({
            ...v,
            curve: kept[i]!.map((iteration) => ({
              iteration,
              trainLoss: iteration + vi,
              validationLoss: 1 + r.round,
              validationAccuracy: 0.5,
              testAccuracy: 0.25 + vi / 8,
            })),
          })),
        }));
        const tl = replayTimeline(metaOf(base), rounds);
        tl.slice(1).forEach((t, i) => expect(t.at).toBeGreaterThanOrEqual(tl[i]!.at));
        const ends = roundEnds(rounds);
        expect(tl.filter((t) => t.event.type === 'roundCompleted').map((t) => t.at)).toEqual(ends);
        expect(pointsByCurve(tl.map((t) => t.event))).toEqual(storedCurves(rounds));
        rounds.forEach((r, i) => {
          const at = curveEvents(tl)
            .filter((t) => t.event.points[0] === r.round)
            .map((t) => t.at);
          expect(at[0]).toBeGreaterThanOrEqual(ends[i]! - r.wallMs);
          if (kept[i]!.at(-1) === 20) expect(at.at(-1)).toBe(ends[i]);
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe('a replay ends where opening the run does', () => {
  const run = runWith([900, 2500, 1700]);
  const meta = metaOf(run);
  const opened = run.rounds.map(roundViewOf);

  it('the timeline, fed to a fresh store, builds the opened rounds', () => {
    const store = createLabStore();
    for (const { event } of replayTimeline(meta, run.rounds)) store.getState().workerEvent(event);
    const s = store.getState();
    expect(s.rounds).toEqual(opened);
    expect(s).toMatchObject({
      activeRunId: 'run-1',
      runConfig: run.config,
      state: 'done',
      theta0: null,
    });
  });

  it('so does the player, merging batches, at any speed and tick pattern', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 10, 100),
        fc.array(fc.integer({ min: 1, max: 2_000 }), { minLength: 1, maxLength: 30 }),
        (speed, steps) => {
          const store = createLabStore();
          const clock = new ManualClock();
          let ended = 0;
          const p = new ReplayPlayer(
            replayTimeline(meta, run.rounds),
            speed,
            (e) => store.getState().workerEvent(e),
            () => ended++,
            clock,
          );
          p.start();
          for (const ms of steps) clock.advance(ms);
          clock.advance(5_200 / speed + ReplayPlayer.TICK_MS);
          expect(ended).toBe(1);
          expect(store.getState().rounds).toEqual(opened);
        },
      ),
      { numRuns: 30 },
    );
  });
});
