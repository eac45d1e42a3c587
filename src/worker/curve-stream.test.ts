import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CURVE_STRIDE } from './curve-points';
import type { LabEvent } from './protocol';
import { CurveStream, FLUSH_MS } from './curve-stream';

const point = (iteration: number) => ({
  iteration,
  trainLoss: 1,
  validationLoss: 2,
  validationAccuracy: 0.5,
  testAccuracy: 0.25,
});

describe('CurveStream', () => {
  let posted: LabEvent[];
  let clock: number;
  let stream: CurveStream;
  beforeEach(() => {
    vi.useFakeTimers();
    posted = [];
    clock = 0;
    stream = new CurveStream(
      (e) => posted.push(e),
      () => clock,
    );
    stream.roundStarted(['ticket', 'reinit']);
  });
  afterEach(() => vi.useRealTimers());

  it('batches every point and step of FLUSH_MS into one message, variants by index', () => {
    stream.point(0, 'reinit', point(10));
    stream.point(0, 'ticket', point(10));
    for (let i = 1; i <= 5; i++) stream.step(0, i, 100, 60);
    expect(posted).toHaveLength(0);
    vi.advanceTimersByTime(FLUSH_MS);
    expect(posted).toHaveLength(1);
    const e = posted[0]!;
    if (e.type !== 'curvePoints') throw new Error(e.type);
    expect(e.variants).toEqual(['ticket', 'reinit']);
    expect(e.points).toHaveLength(2 * CURVE_STRIDE);
    expect(Array.from(e.points.slice(0, CURVE_STRIDE))).toEqual([0, 1, 10, 1, 2, 0.5, 0.25]);
    expect(e.progress).toMatchObject({ round: 0, iteration: 5, iterations: 100 });
    vi.advanceTimersByTime(10 * FLUSH_MS);
    expect(posted).toHaveLength(1); // nothing new, nothing sent
  });

  it('counts examples per second of every variant since the round started', () => {
    clock = 1000;
    stream.roundStarted(['ticket', 'reinit']);
    clock = 3000;
    for (let i = 0; i < 10; i++) stream.step(1, i, 100, 60);
    stream.flush();
    const e = posted[0]!;
    if (e.type !== 'curvePoints') throw new Error(e.type);
    expect(e.progress!.examplesPerSecond).toBe((10 * 2 * 60) / 2);
  });

  it('flushes at once when asked, and drops what a restarted round had pending', () => {
    stream.point(0, 'ticket', point(0));
    stream.flush();
    expect(posted).toHaveLength(1);
    stream.point(0, 'ticket', point(10));
    stream.step(0, 10, 100, 60);
    stream.discard();
    vi.advanceTimersByTime(FLUSH_MS);
    stream.flush();
    expect(posted).toHaveLength(1);
  });
});
