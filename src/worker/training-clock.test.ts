import { describe, expect, it } from 'vitest';
import { CurveStream } from './curve-stream';
import { TrainingClock } from './training-clock';
import type { LabEvent } from './protocol';

describe('TrainingClock', () => {
  it('stands still while held and goes on from there, however often it is held', () => {
    let wall = 1000;
    const clock = new TrainingClock(() => wall);
    expect(clock.now()).toBe(1000);
    wall = 1500;
    clock.hold();
    wall = 9000; // 7.5 s paused
    expect(clock.now()).toBe(1500);
    clock.hold(); // a second hold inside the first changes nothing
    clock.release();
    expect(clock.now()).toBe(1500);
    wall = 9200;
    expect(clock.now()).toBe(1700);
    clock.release(); // nothing held: nothing to take off
    clock.hold();
    wall = 12_000;
    clock.release();
    wall = 12_100;
    expect(clock.now()).toBe(1800);
  });
});

describe('examples/s across a pause', () => {
  /** A round of 60-example steps, 10 ms each, with a `pauseMs` hold after step `pauseAfter`. */
  function rateAfter(pauseMs: number, holdClock: boolean): number {
    let wall = 0;
    const clock = new TrainingClock(() => wall);
    const sent: LabEvent[] = [];
    const stream = new CurveStream((e) => sent.push(e), holdClock ? clock.now : () => wall);
    stream.roundStarted(['ticket']);
    for (let it = 1; it <= 200; it++) {
      wall += 10;
      stream.step(0, it, 1000, 60);
      if (it === 100) {
        clock.hold();
        wall += pauseMs;
        clock.release();
      }
    }
    stream.flush();
    const last = sent.at(-1)!;
    if (last.type !== 'curvePoints' || !last.progress) throw new Error('no progress sent');
    return last.progress.examplesPerSecond;
  }

  it('is the rate of the steps, as if never paused: 60 examples per 10 ms', () => {
    expect(rateAfter(0, true)).toBeCloseTo(6000);
    expect(rateAfter(60_000, true)).toBeCloseTo(6000);
    // Measured on the wall clock, a minute's pause after one second of training took the rate
    // to a thirty-first of it: the bar's rate and ETA were that far off.
    expect(rateAfter(60_000, false)).toBeCloseTo(6000 * (2 / 62));
  });
});
