import { describe, expect, it } from 'vitest';
import { hasRoom, isQuotaError, roundBytes, storageFullMessage } from './storage-full';

describe('a full storage', () => {
  it('is told apart from other failed writes', () => {
    expect(isQuotaError(new DOMException('no room', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError({ name: 'QuotaExceededError' })).toBe(true);
    expect(isQuotaError(new DOMException('aborted', 'AbortError'))).toBe(false);
    expect(isQuotaError(new Error('QuotaExceededError'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });

  it('is said in words, with the browser’s estimate when it gives one', async () => {
    const words = await storageFullMessage(3, async () => ({
      usage: 47_395_635,
      quota: 48_000_000,
    }));
    expect(words).toBe(
      "The browser's storage for this lab is full (45.2 MB used of the 45.8 MB it grants this site): round 3 is on the page but not stored, and the run holds. Make room by deleting runs in the history (export any you want to keep first), then Resume to store the round and go on; Stop gives the round up. Every round stored before is intact.",
    );
    const without = await storageFullMessage(2, async () => {
      throw new Error('no estimate');
    });
    expect(without).toMatch(/^The browser's storage for this lab is full: round 2 is on the page/);
    expect(await storageFullMessage(2, null)).toBe(without);
  });

  it('is foreseen from the browser’s estimate, and not where it gives none', async () => {
    const estimate = async () => ({ usage: 9_960_000, quota: 10_000_000 });
    expect(await hasRoom(40_000, estimate)).toBe(true);
    expect(await hasRoom(40_001, estimate)).toBe(false);
    expect(await hasRoom(1e9, async () => ({}))).toBe(true);
    expect(await hasRoom(1e9, null)).toBe(true);
    expect(
      await hasRoom(1e9, async () => {
        throw new Error('no estimate');
      }),
    ).toBe(true);
    // A round's JSON, and its masks twice, bit-packed, with 4 KB for the record.
    expect(roundBytes({ round: 2 }, [800, 17])).toBe('{"round":2}'.length + 2 * (100 + 3) + 4096);
  });
});
