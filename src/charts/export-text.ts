/**
 * A figure file's words (export.ts): the page's title, keys and verdict read as plain text,
 * wrapped to the figure's width by an estimate of glyph widths, and written as SVG text lines one
 * under another.
 */

export const SVG_NS = 'http://www.w3.org/2000/svg';
/** A line's height, as a multiple of its font size. */
const LINE_GAP = 1.4;
/** A rough average glyph width in em, only used to decide where header lines wrap. */
const EM_PER_CHAR = 0.6;

/** Text of an element without the export buttons, whitespace collapsed. */
export function plainText(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll('button, .figure-export').forEach((n) => n.remove());
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export interface Run {
  text: string;
  color: string;
}

/** Splits runs into lines of at most `width` (estimated), never splitting one run. */
export function wrapRuns(runs: Run[], width: number, fontSize: number, gap: number): Run[][] {
  const lines: Run[][] = [];
  let line: Run[] = [];
  let used = 0;
  for (const run of runs) {
    const w = run.text.length * fontSize * EM_PER_CHAR + (line.length > 0 ? gap : 0);
    if (line.length > 0 && used + w > width) {
      lines.push(line);
      line = [];
      used = 0;
    }
    line.push(run);
    used += w;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

export function wrapWords(text: string, width: number, fontSize: number): string[] {
  return wrapRuns(
    text.split(' ').map((w) => ({ text: w, color: '' })),
    width,
    fontSize,
    fontSize * 0.3,
  ).map((l) => l.map((r) => r.text).join(' '));
}

/** Lines of text stacked down an SVG from `y`, each at its own size; `y` is where the next goes. */
export class TextColumn {
  constructor(
    private readonly root: SVGSVGElement,
    private readonly x: number,
    public y: number,
    private readonly fontFamily: string,
  ) {}

  /** One line: plain text, or runs in their colours `gap` units apart (a key's entries). */
  line(content: string | Run[], size: number, attrs: Record<string, string>, gap = 0): void {
    this.y += size;
    const t = document.createElementNS(SVG_NS, 'text');
    const all = {
      x: String(this.x),
      y: String(this.y),
      'font-family': this.fontFamily,
      'font-size': String(size),
      ...attrs,
    };
    for (const [k, v] of Object.entries(all)) t.setAttribute(k, v);
    if (typeof content === 'string') t.textContent = content;
    else
      content.forEach((run, i) => {
        const span = document.createElementNS(SVG_NS, 'tspan');
        // The page's gap; a shift, not spaces, since whitespace between tspans collapses.
        if (i > 0) span.setAttribute('dx', String(gap));
        span.setAttribute('fill', run.color);
        span.textContent = run.text;
        t.appendChild(span);
      });
    this.root.appendChild(t);
    this.y += size * (LINE_GAP - 1);
  }
}
