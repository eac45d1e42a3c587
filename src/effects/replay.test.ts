import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RoundResult } from '../engine/experiment';
import type { CurvePoint } from '../engine/metrics';
import { tinyRunFile } from '../formats/formats.testing';
import type { RunFile } from '../formats/run-file';
import type { RunMeta } from '../history/run-db';
import type { LabEvent, Progress } from '../worker/protocol';
import { unpackCurvePoints } from '../worker/curve-points';
import { roundViewOf } from '../state/history-slice';
import { createLabStore } from '../state/lab-store';
import {
  type ReplayClock,
  type TimedEvent,
  ReplayPlayer,
  pointsIn,
  replayTimeline,
} from './replay';

function metaOf(run: RunFile, patch: Partial<RunMeta> = {}): RunMeta {
  const last = run.rounds[run.rounds.length - 1]!;
  return {
    id: 'run-1',
    name: run.name,
    createdAt: 0,
    updatedAt: 0,
    config: run.config,
    backend: run.backend,
    status: 'done',
    origin: 'imported',
    firstRound: 0,
    roundsDone: run.rounds.length,
    remaining: last.remaining,
    bestAccuracy: null,
    continuable: false,
    ...patch,
  };
}

/** The tiny run (three rounds: 1, 3 and 3 variants; points at iterations 0, 10, 20), with chosen round times. */
function runWith(wallMs?: readonly number[]): RunFile {
  const run = tinyRunFile();
  if (wallMs) run.rounds = run.rounds.map((r, i) => ({ ...r, wallMs: wallMs[i]! }));
  return run;
}

/** Round ends on the 1× clock: the cumulative sums of the rounds' wall times. */
const roundEnds = (rounds: readonly RoundResult[]) =>
  rounds.reduce<number[]>((ends, r) => [...ends, (ends[ends.length - 1] ?? 0) + r.wallMs], []);

const curveEvents = (timeline: readonly TimedEvent[]) =>
  timeline.filter(
    (t): t is { at: number; event: Extract<LabEvent, { type: 'curvePoints' }> } =>
      t.event.type === 'curvePoints',
  );

/** Every curve point of a list of events, by `round/variant`, in the order sent. */
function pointsByCurve(events: readonly LabEvent[]): Map<string, CurvePoint[]> {
  const out = new Map<string, CurvePoint[]>();
  for (const e of events) {
    if (e.type !== 'curvePoints') continue;
    for (const { round, variant, point } of unpackCurvePoints(e.variants, e.points)) {
      const key = `${round}/${variant}`;
      out.set(key, [...(out.get(key) ?? []), point]);
    }
  }
  return out;
}

const storedCurves = (rounds: readonly RoundResult[]) =>
  new Map(
    rounds.flatMap((r) =>
      r.variants.map((v): [string, CurvePoint[]] => [`${r.round}/${v.variant}`, v.curve]),
    ),
  );

/** Events with curve batches opened into single points: equal for a stream and the same stream merged. */
const flatten = (events: readonly LabEvent[]) =>
  events.flatMap((e): unknown[] =>
    e.type === 'curvePoints' ? unpackCurvePoints(e.variants, e.points) : [e],
  );
const dueBy = (timeline: readonly TimedEvent[], position: number) =>
  timeline.filter((t) => t.at <= position).map((t) => t.event);

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
    // At least two points: a rewinding round's curve starts at iteration k, so time is spread from the first point on.
    const iterationSets = fc.array(fc.subarray([0, 5, 10, 15, 20], { minLength: 2 }), {
      minLength: 3,
      maxLength: 3,
    });
    const times = fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(times, iterationSets, (wallMs, kept) => {
        const base = runWith(wallMs);
        // Every variant of a round is evaluated at the same iterations, as the engine trains them in lockstep.
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

/** A clock the test moves by hand; it fires the player's tick every TICK_MS, as setInterval would. */
class ManualClock implements ReplayClock {
  time = 1_000;
  private tick: (() => void) | null = null;
  now(): number {
    return this.time;
  }
  every(ms: number, tick: () => void): () => void {
    expect(ms).toBe(ReplayPlayer.TICK_MS);
    this.tick = tick;
    return () => {
      if (this.tick === tick) this.tick = null;
    };
  }
  get ticking(): boolean {
    return this.tick !== null;
  }
  advance(ms: number): void {
    for (let left = ms; left > 0;) {
      const step = Math.min(left, ReplayPlayer.TICK_MS);
      this.time += step;
      left -= step;
      this.tick?.();
    }
  }
  /** Time passing between two ticks. */
  elapse(ms: number): void {
    this.time += ms;
  }
}

describe('ReplayPlayer', () => {
  // 4 s, 7 s and 8 s rounds: round 1's points fall at 4 s, 7.5 s and 11 s of the run.
  const run = runWith([4000, 7000, 8000]);
  const timeline = replayTimeline(metaOf(run), run.rounds);

  function player(speed: number) {
    const clock = new ManualClock();
    const sent: LabEvent[] = [];
    let ends = 0;
    const p = new ReplayPlayer(
      timeline,
      speed,
      (e) => sent.push(e),
      () => ends++,
      clock,
    );
    return { p, clock, sent, ends: () => ends };
  }

  it('at 10× has sent, after 1 s, exactly what the run had sent by 10 s', () => {
    const { p, clock, sent } = player(10);
    clock.elapse(5_000); // before start: not played
    p.start();
    expect(flatten(sent)).toEqual(flatten(dueBy(timeline, 0)));
    clock.advance(1_000);
    const due = dueBy(timeline, 10_000);
    expect(due.length).toBeLessThan(timeline.length);
    expect(dueBy(timeline, 11_000).length).toBeGreaterThan(due.length);
    expect(flatten(sent)).toEqual(flatten(due));
    expect(p.done).toBe(false);
  });

  it('a new speed applies from then on, not to the time already played', () => {
    const { p, clock, sent } = player(1);
    p.start();
    clock.advance(2_000);
    clock.elapse(200); // between ticks: still played at 1×
    p.setSpeed(100);
    expect(flatten(sent)).toEqual(flatten(dueBy(timeline, 2_200)));
    clock.advance(50); // 5 s more of the run
    expect(flatten(sent)).toEqual(flatten(dueBy(timeline, 7_200)));
    p.setSpeed(10);
    clock.advance(250);
    expect(flatten(sent)).toEqual(flatten(dueBy(timeline, 9_700)));
  });

  it('pause stops sending; start goes on from where it paused', () => {
    const { p, clock, sent, ends } = player(10);
    p.start();
    clock.advance(500);
    p.pause();
    expect(clock.ticking).toBe(false);
    const sentAtPause = sent.length;
    clock.advance(60_000);
    expect(sent).toHaveLength(sentAtPause);
    expect(ends()).toBe(0);
    p.start();
    expect(flatten(sent)).toEqual(flatten(dueBy(timeline, 5_000)));
    clock.advance(500);
    expect(flatten(sent)).toEqual(flatten(dueBy(timeline, 10_000)));
  });

  it('calls onEnd once, after the last event, and stops ticking', () => {
    const { p, clock, sent, ends } = player(100);
    p.start();
    const atStart = sent.length;
    clock.advance(150);
    expect(ends()).toBe(0);
    // One tick played 15 s of the run: the batches it found due together arrived as one event.
    const tick = sent.slice(atStart);
    expect(flatten(tick)).toEqual(
      flatten(
        timeline
          .slice(atStart)
          .filter((t) => t.at <= 15_000)
          .map((t) => t.event),
      ),
    );
    tick.slice(1).forEach((e, i) => {
      const prev = tick[i]!;
      expect(
        e.type === 'curvePoints' &&
          prev.type === 'curvePoints' &&
          e.variants.join() === prev.variants.join(),
      ).toBe(false);
    });
    clock.advance(250);
    expect(p.done).toBe(true);
    expect(ends()).toBe(1);
    expect(clock.ticking).toBe(false);
    expect(flatten(sent)).toEqual(flatten(timeline.map((t) => t.event)));
    expect(sent.at(-1)).toEqual({ type: 'state', state: 'done', detail: 'replayed' });
    clock.advance(10_000);
    expect(ends()).toBe(1);
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

describe('ReplayPlayer after its end', () => {
  it('calls onEnd once, and neither start nor a speed change restarts it', () => {
    const run = runWith([1000, 1000, 1000]);
    const clock = new ManualClock();
    let ends = 0;
    const sent: LabEvent[] = [];
    const p = new ReplayPlayer(
      replayTimeline(metaOf(run), run.rounds),
      100,
      (e) => sent.push(e),
      () => ends++,
      clock,
    );
    p.start();
    clock.advance(1_000);
    expect(p.done).toBe(true);
    const count = sent.length;
    p.setSpeed(10);
    p.start();
    expect(ends).toBe(1);
    expect(clock.ticking).toBe(false);
    expect(sent).toHaveLength(count);
  });
});

describe('ReplayPlayer while paused', () => {
  it('a speed change does not count the paused time, at either speed', () => {
    const run = runWith([60_000, 60_000, 60_000]);
    const timeline = replayTimeline(metaOf(run), run.rounds);
    const clock = new ManualClock();
    const sent: LabEvent[] = [];
    const p = new ReplayPlayer(
      timeline,
      1,
      (e) => sent.push(e),
      () => undefined,
      clock,
    );
    p.start();
    clock.advance(1_000);
    p.pause();
    const atPause = sent.length;
    clock.elapse(57_500); // a minute of pause…
    p.setSpeed(100); // …then 100×: nothing may jump out
    expect(sent).toHaveLength(atPause);
    p.start();
    clock.advance(250); // 250 ms at 100× = 25 s more of the run, from 1 s: due by 26 s
    expect(flatten(sent)).toEqual(flatten(dueBy(timeline, 26_000)));
  });
});
