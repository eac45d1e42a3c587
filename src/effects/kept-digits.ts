/**
 * The user's kept digits (issue 16): a private test set, stored in this browser's localStorage in
 * the same format as the file it exports (src/digits/kept.ts), listed, deleted, exported and
 * imported. Nothing is ever sent anywhere: a file leaves only through an export the user asks
 * for. A bad file or a full storage gets a message and changes nothing.
 */
import { type KeptDigit, decodeKept, encodeKept, mergeKept } from '../digits/kept';
import { useLabStore } from '../state/lab-store';
import { labActions } from '../state/selectors';
import { downloadBlob } from './download';

export const KEPT_KEY = 'lottery-ticket-lab:kept-digits';
export const KEPT_FILE_NAME = 'kept-digits.json';

const newId = () =>
  crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

const countOf = (n: number) => `${n} digit${n === 1 ? '' : 's'}`;

const say = (text: string, error = false) => labActions().digitsMessageShown({ error, text });

/** Writes the list, then shows it; if the browser refuses the write, nothing changes. */
function store(digits: KeptDigit[], done: string): boolean {
  try {
    localStorage.setItem(KEPT_KEY, encodeKept(digits));
  } catch (e) {
    say(
      `The digit list could not be stored in this browser (${e instanceof Error ? e.name : String(e)}): nothing changed.`,
      true,
    );
    return false;
  }
  labActions().keptListed(digits);
  say(done);
  return true;
}

/** Reads the kept digits stored in this browser into the page (once, at the start). */
export function loadKeptDigits(): void {
  let text: string | null;
  try {
    text = localStorage.getItem(KEPT_KEY);
  } catch {
    return say('This browser does not let the lab store digits (its storage is off).', true);
  }
  if (text === null) return;
  const read = decodeKept(text);
  if (read.ok) return labActions().keptListed(read.digits);
  // Left as it is, so nothing is lost by reading it: the next keep or import writes over it.
  say(`The kept digits stored in this browser could not be read (${read.message}).`, true);
}

/** Keeps the pad's drawing as a digit labelled `label` (what the user says it is). */
export function keepDigit(label: number): void {
  const { padDigit, keptDigits } = useLabStore.getState();
  if (!padDigit) return say('Draw a digit first: the pad is empty, so there is nothing to keep.');
  if (!Number.isInteger(label) || label < 0 || label > 9)
    return say(`Choose which digit it is (0–9) before keeping it.`, true);
  const merged = mergeKept(
    keptDigits,
    [{ id: newId(), label, keptAt: Date.now(), pixels: padDigit.slice() }],
    newId,
  );
  if ('message' in merged) return say(`Not kept: ${merged.message}.`, true);
  if (merged.added === 0) return say(`This drawing is already kept as a ${label}.`);
  store(merged.digits, `Kept as a ${label}: ${countOf(merged.digits.length)} kept.`);
}

export function deleteKeptDigit(id: string): void {
  const { keptDigits } = useLabStore.getState();
  const gone = keptDigits.find((d) => d.id === id);
  if (!gone) return;
  store(
    keptDigits.filter((d) => d !== gone),
    `Deleted a kept ${gone.label}: ${countOf(keptDigits.length - 1)} kept.`,
  );
}

/** Saves the kept digits as a file (the only way they leave this browser). */
export function exportKeptDigits(): void {
  const { keptDigits } = useLabStore.getState();
  if (keptDigits.length === 0) return say('No digits are kept yet: there is nothing to export.');
  downloadBlob(new Blob([encodeKept(keptDigits)], { type: 'application/json' }), KEPT_FILE_NAME);
  say(`Exported ${countOf(keptDigits.length)} as ${KEPT_FILE_NAME}.`);
}

/** Adds a file's digits to the kept ones; a bad file changes nothing and says why. */
export async function importKeptDigits(file: Blob & { name?: string }): Promise<void> {
  const name = file.name ? `“${file.name}”` : 'The file';
  let text: string;
  try {
    text = await file.text();
  } catch {
    return say(`${name} could not be read: nothing was imported.`, true);
  }
  const read = decodeKept(text);
  if (!read.ok) return say(`${name} was not imported: ${read.message}.`, true);
  const merged = mergeKept(useLabStore.getState().keptDigits, read.digits, newId);
  if ('message' in merged) return say(`${name} was not imported: ${merged.message}.`, true);
  const skipped = read.digits.length - merged.added;
  store(
    merged.digits,
    `Imported ${countOf(merged.added)} from ${name}` +
      (skipped > 0 ? ` (${skipped} already kept)` : '') +
      `: ${merged.digits.length} kept.`,
  );
}
