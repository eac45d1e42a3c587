// @vitest-environment happy-dom
/**
 * Files in and out of the run history (run-files.ts) over a fake IndexedDB: run files and tickets
 * imported, exports, an imported ticket trained here. Bad files: run-files.bad-input.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { curvesCsv } from '../formats/csv';
import { tinyMasks, tinyTicket } from '../formats/formats.testing';
import { decodeRunFile, encodeRunFile, oneTrialOf } from '../formats/run-file';
import { tinyTrialsRunFile } from '../formats/formats.testing';
import { decodeTicket } from '../formats/ticket';
import { roundViewOf } from '../state/history-slice';
import { leanRound } from '../worker/events';
import {
  bridge,
  captureDownloads,
  db,
  fileOf,
  fx,
  importTinyRun,
  ROUNDS,
  RUN,
  RUN_TEXT,
  state,
  TICKET_BYTES,
  trainedRun,
} from './effects.testing';

describe('importing a run file', () => {
  it('stores it as imported and opens it', async () => {
    await fx.files.importFile(fileOf(RUN_TEXT, 'tiny.json'));
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
    expect(await db.rounds(stored[0]!.id)).toEqual(ROUNDS);
    const s = state();
    expect(s.runs).toEqual(stored);
    expect(s.activeRunId).toBe(stored[0]!.id);
    expect(s.runConfig).toEqual(RUN.config);
    expect(s.rounds).toEqual(ROUNDS.map(roundViewOf));
    expect(s).toMatchObject({ state: 'done', notices: [], interrupted: [] });
  });

  it('of several trials, keeps every trial and opens the run over them', async () => {
    const three = tinyTrialsRunFile(3);
    await fx.files.importFile(fileOf(encodeRunFile(three), 'three.json'));
    const [stored] = await db.list();
    expect(stored!.config).toEqual(three.config);
    expect(await db.runRounds(stored!.id, three.config)).toEqual(three.rounds);
    expect(state().trialRounds).toEqual(three.rounds.map(leanRound));
    expect(state().notices).toEqual([]);
    // Out again, the same trials: the file round-trips through the history.
    const back = await fx.files.runFileOf(stored!.id);
    expect(back.rounds).toEqual(three.rounds);
  });

  it('refuses a shard of a sweep, saying how to join the shards, and stores nothing', async () => {
    const shard = tinyTrialsRunFile(3, { index: 1, count: 2 });
    await fx.files.importFile(fileOf(encodeRunFile(shard), 'shard-1.json'));
    expect(await db.list()).toEqual([]);
    expect(state().notices).toEqual([
      '“tiny trials” is shard 1/2 of a sweep: it holds trial 1 of 3. Join the shards into one run file first (npm run experiment -- merge A.json B.json … --out all.json) and import that.',
    ]);
  });
});

describe('importing a ticket', () => {
  it('checks it and holds it for training, writing nothing', async () => {
    await fx.files.importFile(fileOf(TICKET_BYTES, 'round2.ticket'));
    expect(state().ticket).toEqual({ fileName: 'round2.ticket', ticket: tinyTicket() });
    expect(state().notices).toEqual([]);
    expect(await db.list()).toEqual([]);
    expect(state().runs).toEqual([]);
  });

  it('trains it here with the chosen controls, in their usual order', async () => {
    await fx.files.importFile(fileOf(TICKET_BYTES, 'round2.ticket'));
    fx.files.trainImportedTicket(['random', 'reinit']);
    expect(bridge.startRun).toHaveBeenCalledTimes(1);
    const [run] = bridge.startRun.mock.calls[0]!;
    expect(run).toMatchObject({
      kind: 'importedTicket',
      ticket: tinyTicket(),
      controls: ['reinit', 'random'],
      task: 'mnist',
    });
    expect(run.name).toContain('round2.ticket');
    expect(run.name).not.toContain('found on');
    expect(state().ticket).toBeNull();
    expect(state().ticketOrigin).toEqual({ runId: null, ticket: tinyTicket() });
  });

  it('trains it on another task when asked, and the run’s name says where it was found', async () => {
    await fx.files.importFile(fileOf(TICKET_BYTES, 'round2.ticket'));
    fx.files.trainImportedTicket(['reinit'], 'permuted');
    const [run] = bridge.startRun.mock.calls[0]!;
    expect(run).toMatchObject({ kind: 'importedTicket', task: 'permuted', controls: ['reinit'] });
    expect(run.name).toMatch(/trained here on permuted digits \(found on MNIST digits\)$/);
  });

  it('without a ticket, trains nothing', () => {
    fx.files.trainImportedTicket(['reinit']);
    expect(bridge.startRun).not.toHaveBeenCalled();
  });
});

describe('exports', () => {
  it('a run file that reads back to the stored rounds', async () => {
    const downloads = captureDownloads();
    const a = await importTinyRun();
    await fx.files.exportRun(a.id, 'json');
    expect(downloads).toHaveLength(1);
    const { blob, name } = downloads[0]!;
    expect(name).toBe('tiny-run.json');
    expect(blob.type).toBe('application/json');
    const back = decodeRunFile(await blob.text());
    expect(oneTrialOf(back, 0).rounds).toEqual(await db.rounds(a.id));
    expect(back.rounds.map((r) => r.trials.map((t) => t.trial))).toEqual([[0], [0], [0]]);
    expect(back).toMatchObject({
      name: 'tiny run',
      config: RUN.config,
      backend: RUN.backend,
      createdAt: RUN.createdAt,
    });
    await fx.files.exportRun(a.id, 'curves');
    expect(downloads[1]!.name).toBe('tiny-run-curves.csv');
    expect(await downloads[1]!.blob.text()).toBe(curvesCsv(ROUNDS));
    expect(state().notices).toEqual([]);
  });

  it('the ticket of a round trained here: its stored masks over θ0', async () => {
    const downloads = captureDownloads();
    const { meta, theta0 } = await trainedRun(RUN.config, 2);
    await fx.files.exportTicket(meta.id, 1);
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
      remaining: ROUNDS[1]!.remaining,
    });
    ticket.layers.forEach((l, i) => {
      expect(l.mask).toEqual(masks[i]);
      expect(l.weights).toEqual(theta0.weights[i]!.map((w, j) => (masks[i]![j] ? w : 0)));
      expect(l.biases).toEqual(theta0.biases[i]);
    });
    expect(ticket.result?.earlyStop.testAccuracy).toBe(
      ROUNDS[1]!.variants[0]!.earlyStop.testAccuracy,
    );
  });

  it('no ticket from a run that kept no masks', async () => {
    const downloads = captureDownloads();
    const a = await importTinyRun();
    await fx.files.exportTicket(a.id, 1);
    expect(downloads).toEqual([]);
    expect(state().notices).toHaveLength(1);
    expect(state().notices[0]).toMatch(
      /^the ticket could not be exported: round 1 of this run kept no masks/,
    );
  });
});
