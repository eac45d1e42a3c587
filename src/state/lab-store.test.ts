import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/config';
import type { LabEvent, RoundSummary } from '../worker/protocol';
import { START_SETTINGS } from '../settings/presets';
import { createLabStore } from './lab-store';

const point = (round: number, variant: number, iteration: number, testAccuracy: number) => [
  round,
  variant,
  iteration,
  0.5,
  0.4,
  0.9,
  testAccuracy,
];

function summary(round: number): RoundSummary {
  return {
    round,
    remaining: 0.8,
    remainingByLayer: [0.8, 0.8, 0.9],
    wallMs: 10,
    examplesPerSecond: 100,
    variants: [
      {
        variant: 'ticket',
        remaining: 0.8,
        remainingByLayer: [0.8, 0.8, 0.9],
        earlyStop: { iteration: 10, validationAccuracy: 0.91, testAccuracy: 0.9 },
        finalTestAccuracy: 0.89,
      },
    ],
  };
}

describe('lab store', () => {
  it('starts from the quick-look config and edits it', () => {
    const store = createLabStore();
    expect(store.getState().config).toEqual(START_SETTINGS.config);
    const edited = {
      ...START_SETTINGS.config,
      training: { ...START_SETTINGS.config.training, iterations: 42 },
    };
    store.getState().settingsEdited({ config: edited, backend: 'auto' });
    expect(store.getState().config.training.iterations).toBe(42);
    store.getState().settingsEdited({ config: edited, backend: 'wasm' });
    expect(store.getState().backendChoice).toBe('wasm');
  });

  it('builds rounds from the event stream, appending points without touching other rounds', () => {
    const store = createLabStore();
    const send = (e: LabEvent) => store.getState().workerEvent(e);
    send({
      type: 'ready',
      info: { backend: 'wasm', adapter: 'wasm, single thread', reason: 'test' },
    });
    send({ type: 'state', state: 'running' });
    send({
      type: 'runStarted',
      config: DEFAULT_CONFIG,
      theta0Fingerprint: 'abc',
      theta0DeviceFingerprint: 'abc',
      runId: null,
      firstRound: 0,
    });
    send({
      type: 'roundStarted',
      round: 0,
      variants: ['ticket'],
      remaining: 1,
      remainingByLayer: [1, 1, 1],
    });
    send({
      type: 'curvePoints',
      variants: ['ticket'],
      points: Float64Array.from([...point(0, 0, 0, 0.1), ...point(0, 0, 10, 0.8)]),
      progress: { round: 0, iteration: 10, iterations: 20, examplesPerSecond: 600 },
    });
    send({ type: 'roundCompleted', summary: summary(0) });
    const round0 = store.getState().rounds[0];
    send({
      type: 'roundStarted',
      round: 1,
      variants: ['ticket', 'reinit'],
      remaining: 0.8,
      remainingByLayer: [0.8, 0.8, 0.9],
    });
    send({
      type: 'curvePoints',
      variants: ['ticket', 'reinit'],
      points: Float64Array.from([...point(1, 0, 0, 0.2), ...point(1, 1, 0, 0.1)]),
      progress: null,
    });

    const s = store.getState();
    expect(s.backend?.backend).toBe('wasm');
    expect(s.theta0).toEqual({ host: 'abc', device: 'abc' });
    expect(s.progress?.iteration).toBe(10); // a batch without progress keeps the last one
    expect(s.rounds.map((r) => r.round)).toEqual([0, 1]);
    expect(s.rounds[0]).toBe(round0); // untouched by round 1's points: charts of round 0 need not re-render
    expect(s.rounds[0]!.curves.ticket!.map((p) => p.testAccuracy)).toEqual([0.1, 0.8]);
    expect(s.rounds[0]!.summary?.variants[0]!.earlyStop.iteration).toBe(10);
    expect(s.rounds[1]!.curves.reinit).toHaveLength(1);
  });

  it('a new run clears the previous results; errors are kept (at most five) until dismissed', () => {
    const store = createLabStore();
    const send = (e: LabEvent) => store.getState().workerEvent(e);
    send({
      type: 'roundStarted',
      round: 0,
      variants: ['ticket'],
      remaining: 1,
      remainingByLayer: [1],
    });
    send({
      type: 'runStarted',
      config: DEFAULT_CONFIG,
      theta0Fingerprint: 'x',
      theta0DeviceFingerprint: 'x',
      runId: null,
      firstRound: 0,
    });
    expect(store.getState().rounds).toEqual([]);
    for (let i = 0; i < 7; i++) send({ type: 'error', message: `e${i}` });
    expect(store.getState().errors).toEqual(['e2', 'e3', 'e4', 'e5', 'e6']);
    store.getState().errorDismissed(0);
    expect(store.getState().errors[0]).toBe('e3');
  });

  it('a fallback mid-round says so, takes the new backend, and the restarted round replaces the failed attempt', () => {
    const store = createLabStore();
    const send = (e: LabEvent) => store.getState().workerEvent(e);
    send({ type: 'ready', info: { backend: 'webgpu', adapter: 'gpu', reason: 'test' } });
    send({
      type: 'runStarted',
      config: DEFAULT_CONFIG,
      theta0Fingerprint: 'x',
      theta0DeviceFingerprint: 'x',
      runId: null,
      firstRound: 0,
    });
    send({
      type: 'roundStarted',
      round: 0,
      variants: ['ticket'],
      remaining: 1,
      remainingByLayer: [1, 1, 1],
    });
    send({
      type: 'curvePoints',
      variants: ['ticket'],
      points: Float64Array.from(point(0, 0, 0, 0.1)),
      progress: null,
    });
    send({ type: 'roundCompleted', summary: summary(0) });
    const round0 = store.getState().rounds[0];
    send({
      type: 'roundStarted',
      round: 1,
      variants: ['ticket', 'reinit'],
      remaining: 0.8,
      remainingByLayer: [0.8, 0.8, 0.9],
    });
    send({
      type: 'curvePoints',
      variants: ['ticket', 'reinit'],
      points: Float64Array.from([
        ...point(1, 0, 0, 0.2),
        ...point(1, 0, 10, 0.5),
        ...point(1, 1, 0, 0.1),
      ]),
      progress: { round: 1, iteration: 10, iterations: 20, examplesPerSecond: 50 },
    });

    const info = { backend: 'wasm' as const, adapter: 'wasm, 2 threads', reason: 'fallback' };
    send({
      type: 'fellBack',
      from: 'webgpu',
      info,
      reason: 'the WebGPU device was lost',
      round: 1,
      message: 'The webgpu backend failed: round 1 trains again',
    });
    expect(store.getState().backend).toEqual(info);
    expect(store.getState().progress).toBeNull();
    expect(store.getState().notices).toEqual(['The webgpu backend failed: round 1 trains again']);

    send({
      type: 'roundStarted',
      round: 1,
      variants: ['ticket', 'reinit'],
      remaining: 0.8,
      remainingByLayer: [0.8, 0.8, 0.9],
    });
    send({
      type: 'curvePoints',
      variants: ['ticket', 'reinit'],
      points: Float64Array.from(point(1, 0, 0, 0.2)),
      progress: null,
    });
    const s = store.getState();
    expect(s.rounds.map((r) => r.round)).toEqual([0, 1]);
    expect(s.rounds[0]).toBe(round0); // completed rounds stay as they were
    expect(s.rounds[1]!.curves.ticket!.map((p) => p.iteration)).toEqual([0]); // the failed attempt's points are gone
    expect(s.rounds[1]!.curves.reinit).toBeUndefined();
  });
});
