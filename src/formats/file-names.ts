/** The names of the files the lab writes: one slug for every name a user or a figure gives. */

/**
 * `text` as a file-name part: accents dropped, lower case, anything else than [a-z0-9] one
 * hyphen, at most `max` characters; `fallback` when nothing is left.
 */
export function slug(text: string, fallback: string, max = 60): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return s || fallback;
}

const two = (n: number) => String(n).padStart(2, '0');

/** `lottery-ticket-lab-<id>-<yyyy-mm-dd>.<ext>`, the id reduced to [a-z0-9-], the local date. */
export function figureFileName(id: string, ext: 'svg' | 'png', date = new Date()): string {
  const day = `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
  return `lottery-ticket-lab-${slug(id, 'figure')}-${day}.${ext}`;
}
