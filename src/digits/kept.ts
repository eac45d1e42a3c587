/**
 * The user's own drawn digits, kept with the label the user gave each (issue 16): a private test
 * set. One codec, used both for the exported file and for what the browser stores, so a stored
 * list is checked exactly as an imported file is. Pure.
 *
 * The file is JSON: `{ "format": "lottery-ticket-lab/kept-digits", "version": 1, "digits": [{
 * "id", "label": 0…9, "keptAt": ms since 1970, "pixels": base64 of 784 bytes }] }`, the pixels in
 * MNIST's own format (src/digits/preprocess.ts), 28×28 row-major, 0 = paper, 255 = ink.
 */

export const KEPT_FORMAT = 'lottery-ticket-lab/kept-digits';
export const KEPT_VERSION = 1;
export const DIGIT_PIXELS = 784;
/** More than a test set needs, and a few hundred KB at most wherever it is kept. */
export const MAX_KEPT = 500;

export interface KeptDigit {
  /** Unique in a list: deleting and choosing name it. */
  id: string;
  /** The digit the user says it is, 0 … 9. */
  label: number;
  /** When it was kept, ms since 1970. */
  keptAt: number;
  /** 784 bytes, MNIST's format. */
  pixels: Uint8Array;
}

export const DIGIT_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
] as const;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array | null {
  try {
    const s = atob(text);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** The kept digits as the file's text. */
export function encodeKept(digits: readonly KeptDigit[]): string {
  return JSON.stringify({
    format: KEPT_FORMAT,
    version: KEPT_VERSION,
    digits: digits.map((d) => ({
      id: d.id,
      label: d.label,
      keptAt: d.keptAt,
      pixels: toBase64(d.pixels),
    })),
  });
}

export type Decoded = { ok: true; digits: KeptDigit[] } | { ok: false; message: string };

const fail = (message: string): Decoded => ({ ok: false, message });

/** A file's text as kept digits, or what is wrong with it in words (nothing half-read). */
export function decodeKept(text: string): Decoded {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('not a kept-digits file: it is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return fail('not a kept-digits file: it is not a JSON object');
  const o = json as Record<string, unknown>;
  if (o.format !== KEPT_FORMAT)
    return fail(`not a kept-digits file: its format is not "${KEPT_FORMAT}"`);
  if (o.version !== KEPT_VERSION)
    return fail(
      `a kept-digits file of version ${JSON.stringify(o.version)}: this lab reads version ${KEPT_VERSION}`,
    );
  if (!Array.isArray(o.digits)) return fail('a kept-digits file without its list of digits');
  if (o.digits.length > MAX_KEPT)
    return fail(`${o.digits.length} digits: the lab keeps at most ${MAX_KEPT}`);
  const digits: KeptDigit[] = [];
  const ids = new Set<string>();
  for (const [i, raw] of o.digits.entries()) {
    const at = `digit ${i + 1} of ${o.digits.length}`;
    if (typeof raw !== 'object' || raw === null) return fail(`${at} is not an object`);
    const d = raw as Record<string, unknown>;
    if (!Number.isInteger(d.label) || (d.label as number) < 0 || (d.label as number) > 9)
      return fail(`${at}: its label ${JSON.stringify(d.label)} is not a digit 0–9`);
    if (typeof d.keptAt !== 'number' || !Number.isFinite(d.keptAt))
      return fail(`${at}: its time kept is not a number`);
    const pixels = typeof d.pixels === 'string' ? fromBase64(d.pixels) : null;
    if (!pixels) return fail(`${at}: its pixels are not base64 text`);
    if (pixels.length !== DIGIT_PIXELS)
      return fail(`${at}: its pixels are ${pixels.length} bytes, expected ${DIGIT_PIXELS} (28×28)`);
    if (typeof d.id !== 'string' || d.id === '' || ids.has(d.id))
      return fail(`${at}: its id is missing or not unique`);
    ids.add(d.id);
    digits.push({ id: d.id, label: d.label as number, keptAt: d.keptAt, pixels });
  }
  return { ok: true, digits };
}

const samePixels = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * `imported` added to `kept`: a digit already kept (same label, same pixels) is not added twice,
 * an id already taken gets a fresh one from `newId`. How many were added, and the list; null with
 * a message when the list would pass MAX_KEPT (then nothing is added).
 */
export function mergeKept(
  kept: readonly KeptDigit[],
  imported: readonly KeptDigit[],
  newId: () => string,
): { digits: KeptDigit[]; added: number } | { message: string } {
  const out = [...kept];
  const ids = new Set(kept.map((d) => d.id));
  let added = 0;
  for (const d of imported) {
    if (out.some((k) => k.label === d.label && samePixels(k.pixels, d.pixels))) continue;
    let id = d.id;
    while (ids.has(id)) id = newId();
    ids.add(id);
    out.push({ ...d, id });
    added++;
  }
  if (out.length > MAX_KEPT)
    return {
      message: `importing would keep ${out.length} digits: the lab keeps at most ${MAX_KEPT}`,
    };
  return { digits: out, added };
}
