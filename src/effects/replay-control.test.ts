// @vitest-environment happy-dom
/**
 * Replaying a stored run on the page (replay-control.ts): it ends where opening the run does,
 * and never while a run trains.
 */
import { describe, expect, it, vi } from 'vitest';
import type { RoundResult } from '../engine/experiment';
import { roundViewOf } from '../state/history-slice';
import { db, fx, importTinyRun, state, useLabStore } from './effects.testing';

describe('replaying a stored run', () => {
  it('ends where opening it does', async () => {
    const a = await importTinyRun();
    const opened: RoundResult[] = await db.rounds(a.id);
    useLabStore.setState({ rounds: [] });
    await fx.replay.replayRun(a.id, 100);
    expect(state().replay).toMatchObject({
      runId: a.id,
      name: 'tiny run',
      speed: 100,
      playing: true,
      config: a.config,
    });
    const { totalMs } = state().replay!;
    expect(totalMs).toBe(opened.reduce((t, r) => t + r.wallMs, 0));
    // It ends by itself (issue 15): its controls go, the Run button is back.
    const seen: number[] = [];
    const unsubscribe = useLabStore.subscribe((s) => s.replay && seen.push(s.replay.atMs));
    await vi.waitFor(() => expect(state().replay).toBeNull(), { timeout: 5_000, interval: 20 });
    unsubscribe();
    // On the way it said where it stood, on the recorded run's clock.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(seen.at(-1)).toBe(totalMs);
    expect(state().rounds).toEqual(opened.map(roundViewOf));
    expect(state()).toMatchObject({ state: 'done', activeRunId: a.id, theta0: null });
  });

  it('not while a run trains', async () => {
    const a = await importTinyRun();
    state().workerEvent({ type: 'state', state: 'running' });
    await fx.replay.replayRun(a.id, 10);
    expect(state().replay).toBeNull();
    expect(state().notices).toEqual(['Stop the run in progress before replaying another.']);
  });
});
