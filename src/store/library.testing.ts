/**
 * Shared setup for the library tests (library.test.ts, library.bad-files.test.ts): the mocked
 * bridge, a fresh library, store and fake IndexedDB before each test, and the tiny fixtures.
 * Importing this module registers its beforeEach/afterEach hooks in the importing test file.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, vi } from 'vitest';
import { tinyRunFile, tinyTicket } from '../formats/formats.testing';
import { encodeRunFile } from '../formats/run-file';
import { encodeTicket } from '../formats/ticket';
import { type RunMeta, RunDb } from '../history/run-db';

// bridge.ts starts a Worker; the library only hands it commands. (Not vi.hoisted: a hoisted
// variable cannot be exported. The factory runs at the first import of ./bridge, in beforeEach.)
export const bridge = { continueStoredRun: vi.fn(), trainImportedTicket: vi.fn() };
vi.mock('./bridge', () => bridge);

/**
 * library.ts keeps one database connection per module instance: each test imports a fresh
 * library and store, over a fresh IndexedDB.
 */
export let lib: typeof import('./library');
export let useLabStore: (typeof import('./lab-store'))['useLabStore'];
export let db: RunDb;
export const state = () => useLabStore.getState();

/** Imports a fresh library and store (`lib`, `useLabStore`), as a page reload would. */
export async function reloadLibrary(): Promise<void> {
  vi.resetModules();
  lib = await import('./library');
  ({ useLabStore } = await import('./lab-store'));
}

beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory();
  localStorage.clear();
  vi.clearAllMocks();
  await reloadLibrary();
  db = await RunDb.open();
});

afterEach(() => {
  db.close();
  vi.restoreAllMocks();
  Reflect.deleteProperty(navigator, 'locks');
});

export const RUN = tinyRunFile();
export const RUN_TEXT = encodeRunFile(RUN);
export const TICKET_BYTES = encodeTicket(tinyTicket());

export const fileOf = (data: string | Uint8Array, name: string) =>
  new File([data as BlobPart], name);

/** Imports the tiny run file, as the user does, and returns its stored record. */
export async function importTinyRun(): Promise<RunMeta> {
  await lib.importFile(fileOf(RUN_TEXT, 'tiny.json'));
  const [meta] = await db.list();
  return meta!;
}
