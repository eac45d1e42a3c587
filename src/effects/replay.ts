/**
 * Replaying a stored run (issue 4): the events its worker sent, rebuilt from the stored rounds
 * and timed as they happened, so the figures grow exactly as they did live (curves climbing,
 * histograms turning bimodal) at 1×, 10× or 100×, with no training.
 */
import type { RoundResult } from '../engine/experiment';
import type { RunRound } from '../engine/trials';
import type { RunMeta } from '../history/run-meta';
import { histogramsOf, leanRound, summarize } from '../worker/events';
import { mergeCurveBatches, packCurvePoint, pointCount } from '../worker/curve-points';
import type { LabEvent } from '../worker/protocol';

export const REPLAY_SPEEDS = [1, 10, 100] as const;

export interface TimedEvent {
  /** Milliseconds after the replay starts, at 1×. */
  at: number;
  event: LabEvent;
}

/**
 * The run's events on its own clock: each round takes its recorded wall time, and a curve point
 * comes when its iteration was reached (training time is spread evenly over the iterations). The
 * curves streamed are the first trial's (`rounds`), as live; each round's trials (`trials`)
 * arrive with its end, as live.
 */
export function replayTimeline(
  meta: RunMeta,
  rounds: readonly RoundResult[],
  trials: readonly RunRound[] = [],
): TimedEvent[] {
  const { config } = meta;
  const out: TimedEvent[] = [
    {
      at: 0,
      event: {
        type: 'runStarted',
        config,
        theta0Fingerprint: '',
        theta0DeviceFingerprint: '',
        runId: meta.id,
        firstRound: 0,
      },
    },
  ];
  let t = 0;
  for (const r of rounds) {
    const variants = r.variants.map((v) => v.variant);
    out.push({
      at: t,
      event: {
        type: 'roundStarted',
        round: r.round,
        variants,
        remaining: r.remaining,
        remainingByLayer: r.remainingByLayer,
      },
    });
    const first = r.variants[0]?.curve[0]?.iteration ?? 0;
    const span = Math.max(1, config.training.iterations - first);
    const iterations = [
      ...new Set(r.variants.flatMap((v) => v.curve.map((p) => p.iteration))),
    ].sort((a, b) => a - b);
    for (const iteration of iterations) {
      const points: number[] = [];
      r.variants.forEach((v, vi) => {
        const p = v.curve.find((q) => q.iteration === iteration);
        if (p) packCurvePoint(points, r.round, vi, p);
      });
      const progress = {
        round: r.round,
        iteration,
        iterations: config.training.iterations,
        examplesPerSecond: r.examplesPerSecond,
      };
      // A fraction first, so the round's last point lands exactly on its end.
      out.push({
        at: t + r.wallMs * Math.min(1, (iteration - first) / span),
        event: { type: 'curvePoints', variants, points: Float64Array.from(points), progress },
      });
    }
    t += r.wallMs;
    out.push({ at: t, event: { type: 'roundCompleted', summary: summarize(r) } });
    const all = trials.find((x) => x.round === r.round);
    if (all) out.push({ at: t, event: { type: 'trialsCompleted', round: leanRound(all) } });
    out.push({ at: t, event: { type: 'histograms', round: r.round, variants: histogramsOf(r) } });
  }
  out.push({ at: t, event: { type: 'state', state: 'done', detail: 'replayed' } });
  return out;
}

export interface ReplayClock {
  now(): number;
  every(ms: number, tick: () => void): () => void;
}

const realClock: ReplayClock = {
  now: () => performance.now(),
  every: (ms, tick) => {
    const id = setInterval(tick, ms);
    return () => clearInterval(id);
  },
};

/** Plays a timeline into `dispatch`, a tick every TICK_MS; the speed can change while playing. */
export class ReplayPlayer {
  static readonly TICK_MS = 250;
  private index = 0;
  /** Position on the 1× clock, advanced by elapsed time × speed at each tick. */
  private position = 0;
  private last: number;
  private stopTimer: (() => void) | null = null;
  private ended = false;
  private playing = false;

  constructor(
    private readonly timeline: readonly TimedEvent[],
    private speed: number,
    private readonly dispatch: (e: LabEvent) => void,
    private readonly onEnd: () => void,
    private readonly clock: ReplayClock = realClock,
    /** After each tick, where the replay stands on the 1× clock: the bar's time left. */
    private readonly onAdvance: (position: number) => void = () => undefined,
  ) {
    this.last = clock.now();
  }

  get done(): boolean {
    return this.index >= this.timeline.length;
  }

  /** The whole replay on the 1× clock, in ms: its last event's time. */
  get length(): number {
    return this.timeline.at(-1)?.at ?? 0;
  }

  start(): void {
    if (this.done) return;
    this.playing = true;
    this.last = this.clock.now();
    this.stopTimer ??= this.clock.every(ReplayPlayer.TICK_MS, () => this.tick());
    this.tick();
  }

  pause(): void {
    if (this.playing) this.tick(); // what was due by now still goes out
    this.playing = false;
    this.stopTimer?.();
    this.stopTimer = null;
  }

  /** From now on; while paused, the paused time does not count at either speed. */
  setSpeed(speed: number): void {
    if (this.playing) this.tick();
    this.speed = speed;
  }

  private tick(): void {
    if (!this.playing) return;
    const now = this.clock.now();
    this.position += (now - this.last) * this.speed;
    this.last = now;
    const due: LabEvent[] = [];
    while (this.index < this.timeline.length && this.timeline[this.index]!.at <= this.position)
      due.push(this.timeline[this.index++]!.event);
    // Batches due together become one event, as the page coalesces live ones.
    for (const e of mergeCurveBatches(due)) this.dispatch(e);
    this.onAdvance(Math.min(this.position, this.length));
    if (this.done && !this.ended) {
      this.ended = true;
      this.playing = false;
      this.stopTimer?.();
      this.stopTimer = null;
      this.onEnd();
    }
  }
}

/** Points in a timeline, for tests and captions. */
export const pointsIn = (timeline: readonly TimedEvent[]) =>
  timeline.reduce((n, { event: e }) => n + (e.type === 'curvePoints' ? pointCount(e) : 0), 0);
