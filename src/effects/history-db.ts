/**
 * The page's one connection to the run history in IndexedDB (src/history), opened on first use
 * and shared by every effect that reads or writes it; and the one way those effects say that
 * something failed: a notice, the store otherwise unchanged.
 */
import { FormatError } from '../formats/errors';
import { RunDb } from '../history/run-db';
import { labActions } from '../state/selectors';
import type { StoredRunView } from '../state/types';
import { errorMessage } from '../worker/protocol';

let db: Promise<RunDb> | null = null;

/** The run history; a failed open is tried again on the next call. */
export function runDb(): Promise<RunDb> {
  db ??= RunDb.open();
  db.catch(() => (db = null));
  return db;
}

/**
 * A stored run and its completed rounds, as its first trial saw them and over every trial; throws
 * `gone`, in words, if it is no longer stored.
 */
export async function storedRun(
  id: string,
  gone = 'it is no longer stored',
): Promise<StoredRunView> {
  const h = await runDb();
  const meta = await h.get(id);
  if (!meta) throw new Error(gone);
  return { meta, rounds: await h.rounds(id), trials: await h.runRounds(id, meta.config) };
}

/** `what` failed: a notice says why (a bad file's own message as it is). */
export function reportFailure(what: string, e: unknown): void {
  labActions().noticesShown([e instanceof FormatError ? e.message : `${what}: ${errorMessage(e)}`]);
}
