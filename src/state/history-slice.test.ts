import { describe, expect, it } from 'vitest';
import type { RoundResult } from '../engine/experiment';
import { tinyRounds, tinyRunFile, tinyTicket } from '../formats/formats.testing';
import { roundsOfOneTrial } from '../formats/run-rounds';
import type { RunMeta } from '../history/run-meta';
import { tinyMeta } from '../history/run-meta.testing';
import type { LabEvent } from '../worker/protocol';
import { roundViewOf } from './history-slice';
import { createLabStore } from './lab-store';
import type { ReplayView } from './types';

const RUN = tinyRunFile();
const ROUNDS = tinyRounds();

const meta = tinyMeta;

const runStarted = (runId: string | null, firstRound: number, fingerprint = 'f00d'): LabEvent => ({
  type: 'runStarted',
  config: RUN.config,
  theta0Fingerprint: fingerprint,
  theta0DeviceFingerprint: fingerprint,
  runId,
  firstRound,
});

/** A one-trial run as the history reads it. */
const stored = (m: RunMeta, rounds: readonly RoundResult[]) => ({
  meta: m,
  rounds,
  trials: roundsOfOneTrial(m.config, rounds),
});

/** A store showing run A (three rounds), as after opening it. */
function openedA(patch: Partial<RunMeta> = {}) {
  const store = createLabStore();
  store.getState().runOpened(stored(meta('A', patch), ROUNDS));
  return store;
}

describe('roundViewOf: a stored round as the figures see a live one', () => {
  const r: RoundResult = ROUNDS[1]!;
  const view = roundViewOf(r);

  it('keeps the round, its variants and P_m, and each variant’s curve under its name', () => {
    expect(view).toMatchObject({
      round: 1,
      variants: ['ticket', 'reinit', 'random'],
      remaining: r.remaining,
      remainingByLayer: r.remainingByLayer,
    });
    expect(Object.keys(view.curves)).toEqual(['ticket', 'reinit', 'random']);
    for (const v of r.variants) expect(view.curves[v.variant]).toEqual(v.curve);
  });

  it('summarizes without the bulk', () => {
    expect(view.summary).toEqual({
      ...r,
      variants: r.variants.map(
        ({ curve: _c, histograms: _h, pixelSurvivors: _p, ...rest }) => rest,
      ),
    });
    for (const v of view.summary!.variants)
      for (const bulk of ['curve', 'histograms', 'pixelSurvivors'])
        expect(v).not.toHaveProperty(bulk);
  });

  it('gives histograms and pixel counts as typed arrays with the stored values', () => {
    expect(view.histograms).toHaveLength(r.variants.length);
    view.histograms!.forEach((h, i) => {
      const v = r.variants[i]!;
      expect(h.variant).toBe(v.variant);
      expect(h.pixelSurvivors).toBeInstanceOf(Uint16Array);
      expect(Array.from(h.pixelSurvivors)).toEqual(v.pixelSurvivors);
      expect(h.layers).toHaveLength(v.histograms.length);
      h.layers.forEach((l, j) => {
        const stored = v.histograms[j]!;
        expect(l.layer).toBe(stored.layer);
        expect(l.edges).toBeInstanceOf(Float64Array);
        expect(l.all).toBeInstanceOf(Uint32Array);
        expect(l.surviving).toBeInstanceOf(Uint32Array);
        expect([Array.from(l.edges), Array.from(l.all), Array.from(l.surviving)]).toEqual([
          stored.all.edges,
          stored.all.counts,
          stored.surviving.counts,
        ]);
      });
    });
  });
});

const replayOf = (runId: string, playing: boolean): ReplayView => ({
  runId,
  name: runId.toLowerCase(),
  speed: 100,
  playing,
  config: RUN.config,
  trainedOn: 'wasm',
  atMs: 0,
  totalMs: 1000,
});

describe('runOpened', () => {
  it('shows a finished run: its config, its rounds, state done', () => {
    const store = createLabStore();
    store.getState().workerEvent(runStarted(null, 0));
    store.getState().roundScrubbed(1);
    store.getState().replayChanged(replayOf('B', true));
    store.getState().ticketTraining({ runId: '', ticket: tinyTicket() });
    store.getState().runOpened(stored(meta('A', { name: 'lecture' }), ROUNDS));
    const s = store.getState();
    expect(s.activeRunId).toBe('A');
    expect(s.runConfig).toEqual(RUN.config);
    expect(s.rounds).toEqual(ROUNDS.map(roundViewOf));
    expect(s).toMatchObject({
      state: 'done',
      stateDetail: 'opened "lecture"',
      progress: null,
      scrubRound: null,
      theta0: null,
      replay: null,
      ticketOrigin: null,
    });
  });

  it('shows a stopped or interrupted run as stopped, after its last round', () => {
    for (const status of ['stopped', 'running'] as const) {
      const store = openedA({ name: 'half', status, roundsDone: 2 });
      expect(store.getState()).toMatchObject({
        state: 'stopped',
        stateDetail: '"half" stopped after round 1',
      });
    }
    // An imported ticket trains only its own round.
    const ticketRun = createLabStore();
    ticketRun.getState().runOpened(
      stored(
        meta('T', {
          name: 'ticket',
          status: 'stopped',
          origin: 'ticket',
          firstRound: 2,
          roundsDone: 1,
        }),
        ROUNDS.slice(2),
      ),
    );
    expect(ticketRun.getState()).toMatchObject({
      state: 'stopped',
      stateDetail: '"ticket" stopped after round 2',
    });
    expect(ticketRun.getState().rounds.map((r) => r.round)).toEqual([2]);
  });
});

describe('runStarted and the rounds on screen', () => {
  it('a continued run keeps the rounds before its first round and drops the later ones', () => {
    const store = openedA({ status: 'stopped' });
    const [r0, r1] = store.getState().rounds;
    store.getState().workerEvent(runStarted('A', 2));
    const s = store.getState();
    expect(s.rounds.map((r) => r.round)).toEqual([0, 1]);
    // The same objects: charts of the kept rounds need not re-render.
    expect(s.rounds[0]).toBe(r0);
    expect(s.rounds[1]).toBe(r1);
    expect(s.activeRunId).toBe('A');
    store.getState().workerEvent({
      type: 'roundStarted',
      round: 2,
      variants: ['ticket', 'reinit', 'random'],
      remaining: 0.5,
      remainingByLayer: [0.5, 0.5, 0.75],
    });
    expect(store.getState().rounds.map((r) => r.round)).toEqual([0, 1, 2]);
  });

  it('another run, or the same one from round 0, starts empty', () => {
    for (const [runId, firstRound] of [
      ['B', 2],
      ['A', 0],
      [null, 0],
    ] as const) {
      const store = openedA();
      store.getState().workerEvent(runStarted(runId, firstRound));
      expect(store.getState().rounds).toEqual([]);
      expect(store.getState().activeRunId).toBe(runId);
    }
  });

  it('a replay of an interrupted run leaves it offered to continue (continueStoredRun is what withdraws the offer)', () => {
    const store = createLabStore();
    const a = meta('A', { status: 'running' });
    const b = meta('B', { status: 'running' });
    store.getState().historyListed([a, b], [a, b]);
    store.getState().workerEvent(runStarted('A', 0, ''));
    expect(store.getState().interrupted).toEqual([a, b]);
    expect(store.getState().runs).toEqual([a, b]);
  });

  it('a live run has its θ0 fingerprints; a replay (no fingerprint) has none', () => {
    const store = createLabStore();
    store.getState().workerEvent(runStarted('A', 0, 'abc'));
    expect(store.getState().theta0).toEqual({ host: 'abc', device: 'abc' });
    store.getState().workerEvent(runStarted('A', 0, ''));
    expect(store.getState().theta0).toBeNull();
  });
});

describe('runSaved', () => {
  it('puts the saved run first, replacing its older entry', () => {
    const store = createLabStore();
    const [a, b, c] = [meta('A'), meta('B'), meta('C')];
    store.getState().historyListed([a, b, c], []);
    const b2 = meta('B', { roundsDone: 4, updatedAt: 9 });
    store.getState().workerEvent({ type: 'runSaved', run: b2 });
    expect(store.getState().runs).toEqual([b2, a, c]);
    const d = meta('D');
    store.getState().workerEvent({ type: 'runSaved', run: d });
    expect(store.getState().runs).toEqual([d, b2, a, c]);
  });
});

describe('the other history actions', () => {
  it('set what they are named after', () => {
    const store = createLabStore();
    const s = () => store.getState();
    const ticket = { fileName: 't.ticket', ticket: tinyTicket() };
    s().ticketLoaded(ticket);
    expect(s().ticket).toBe(ticket);
    s().ticketTraining({ runId: '', ticket: ticket.ticket });
    expect(s().ticket).toBeNull();
    expect(s().ticketOrigin).toEqual({ runId: '', ticket: ticket.ticket });
    const overlay = [stored(meta('A'), ROUNDS)];
    s().overlayShown(overlay);
    expect(s().overlay).toBe(overlay);
    s().recordedOfferSet(true);
    expect(s().recordedOffered).toBe(true);
    s().workerEvent({
      type: 'curvePoints',
      variants: ['ticket'],
      points: new Float64Array(),
      progress: { round: 0, iteration: 5, iterations: 10, examplesPerSecond: 9_000 },
    });
    s().replayChanged(replayOf('A', false));
    expect(s().replay).toEqual(replayOf('A', false));
    expect(s().progress).not.toBeNull();
    // Over: the progress (the recorded run's rate) goes with it, the rounds stay.
    s().replayChanged(null);
    expect(s()).toMatchObject({ replay: null, progress: null });
  });
});

describe('regressions from review', () => {
  it('a run with no stored history (runId null) that starts past round 0 clears the rounds on screen', () => {
    const store = createLabStore();
    store.getState().workerEvent(runStarted(null, 0));
    store.getState().workerEvent({
      type: 'roundStarted',
      round: 0,
      variants: ['ticket'],
      remaining: 1,
      remainingByLayer: [1, 1, 1],
    });
    store.getState().workerEvent(runStarted(null, 2)); // an imported ticket, trained unsaved
    expect(store.getState().rounds).toEqual([]);
  });
});

describe('the imported ticket comparison', () => {
  it('belongs to the ticket run: the run after it clears it', () => {
    const store = createLabStore();
    const { ticket } = { ticket: tinyTicket() };
    store.getState().ticketTraining({ runId: null, ticket });
    store.getState().workerEvent(runStarted('T', 2));
    expect(store.getState().ticketOrigin).toEqual({ runId: 'T', ticket });
    store.getState().workerEvent(runStarted('T', 2)); // the same run, continued
    expect(store.getState().ticketOrigin?.runId).toBe('T');
    store.getState().workerEvent(runStarted('N', 0));
    expect(store.getState().ticketOrigin).toBeNull();
  });
});
