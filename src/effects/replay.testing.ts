/**
 * Fixtures shared by the replay tests: the tiny run with chosen round times, curve readers, a
 * hand-moved clock.
 */
import { expect } from 'vitest';
import type { RoundResult } from '../engine/experiment';
import type { CurvePoint } from '../engine/metrics';
import { tinyRunFile } from '../formats/formats.testing';
import { oneTrialOf } from '../formats/run-file';
import type { RunMeta } from '../history/run-meta';
import type { LabEvent } from '../worker/protocol';
import { unpackCurvePoints } from '../worker/curve-points';
import { type ReplayClock, type TimedEvent, ReplayPlayer } from './replay';

/** What the history keeps of a run file: its name and backend, one trial's config and rounds. */
export interface StoredRunFixture {
  name: string;
  backend: string;
  config: RunMeta['config'];
  rounds: RoundResult[];
}

export function metaOf(run: StoredRunFixture, patch: Partial<RunMeta> = {}): RunMeta {
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
    engine: null,
    ...patch,
  };
}

/**
 * The tiny run (three rounds: 1, 3 and 3 variants; points at iterations 0, 10, 20), with chosen
 * round times.
 */
export function runWith(wallMs?: readonly number[]): StoredRunFixture {
  const file = tinyRunFile();
  const run = { name: file.name, backend: file.backend, ...oneTrialOf(file, 0) };
  if (wallMs) run.rounds = run.rounds.map((r, i) => ({ ...r, wallMs: wallMs[i]! }));
  return run;
}

/** Round ends on the 1× clock: the cumulative sums of the rounds' wall times. */
export const roundEnds = (rounds: readonly RoundResult[]) =>
  rounds.reduce<number[]>((ends, r) => [...ends, (ends[ends.length - 1] ?? 0) + r.wallMs], []);

export const curveEvents = (timeline: readonly TimedEvent[]) =>
  timeline.filter(
    (t): t is { at: number; event: Extract<LabEvent, { type: 'curvePoints' }> } =>
      t.event.type === 'curvePoints',
  );

/** Every curve point of a list of events, by `round/variant`, in the order sent. */
export function pointsByCurve(events: readonly LabEvent[]): Map<string, CurvePoint[]> {
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

export const storedCurves = (rounds: readonly RoundResult[]) =>
  new Map(
    rounds.flatMap((r) =>
      r.variants.map((v): [string, CurvePoint[]] => [`${r.round}/${v.variant}`, v.curve]),
    ),
  );

/**
 * Events with curve batches opened into single points: equal for a stream and the same stream
 * merged.
 */
export const flatten = (events: readonly LabEvent[]) =>
  events.flatMap((e): unknown[] =>
    e.type === 'curvePoints' ? unpackCurvePoints(e.variants, e.points) : [e],
  );
export const dueBy = (timeline: readonly TimedEvent[], position: number) =>
  timeline.filter((t) => t.at <= position).map((t) => t.event);

/**
 * A clock the test moves by hand; it fires the player's tick every TICK_MS, as setInterval would.
 */
export class ManualClock implements ReplayClock {
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
