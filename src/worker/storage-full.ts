/**
 * When the browser's storage for this site is full (issue 14: several trials multiply what a run
 * stores): a round that the browser's estimate says will not fit is not written, a write it
 * refuses all the same (QuotaExceededError) is told apart from other failures, and the page says
 * so in words, with the browser's own estimate of what is used and granted. The run holds on the
 * page; nothing stored before is touched (IndexedDB aborts the whole refused transaction).
 */

/** Whether `e` is a write refused for lack of quota (IndexedDB aborts with QuotaExceededError). */
export function isQuotaError(e: unknown): boolean {
  return (
    typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'QuotaExceededError'
  );
}

type Estimate = () => Promise<{ usage?: number; quota?: number }>;

const browserEstimate: Estimate | null =
  typeof navigator !== 'undefined' && navigator.storage?.estimate
    ? () => navigator.storage.estimate()
    : null;

/**
 * Whether `bytes` more fit in what the browser grants this site, by its own estimate; true where
 * it gives none (the write then says for itself).
 */
export async function hasRoom(
  bytes: number,
  estimate: Estimate | null = browserEstimate,
): Promise<boolean> {
  try {
    const e = await estimate?.();
    if (e?.usage === undefined || e.quota === undefined) return true;
    return e.quota - e.usage >= bytes;
  } catch {
    return true;
  }
}

/**
 * About what storing a round takes: its result as JSON, and its masks twice (the round's, and the
 * next round's in its continuation), bit-packed, with room for the record's own fields.
 */
export function roundBytes(result: unknown, maskLengths: readonly number[]): number {
  const masks = maskLengths.reduce((sum, n) => sum + Math.ceil(n / 8), 0);
  return JSON.stringify(result).length + 2 * masks + 4096;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The words for a round the history could not store because the site's storage is full. */
export async function storageFullMessage(
  round: number,
  estimate: Estimate | null = browserEstimate,
): Promise<string> {
  let amounts = '';
  try {
    const e = await estimate?.();
    if (e?.usage !== undefined && e.quota !== undefined)
      amounts = ` (${mb(e.usage)} used of the ${mb(e.quota)} it grants this site)`;
  } catch {
    // The estimate is a courtesy: the message stands without it.
  }
  return `The browser's storage for this lab is full${amounts}: round ${round} is on the page but not stored, and the run holds. Make room by deleting runs in the history (export any you want to keep first), then Resume to store the round and go on; Stop gives the round up. Every round stored before is intact.`;
}
