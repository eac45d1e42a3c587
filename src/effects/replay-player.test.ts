/**
 * The replay player: a timeline played on a clock, at a speed that can change, paused and ended.
 */
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../worker/protocol';
import { ReplayPlayer, replayTimeline } from './replay';
import { metaOf, runWith, flatten, dueBy, ManualClock } from './replay.testing';

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
