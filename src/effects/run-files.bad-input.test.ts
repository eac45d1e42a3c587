// @vitest-environment happy-dom
/**
 * Importing bad files (run-files.ts): truncated, corrupted, foreign, oversized. Each raises one
 * notice naming the problem and leaves the store and every stored record unchanged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatError } from '../formats/formats.testing';
import { decodeRunFile } from '../formats/run-file';
import { decodeTicket } from '../formats/ticket';
import { DB_NAME } from '../history/run-db';
import {
  db,
  fileOf,
  importTinyRun,
  fx,
  RUN_TEXT,
  state,
  TICKET_BYTES,
  useLabStore,
} from './effects.testing';

/** The whole run history, store by store, read through a connection of its own. */
async function everyRecord(): Promise<Record<string, unknown[]>> {
  const conn = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  try {
    const names = Array.from({ length: conn.objectStoreNames.length }, (_, i) =>
      conn.objectStoreNames.item(i)!,
    ).sort();
    const tx = conn.transaction(names);
    const all = await Promise.all(
      names.map(
        (n) =>
          new Promise<unknown[]>((resolve, reject) => {
            const req = tx.objectStore(n).getAll();
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          }),
      ),
    );
    return Object.fromEntries(names.map((n, i) => [n, all[i]!]));
  } finally {
    conn.close();
  }
}

describe('a bad file: one notice naming the problem, nothing changed', () => {
  /**
   * The store and database after a good import and a loaded ticket: what a bad file must leave
   * alone.
   */
  async function before() {
    await importTinyRun();
    await fx.files.importFile(fileOf(TICKET_BYTES, 'held.ticket'));
    useLabStore.setState({ notices: [] });
    const s = state();
    return {
      runs: s.runs,
      rounds: s.rounds,
      ticket: s.ticket,
      activeRunId: s.activeRunId,
      state: s.state,
      stored: await db.list(),
      records: await everyRecord(),
    };
  }

  async function expectUnchanged(was: Awaited<ReturnType<typeof before>>) {
    const s = state();
    expect(s.runs).toBe(was.runs);
    expect(s.rounds).toBe(was.rounds);
    expect(s.ticket).toBe(was.ticket);
    expect(s.activeRunId).toBe(was.activeRunId);
    expect(s.state).toBe(was.state);
    expect(await db.list()).toEqual(was.stored);
    // Every record of every store, not just the list: a half-written import would show here.
    expect(await everyRecord()).toEqual(was.records);
  }

  /** Imports `file` and returns the notices it raised (cleared afterwards). */
  async function noticesOf(file: File): Promise<string[]> {
    await fx.files.importFile(file);
    const notices = state().notices;
    useLabStore.setState({ notices: [] });
    return notices;
  }

  it('a truncated run file', async () => {
    const was = await before();
    // The text ends in a newline: cut at least that and one more character.
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: RUN_TEXT.length - 2 }), async (n) => {
        const text = RUN_TEXT.slice(0, n);
        expect(await noticesOf(fileOf(text, 'cut.json'))).toEqual([
          formatError(() => decodeRunFile(text)),
        ]);
        await expectUnchanged(was);
      }),
      { numRuns: 30 },
    );
    expect(await noticesOf(fileOf(RUN_TEXT.slice(0, 5000), 'cut.json'))).toEqual([
      'This run file is not valid JSON (is it truncated?).',
    ]);
  });

  it('a run file of another version, or that is not valid', async () => {
    const was = await before();
    const newer = JSON.stringify({ ...JSON.parse(RUN_TEXT), version: 3 });
    expect(await noticesOf(fileOf(newer, 'new.json'))).toEqual([
      'This run file is format version 3; this lab reads versions 1 and 2 (a newer lab wrote it).',
    ]);
    const bad = JSON.parse(RUN_TEXT);
    bad.rounds[1].trials[0].variants[2].curve[1].testAccuracy = 1.5;
    const [notice] = await noticesOf(fileOf(JSON.stringify(bad), 'bad.json'));
    expect(notice).toBe(formatError(() => decodeRunFile(JSON.stringify(bad))));
    expect(notice).toContain('rounds[1].trials[0].variants[2].curve[1].testAccuracy');
    await expectUnchanged(was);
  });

  it('a ticket with one bit flipped', async () => {
    const was = await before();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: TICKET_BYTES.length * 8 - 1 }), async (bit) => {
        const bytes = TICKET_BYTES.slice();
        bytes[bit >> 3]! ^= 1 << (bit & 7);
        const notices = await noticesOf(fileOf(bytes, 'flipped.ticket'));
        // Named .ticket, it is read as a ticket even with a flipped magic: "Not a ticket file …".
        const expected = [formatError(() => decodeTicket(bytes))];
        expect(notices).toEqual(expected);
        await expectUnchanged(was);
      }),
      { numRuns: 30 },
    );
  });

  it('a truncated ticket', async () => {
    const was = await before();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 8, max: TICKET_BYTES.length - 1 }), async (n) => {
        const bytes = TICKET_BYTES.slice(0, n);
        const notices = await noticesOf(fileOf(bytes, 'cut.ticket'));
        expect(notices).toEqual([formatError(() => decodeTicket(bytes))]);
        expect(notices[0]).toMatch(/truncated/);
        await expectUnchanged(was);
      }),
      { numRuns: 30 },
    );
  });

  it('random bytes, and an empty file', async () => {
    const was = await before();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const notices = await noticesOf(fileOf(bytes, 'noise.bin'));
        expect(notices).toHaveLength(1);
        const text = new TextDecoder().decode(bytes);
        expect(notices[0]).toBe(
          text.startsWith('LTTICKET')
            ? formatError(() => decodeTicket(bytes))
            : formatError(() => decodeRunFile(text)),
        );
        await expectUnchanged(was);
      }),
      { numRuns: 30 },
    );
    expect(await noticesOf(fileOf('', 'empty.json'))).toEqual([
      formatError(() => decodeRunFile('')),
    ]);
    await expectUnchanged(was);
  });

  it('huge declared sizes: refused from what the file claims, before anything is allocated or written', async () => {
    const was = await before();
    const claims = TICKET_BYTES.slice();
    new DataView(claims.buffer).setUint32(12, 0xffffffff, true); // the header's length
    expect(await noticesOf(fileOf(claims, 'claims.ticket'))).toEqual([
      'This ticket file is damaged: its header claims 4,294,967,295 bytes, a ticket header has at most 1,048,576.',
    ]);
    const wide = JSON.parse(RUN_TEXT);
    wide.config.model.layers = [784, 1_000_000, 10];
    const [notice] = await noticesOf(fileOf(JSON.stringify(wide), 'wide.json'));
    expect(notice).toContain('model.layers[1]');
    const long = JSON.parse(RUN_TEXT);
    long.config.training.iterations = 1e12;
    expect((await noticesOf(fileOf(JSON.stringify(long), 'long.json')))[0]).toContain(
      'training.iterations',
    );
    await expectUnchanged(was);
  });
});
