// @vitest-environment happy-dom
/**
 * The run history on the page (run-history.ts) over a fake IndexedDB: the list, interrupted
 * runs, continuing, renaming, deleting, opening, and reading the history again by itself.
 */
import { describe, expect, it, vi } from 'vitest';
import { TINY_CONFIG } from '../formats/formats.testing';
import { roundViewOf } from '../state/history-slice';
import { runLockName } from '../worker/run-lock';
import {
  bridge,
  db,
  fileOf,
  fx,
  importTinyRun,
  ROUNDS,
  RUN,
  RUN_TEXT,
  state,
  trainedRun,
  useLabStore,
} from './effects.testing';

describe('the history list', () => {
  it('renames and deletes runs', async () => {
    const a = await importTinyRun();
    await fx.history.renameRun(a.id, '  the lecture  ');
    expect(state().runs.map((r) => [r.id, r.name])).toEqual([[a.id, 'the lecture']]);
    await fx.history.renameRun(a.id, '   ');
    expect(state().notices).toEqual(['the run could not be renamed: a run needs a name']);
    expect(state().runs[0]!.name).toBe('the lecture');
    await fx.history.deleteRun(a.id);
    expect(state().runs).toEqual([]);
    expect(await db.list()).toEqual([]);
    expect(await db.rounds(a.id)).toEqual([]);
  });

  it('refuses to delete the run in progress', async () => {
    const a = await importTinyRun();
    for (const busy of ['running', 'paused', 'loading'] as const) {
      state().workerEvent({ type: 'state', state: busy });
      useLabStore.setState({ notices: [] });
      await fx.history.deleteRun(a.id);
      expect(state().notices).toEqual(['Stop the run before deleting it.']);
      expect((await db.list()).map((r) => r.id)).toEqual([a.id]);
      expect(state().runs.map((r) => r.id)).toEqual([a.id]);
    }
    state().workerEvent({ type: 'state', state: 'stopped' });
    await fx.history.deleteRun(a.id);
    expect(await db.list()).toEqual([]);
  });

  it('lists runs left running with nobody training them as interrupted', async () => {
    const a = await db.createRun({ name: 'a', config: TINY_CONFIG, backend: 'cpu', origin: 'lab' });
    const b = await db.createRun({ name: 'b', config: TINY_CONFIG, backend: 'cpu', origin: 'lab' });
    const stopped = await db.setStatus(
      (await db.createRun({ name: 'c', config: TINY_CONFIG, backend: 'cpu', origin: 'lab' })).id,
      'stopped',
    );
    await importTinyRun();
    // A browser without Web Locks (happy-dom has none either): every 'running' run but the one on
    // screen counts.
    Object.defineProperty(navigator, 'locks', { configurable: true, value: undefined });
    await fx.history.refreshHistory();
    expect(
      state()
        .interrupted.map((r) => r.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    expect(state().runs).toHaveLength(4);
    expect(state().interrupted.map((r) => r.id)).not.toContain(stopped.id);

    // A worker (this tab's or another's) training `a` holds its lock; the page trains `b`.
    const query = vi.fn(async () => ({
      held: [{ name: runLockName(a.id), mode: 'exclusive' as const, clientId: 'w' }],
      pending: [],
    }));
    Object.defineProperty(navigator, 'locks', { configurable: true, value: { query } });
    await fx.history.refreshHistory();
    expect(query).toHaveBeenCalled();
    expect(state().interrupted.map((r) => r.id)).toEqual([b.id]);
    // Opened after a reload, `b` is still interrupted; once this tab trains it, it is not.
    useLabStore.setState({ activeRunId: b.id, state: 'stopped' });
    await fx.history.refreshHistory();
    expect(state().interrupted.map((r) => r.id)).toEqual([b.id]);
    useLabStore.setState({ state: 'running' });
    await fx.history.refreshHistory();
    expect(state().interrupted).toEqual([]);
  });

  it('continues a stored run: opens it, then asks the worker to train it on', async () => {
    const { meta } = await trainedRun(RUN.config, 1);
    expect(meta).toMatchObject({ status: 'running', continuable: true, roundsDone: 2 });
    await fx.history.refreshHistory();
    expect(state().interrupted.map((r) => r.id)).toEqual([meta.id]);
    await fx.history.continueStoredRun(meta.id);
    expect(state().interrupted).toEqual([]); // continuing withdraws the offer
    expect(state().activeRunId).toBe(meta.id);
    expect(state().rounds).toEqual(ROUNDS.slice(0, 2).map(roundViewOf));
    expect(state().state).toBe('stopped');
    expect(bridge.startRun).toHaveBeenCalledWith({ kind: 'continue', runId: meta.id });
    await fx.history.continueStoredRun('gone');
    expect(bridge.startRun).toHaveBeenCalledTimes(1);
    expect(state().notices).toEqual(['the run could not be opened: it is no longer stored']);
  });
});

describe('regressions from review', () => {
  it('while a run trains, a stored run is neither opened nor does an import take over the figures', async () => {
    const a = await importTinyRun();
    state().workerEvent({ type: 'state', state: 'running' });
    useLabStore.setState({ notices: [], activeRunId: null, rounds: [] });
    await fx.history.openRun(a.id);
    expect(state().notices).toEqual(['Stop the run in progress before opening another.']);
    expect(state().activeRunId).toBeNull();
    useLabStore.setState({ notices: [] });
    await fx.files.importFile(fileOf(RUN_TEXT, 'tiny.json'));
    expect(await db.list()).toHaveLength(2); // stored…
    expect(state().rounds).toEqual([]); // …not opened
    expect(state().notices[0]).toMatch(
      /is in the run history; open it when the run in progress is over/,
    );
  });
});

describe('the history reads itself again when the store says it may have changed', () => {
  it('after the worker ends a run (once its locks are free), a worker is lost, or a replay stops', async () => {
    const stop = fx.history.syncHistory();
    try {
      const a = await importTinyRun();
      await db.rename(a.id, 'renamed behind the page’s back');
      const shown = () => state().runs[0]?.name;
      expect(shown()).toBe('tiny run');

      // The worker says a run ended: read again, a moment later (its locks free up then).
      state().runEnded();
      expect(shown()).toBe('tiny run');
      await vi.waitFor(() => expect(shown()).toBe('renamed behind the page’s back'));

      // A worker lost for good.
      await db.rename(a.id, 'second');
      state().workerGone();
      await vi.waitFor(() => expect(shown()).toBe('second'));

      // A replay stopped, or over (it ends by itself): read again.
      await db.rename(a.id, 'third');
      await fx.replay.replayRun(a.id, 1);
      await new Promise((r) => setTimeout(r, 400));
      expect(shown()).toBe('second');
      fx.replay.stopReplay();
      await vi.waitFor(() => expect(shown()).toBe('third'));
      await db.rename(a.id, 'fourth');
      await fx.replay.replayRun(a.id, 100);
      await vi.waitFor(() => expect(state().replay).toBeNull());
      await vi.waitFor(() => expect(shown()).toBe('fourth'));

      // A read scheduled when a run ended does not outlive the subscription.
      await db.rename(a.id, 'fifth');
      state().runEnded();
    } finally {
      stop();
    }
    state().workerGone();
    await new Promise((r) => setTimeout(r, 400));
    expect(state().runs[0]!.name).toBe('fourth');
  });

  it('a run being continued after a crash is not offered to continue again before its worker holds it', async () => {
    const stop = fx.history.syncHistory();
    try {
      const { meta } = await trainedRun(RUN.config, 1);
      Object.defineProperty(navigator, 'locks', { configurable: true, value: undefined });
      state().workerEvent({ type: 'state', state: 'failed', detail: 'the worker stopped' });
      await fx.history.refreshHistory();
      expect(state().interrupted.map((r) => r.id)).toEqual([meta.id]);
      await fx.history.continueStoredRun(meta.id);
      expect(state().interrupted).toEqual([]);
      // A fresh worker takes a while to say 'loading' (its module, its life lock): the page opened
      // the run meanwhile ('stopped'), which must not read the history, still 'running' there.
      await new Promise((r) => setTimeout(r, 400));
      expect(state().interrupted).toEqual([]);
    } finally {
      stop();
    }
  });
});
