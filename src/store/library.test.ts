// @vitest-environment happy-dom
/**
 * The library (library.ts) over a fake IndexedDB: importing run files and tickets, the history
 * list, exports, the first visit and replays. Bad files are in library.bad-files.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ExperimentConfig } from '../engine/config';
import type { RoundResult } from '../engine/experiment';
import { initialParams } from '../engine/init';
import { curvesCsv } from '../formats/csv';
import { TINY_CONFIG, tinyMasks, tinyTicket } from '../formats/formats.testing';
import { decodeRunFile } from '../formats/run-file';
import { decodeTicket } from '../formats/ticket';
import type { RunMeta } from '../history/run-db';
import { runLockName } from '../worker/run-lock';
import { roundViewOf } from './history-slice';
import {
  bridge,
  db,
  fileOf,
  importTinyRun,
  lib,
  reloadLibrary,
  RUN,
  RUN_TEXT,
  state,
  TICKET_BYTES,
  useLabStore,
} from './library.testing';

/** Downloads the library starts: each blob with the file name its link offered. */
function captureDownloads() {
  const blobs: { blob: Blob; name: string }[] = [];
  const urls = new Map<string, Blob>();
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
    const url = `blob:test/${urls.size}`;
    urls.set(url, b as Blob);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    blobs.push({ blob: urls.get(this.href)!, name: this.download });
  });
  return blobs;
}

/** A run trained here: θ0 kept, every round with its ticket's masks, continuable until its last round. */
async function trainedRun(
  config: ExperimentConfig,
  lastRound: number,
  last = config.pruning.rounds,
): Promise<{ meta: RunMeta; theta0: ReturnType<typeof initialParams> }> {
  const theta0 = initialParams(config.model.layers, config.training.seed);
  const run = await db.createRun({
    name: 'trained here',
    config,
    backend: 'cpu',
    origin: 'lab',
    theta0,
  });
  let meta = run;
  for (const result of RUN.rounds.slice(0, lastRound + 1)) {
    const resume =
      result.round < last
        ? {
            nextRound: result.round + 1,
            masks: tinyMasks(config, result.round + 1).map((m) => m.bits),
            rewindTo: null,
            denseTrained: null,
          }
        : null;
    meta = await db.saveRound(
      run.id,
      result,
      tinyMasks(config, result.round).map((m) => m.bits),
      resume,
    );
  }
  return { meta, theta0 };
}

describe('importing a run file', () => {
  it('stores it as imported and opens it', async () => {
    await lib.importFile(fileOf(RUN_TEXT, 'tiny.json'));
    const stored = await db.list();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      name: 'tiny run',
      origin: 'imported',
      status: 'done',
      roundsDone: 3,
      backend: RUN.backend,
      createdAt: Date.parse(RUN.createdAt),
      continuable: false,
    });
    expect(await db.rounds(stored[0]!.id)).toEqual(RUN.rounds);
    const s = state();
    expect(s.runs).toEqual(stored);
    expect(s.activeRunId).toBe(stored[0]!.id);
    expect(s.runConfig).toEqual(RUN.config);
    expect(s.rounds).toEqual(RUN.rounds.map(roundViewOf));
    expect(s).toMatchObject({ state: 'done', notices: [], interrupted: [] });
  });
});

describe('importing a ticket', () => {
  it('checks it and holds it for training, writing nothing', async () => {
    await lib.importFile(fileOf(TICKET_BYTES, 'round2.ticket'));
    expect(state().ticket).toEqual({ fileName: 'round2.ticket', ticket: tinyTicket() });
    expect(state().notices).toEqual([]);
    expect(await db.list()).toEqual([]);
    expect(state().runs).toEqual([]);
  });

  it('trains it here with the chosen controls, in their usual order', async () => {
    await lib.importFile(fileOf(TICKET_BYTES, 'round2.ticket'));
    lib.trainTicket(['random', 'reinit']);
    expect(bridge.trainImportedTicket).toHaveBeenCalledTimes(1);
    const [ticket, controls, name] = bridge.trainImportedTicket.mock.calls[0]!;
    expect(ticket).toEqual(tinyTicket());
    expect(controls).toEqual(['reinit', 'random']);
    expect(name).toContain('round2.ticket');
    expect(state().ticket).toBeNull();
    expect(state().ticketOrigin).toEqual({ runId: null, ticket: tinyTicket() });
  });

  it('without a ticket, trains nothing', () => {
    lib.trainTicket(['reinit']);
    expect(bridge.trainImportedTicket).not.toHaveBeenCalled();
  });
});

describe('the history list', () => {
  it('renames and deletes runs', async () => {
    const a = await importTinyRun();
    await lib.renameRun(a.id, '  the lecture  ');
    expect(state().runs.map((r) => [r.id, r.name])).toEqual([[a.id, 'the lecture']]);
    await lib.renameRun(a.id, '   ');
    expect(state().notices).toEqual(['the run could not be renamed: a run needs a name']);
    expect(state().runs[0]!.name).toBe('the lecture');
    await lib.deleteRun(a.id);
    expect(state().runs).toEqual([]);
    expect(await db.list()).toEqual([]);
    expect(await db.rounds(a.id)).toEqual([]);
  });

  it('refuses to delete the run in progress', async () => {
    const a = await importTinyRun();
    for (const busy of ['running', 'paused', 'loading'] as const) {
      state().workerEvent({ type: 'state', state: busy });
      useLabStore.setState({ notices: [] });
      await lib.deleteRun(a.id);
      expect(state().notices).toEqual(['Stop the run before deleting it.']);
      expect((await db.list()).map((r) => r.id)).toEqual([a.id]);
      expect(state().runs.map((r) => r.id)).toEqual([a.id]);
    }
    state().workerEvent({ type: 'state', state: 'stopped' });
    await lib.deleteRun(a.id);
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
    // A browser without Web Locks (happy-dom has none either): every 'running' run but the one on screen counts.
    Object.defineProperty(navigator, 'locks', { configurable: true, value: undefined });
    await lib.refreshHistory();
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
    await lib.refreshHistory();
    expect(query).toHaveBeenCalled();
    expect(state().interrupted.map((r) => r.id)).toEqual([b.id]);
    // Opened after a reload, `b` is still interrupted; once this tab trains it, it is not.
    useLabStore.setState({ activeRunId: b.id, state: 'stopped' });
    await lib.refreshHistory();
    expect(state().interrupted.map((r) => r.id)).toEqual([b.id]);
    useLabStore.setState({ state: 'running' });
    await lib.refreshHistory();
    expect(state().interrupted).toEqual([]);
  });

  it('resumes a stored run: opens it, then asks the worker to train on', async () => {
    const { meta } = await trainedRun(RUN.config, 1);
    expect(meta).toMatchObject({ status: 'running', continuable: true, roundsDone: 2 });
    await lib.refreshHistory();
    expect(state().interrupted.map((r) => r.id)).toEqual([meta.id]);
    await lib.resumeRun(meta.id);
    expect(state().interrupted).toEqual([]); // resuming withdraws the offer
    expect(state().activeRunId).toBe(meta.id);
    expect(state().rounds).toEqual(RUN.rounds.slice(0, 2).map(roundViewOf));
    expect(state().state).toBe('stopped');
    expect(bridge.continueStoredRun).toHaveBeenCalledWith(meta.id);
    await lib.resumeRun('gone');
    expect(bridge.continueStoredRun).toHaveBeenCalledTimes(1);
    expect(state().notices).toEqual(['the run could not be opened: it is no longer stored']);
  });
});

describe('exports', () => {
  it('a run file that reads back to the stored rounds', async () => {
    const downloads = captureDownloads();
    const a = await importTinyRun();
    await lib.exportRun(a.id, 'json');
    expect(downloads).toHaveLength(1);
    const { blob, name } = downloads[0]!;
    expect(name).toBe('tiny-run.json');
    expect(blob.type).toBe('application/json');
    const back = decodeRunFile(await blob.text());
    expect(back.rounds).toEqual(await db.rounds(a.id));
    expect(back).toMatchObject({
      name: 'tiny run',
      config: RUN.config,
      backend: RUN.backend,
      createdAt: RUN.createdAt,
    });
    await lib.exportRun(a.id, 'curves');
    expect(downloads[1]!.name).toBe('tiny-run-curves.csv');
    expect(await downloads[1]!.blob.text()).toBe(curvesCsv(RUN.rounds));
    expect(state().notices).toEqual([]);
  });

  it('the ticket of a round trained here: its stored masks over θ0', async () => {
    const downloads = captureDownloads();
    const { meta, theta0 } = await trainedRun(RUN.config, 2);
    await lib.exportTicket(meta.id, 1);
    expect(state().notices).toEqual([]);
    expect(downloads.map((d) => d.name)).toEqual(['trained-here-round-01.ticket']);
    const ticket = decodeTicket(new Uint8Array(await downloads[0]!.blob.arrayBuffer()));
    const masks = (await db.roundMasks(meta.id, 1))!;
    expect(masks.map((m) => Array.from(m))).toEqual(
      tinyMasks(RUN.config, 1).map((m) => Array.from(m.bits)),
    );
    expect(ticket).toMatchObject({
      round: 1,
      config: RUN.config,
      weights: { kind: 'init' },
      remaining: RUN.rounds[1]!.remaining,
    });
    ticket.layers.forEach((l, i) => {
      expect(l.mask).toEqual(masks[i]);
      expect(l.weights).toEqual(theta0.weights[i]!.map((w, j) => (masks[i]![j] ? w : 0)));
      expect(l.biases).toEqual(theta0.biases[i]);
    });
    expect(ticket.result?.earlyStop.testAccuracy).toBe(
      RUN.rounds[1]!.variants[0]!.earlyStop.testAccuracy,
    );
  });

  it('no ticket from a run that kept no masks', async () => {
    const downloads = captureDownloads();
    const a = await importTinyRun();
    await lib.exportTicket(a.id, 1);
    expect(downloads).toEqual([]);
    expect(state().notices).toHaveLength(1);
    expect(state().notices[0]).toMatch(
      /^the ticket could not be exported: round 1 of this run kept no masks/,
    );
  });
});

describe('first visit', () => {
  it('offers the recorded lecture, until dismissed', async () => {
    await lib.initLibrary();
    expect(state().recordedOffered).toBe(true);
    lib.dismissRecordedOffer();
    expect(state().recordedOffered).toBe(false);
    await reloadLibrary();
    await lib.initLibrary();
    expect(state().recordedOffered).toBe(false);
  });

  it('does not offer it once stored', async () => {
    await db.importRun(
      { name: 'lecture', config: RUN.config, backend: RUN.backend, rounds: RUN.rounds },
      'recorded',
    );
    await lib.initLibrary();
    expect(state().runs).toHaveLength(1);
    expect(state().recordedOffered).toBe(false);
  });
});

describe('replaying a stored run', () => {
  it('ends where opening it does', async () => {
    const a = await importTinyRun();
    const opened: RoundResult[] = await db.rounds(a.id);
    useLabStore.setState({ rounds: [] });
    await lib.replayRun(a.id, 100);
    expect(state().replay).toEqual({ runId: a.id, name: 'tiny run', speed: 100, playing: true });
    await vi.waitFor(() => expect(state().replay?.playing).toBe(false), {
      timeout: 5_000,
      interval: 20,
    });
    expect(state().rounds).toEqual(opened.map(roundViewOf));
    expect(state()).toMatchObject({ state: 'done', activeRunId: a.id, theta0: null });
  });

  it('not while a run trains', async () => {
    const a = await importTinyRun();
    state().workerEvent({ type: 'state', state: 'running' });
    await lib.replayRun(a.id, 10);
    expect(state().replay).toBeNull();
    expect(state().notices).toEqual(['Stop the run in progress before replaying another.']);
  });
});

describe('regressions from review', () => {
  it('while a run trains, a stored run is neither opened nor does an import take over the figures', async () => {
    const a = await importTinyRun();
    state().workerEvent({ type: 'state', state: 'running' });
    useLabStore.setState({ notices: [], activeRunId: null, rounds: [] });
    await lib.openRun(a.id);
    expect(state().notices).toEqual(['Stop the run in progress before opening another.']);
    expect(state().activeRunId).toBeNull();
    useLabStore.setState({ notices: [] });
    await lib.importFile(fileOf(RUN_TEXT, 'tiny.json'));
    expect(await db.list()).toHaveLength(2); // stored…
    expect(state().rounds).toEqual([]); // …not opened
    expect(state().notices[0]).toMatch(
      /is in the run history; open it when the run in progress is over/,
    );
  });
});
