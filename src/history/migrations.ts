/**
 * The run history's schema versions, and how a database written by an older lab is brought up to
 * date when it is first opened (IndexedDB's `upgradeneeded`, in the upgrade's own transaction:
 * all of it or none of it). Nothing a user computed is dropped: every record is rewritten.
 *
 * - Version 1 (issue 4): the stores `runs`, `rounds`, `states`.
 * - Version 2 (issue 13): one name for one thing. A run that can go on from its next round is
 *   `continuable` (was `resumable`) and its state is `continuation` (was `resume`): "resume"
 *   now only means unpausing a live run. A variant's early stop is one `earlyStop` group (was
 *   three flat fields, as run files and tickets still write it).
 */
import type { RoundResult } from '../engine/experiment';

export const DB_VERSION = 2;

/** A stored variant of version 1: the early stop as three flat fields. */
interface VariantV1 {
  earlyStopIteration: number;
  earlyStopTestAccuracy: number;
  earlyStopValidationAccuracy: number;
  [field: string]: unknown;
}

/** Creates the stores a new database needs, and rewrites the records of an older one. */
export function upgrade(db: IDBDatabase, tx: IDBTransaction, oldVersion: number): void {
  if (!db.objectStoreNames.contains('runs')) db.createObjectStore('runs', { keyPath: 'id' });
  if (!db.objectStoreNames.contains('rounds'))
    db.createObjectStore('rounds', { keyPath: ['runId', 'round'] });
  if (!db.objectStoreNames.contains('states')) db.createObjectStore('states', { keyPath: 'runId' });
  if (oldVersion >= 1 && oldVersion < 2) {
    rewrite(tx.objectStore('runs'), runToV2);
    rewrite(tx.objectStore('states'), stateToV2);
    rewrite(tx.objectStore('rounds'), roundToV2);
  }
}

/** Every record of `store` through `f`, in place (the upgrade transaction keeps it atomic). */
function rewrite(store: IDBObjectStore, f: (record: Record<string, unknown>) => unknown): void {
  const cursor = store.openCursor();
  cursor.onsuccess = () => {
    const c = cursor.result;
    if (!c) return;
    c.update(f(c.value as Record<string, unknown>));
    c.continue();
  };
}

export function runToV2({ resumable, ...run }: Record<string, unknown>): Record<string, unknown> {
  return { ...run, continuable: resumable === true };
}

export function stateToV2({ resume, ...state }: Record<string, unknown>): Record<string, unknown> {
  return { ...state, continuation: resume ?? null };
}

export function roundToV2(record: Record<string, unknown>): Record<string, unknown> {
  const result = record.result as Omit<RoundResult, 'variants'> & { variants: VariantV1[] };
  return {
    ...record,
    result: {
      ...result,
      variants: result.variants.map(
        ({ earlyStopIteration, earlyStopTestAccuracy, earlyStopValidationAccuracy, ...v }) => ({
          ...v,
          earlyStop: {
            iteration: earlyStopIteration,
            validationAccuracy: earlyStopValidationAccuracy,
            testAccuracy: earlyStopTestAccuracy,
          },
        }),
      ),
    },
  };
}
