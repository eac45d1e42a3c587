/**
 * Shared setup for the tests of the effects that read and write the run history (run-history,
 * run-files, replay-control, recorded-run): the worker bridge mocked, fresh modules, store and
 * fake IndexedDB before each test, and the tiny fixtures. Importing this module registers its
 * beforeEach/afterEach hooks in the importing test file.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, vi } from 'vitest';
import type { ExperimentConfig } from '../engine/config';
import { initialParams } from '../engine/init';
import { tinyMasks, tinyRounds, tinyRunFile, tinyTicket } from '../formats/formats.testing';
import { encodeRunFile } from '../formats/run-file';
import { encodeTicket } from '../formats/ticket';
import { RunDb } from '../history/run-db';
import { type RunMeta } from '../history/run-meta';

// worker-bridge.ts starts a Worker; the effects only hand it commands. (Not vi.hoisted: a hoisted
// variable cannot be exported. The factory runs at the first import of it, in beforeEach.)
export const bridge = {
  startRun: vi.fn(),
  calibrate: vi.fn(),
  classifyDigit: vi.fn(),
  openWeights: vi.fn(),
};
vi.mock('./worker-bridge', () => bridge);

/**
 * The effects keep one database connection and one replay player per module instance: each test
 * imports them afresh, with a fresh store, over a fresh IndexedDB, as a page reload would.
 */
export let fx: {
  history: typeof import('./run-history');
  files: typeof import('./run-files');
  replay: typeof import('./replay-control');
  recorded: typeof import('./recorded-run');
  start: typeof import('./start');
};
export let useLabStore: (typeof import('../state/lab-store'))['useLabStore'];
export let db: RunDb;
export const state = () => useLabStore.getState();

/** Imports the effects and the store afresh (`fx`, `useLabStore`), as a page reload would. */
export async function reloadPage(): Promise<void> {
  vi.resetModules();
  fx = {
    history: await import('./run-history'),
    files: await import('./run-files'),
    replay: await import('./replay-control'),
    recorded: await import('./recorded-run'),
    start: await import('./start'),
  };
  ({ useLabStore } = await import('../state/lab-store'));
}

beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory();
  localStorage.clear();
  vi.clearAllMocks();
  await reloadPage();
  db = await RunDb.open();
});

/** Starts the page's effects as main.tsx does, and waits until the history is read. */
export async function startPage(): Promise<void> {
  const lab = fx.start.startLab();
  stops.push(lab.stop);
  await lab.ready;
}
const stops: (() => void)[] = [];

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  db.close();
  vi.restoreAllMocks();
  Reflect.deleteProperty(navigator, 'locks');
});

export const RUN = tinyRunFile();
/** RUN's rounds as the engine made them and the history keeps them. */
export const ROUNDS = tinyRounds();
export const RUN_TEXT = encodeRunFile(RUN);
export const TICKET_BYTES = encodeTicket(tinyTicket());

export const fileOf = (data: string | Uint8Array, name: string) =>
  new File([data as BlobPart], name);

/** Imports the tiny run file, as the user does, and returns its stored record. */
export async function importTinyRun(): Promise<RunMeta> {
  await fx.files.importFile(fileOf(RUN_TEXT, 'tiny.json'));
  const [meta] = await db.list();
  return meta!;
}

/** Downloads the effects start: each blob with the file name its link offered. */
export function captureDownloads() {
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

/**
 * A run trained here: θ0 kept, every round with its ticket's masks, continuable until its last
 * round.
 */
export async function trainedRun(
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
  for (const result of ROUNDS.slice(0, lastRound + 1)) {
    const continuation =
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
      continuation,
    );
  }
  return { meta, theta0 };
}
