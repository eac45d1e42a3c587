/**
 * The one way the lab saves a file: figures, run files, CSV tables and tickets alike. Nothing
 * leaves the device but this, and only when the user asks.
 */

/**
 * How long the download's object URL lives. Revoking it in the same task as the click can cancel
 * the download in some browsers (Firefox); a few seconds later it is safe.
 */
export const REVOKE_AFTER_MS = 10_000;

/** Saves a blob as a file: a temporary <a download> clicked once, its object URL revoked later. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }
}
