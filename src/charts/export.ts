/**
 * Every figure as a file (issue 4): a standalone SVG document built from a figure's live charts,
 * a PNG rasterised from that SVG, and the download. Runs in the page (DOM code), reads the live
 * figure and never changes it: everything is done on clones.
 *
 * Why computed styles are inlined: the charts take some of their look from the page (the font,
 * `currentColor`, `.axis` colours in presenter mode). A file opened outside the page has none of
 * that, so each element carries the few properties that decide how it is drawn.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** The computed properties copied onto every exported element; nothing else is. */
export const INLINED_PROPERTIES = [
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
] as const;

/** Elements that are not drawn: styling them only makes the file bigger. */
const UNDRAWN = new Set(['title', 'desc', 'metadata']);

const PAD = 12;
const GAP = 8;
const TITLE_SIZE = 16;
const LEGEND_SIZE = 12;
const LEGEND_GAP = 14;
const LINE_GAP = 1.4;
/** A rough average glyph width in em, only used to decide where header lines wrap. */
const EM_PER_CHAR = 0.6;
const DEFAULT_SIZE = { width: 300, height: 150 };

interface Size {
  width: number;
  height: number;
}

/**
 * The rendered size of an element; its intrinsic size where nothing is laid out (tests, hidden).
 */
function boxOf(el: Element): Size {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.height > 0) return { width: r.width, height: r.height };
  if (el instanceof HTMLCanvasElement) {
    const cs = getComputedStyle(el);
    const w = parseFloat(cs.getPropertyValue('width'));
    const h = parseFloat(cs.getPropertyValue('height'));
    if (w > 0 && h > 0) return { width: w, height: h };
    return { width: el.width || DEFAULT_SIZE.width, height: el.height || DEFAULT_SIZE.height };
  }
  const vb = (el.getAttribute('viewBox') ?? '')
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  if (vb.length === 4 && vb[2]! > 0 && vb[3]! > 0) return { width: vb[2]!, height: vb[3]! };
  const w = Number(el.getAttribute('width'));
  const h = Number(el.getAttribute('height'));
  return w > 0 && h > 0 ? { width: w, height: h } : DEFAULT_SIZE;
}

/** `style` for one element: the listed computed properties, and nothing the page set inline. */
function inlineStyle(live: Element, clone: Element): void {
  clone.removeAttribute('style');
  if (UNDRAWN.has(live.localName)) return;
  const cs = getComputedStyle(live);
  const decl = INLINED_PROPERTIES.map((p) => [p, cs.getPropertyValue(p).trim()] as const)
    .filter(([, v]) => v !== '')
    .map(([p, v]) => `${p}: ${v}`)
    .join('; ');
  if (decl) clone.setAttribute('style', decl);
}

/** A clone of a chart's <svg> with the computed styles inlined, walking live and clone in step. */
function cloneWithStyles(svg: SVGSVGElement): SVGSVGElement {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const live = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const copies = [clone, ...Array.from(clone.querySelectorAll('*'))];
  live.forEach((el, i) => inlineStyle(el, copies[i]!));
  return clone;
}

/**
 * A canvas (the pixel map) as an <image> holding its pixels; the URL goes in both href forms for
 * older editors.
 */
function canvasImage(canvas: HTMLCanvasElement): SVGImageElement {
  const img = document.createElementNS(SVG_NS, 'image');
  const href = canvas.toDataURL('image/png');
  img.setAttribute('href', href);
  img.setAttributeNS(XLINK_NS, 'xlink:href', href);
  img.setAttribute('preserveAspectRatio', 'none');
  // 28×28 pixels blown up: the page draws them as crisp squares, so should the file.
  const rendering = getComputedStyle(canvas).getPropertyValue('image-rendering').trim();
  if (rendering && rendering !== 'auto') img.setAttribute('style', `image-rendering: ${rendering}`);
  return img;
}

/** Top-level charts only: an <svg> inside another one is part of it. */
function chartsOf(figure: HTMLElement): (SVGSVGElement | HTMLCanvasElement)[] {
  return Array.from(
    figure.querySelectorAll<SVGSVGElement | HTMLCanvasElement>('svg, canvas'),
  ).filter(
    // A legend's drawn swatches are part of its words, not charts of their own.
    (el) => !el.parentElement?.closest('svg') && !el.closest('.figure-export, .legend'),
  );
}

/** Text of an element without the export buttons, whitespace collapsed. */
function plainText(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll('button, .figure-export').forEach((n) => n.remove());
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}

interface Run {
  text: string;
  color: string;
}

/** Splits runs into lines of at most `width` (estimated), never splitting one run. */
function wrapRuns(runs: Run[], width: number, fontSize: number, gap: number): Run[][] {
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

function wrapWords(text: string, width: number, fontSize: number): string[] {
  return wrapRuns(
    text.split(' ').map((w) => ({ text: w, color: '' })),
    width,
    fontSize,
    fontSize * 0.3,
  ).map((l) => l.map((r) => r.text).join(' '));
}

function textEl(x: number, y: number, attrs: Record<string, string>): SVGTextElement {
  const t = document.createElementNS(SVG_NS, 'text');
  t.setAttribute('x', String(x));
  t.setAttribute('y', String(y));
  for (const [k, v] of Object.entries(attrs)) t.setAttribute(k, v);
  return t;
}

const round = (v: number) => String(Math.round(v * 100) / 100);

/**
 * A standalone SVG document for one figure: its title (`h2`) and legend lines (`.legend` spans
 * in their colours) as text at the top, then its charts (every top-level <svg>, and every
 * <canvas> as an embedded PNG) stacked vertically at their rendered sizes, on white.
 */
export function figureSvg(figure: HTMLElement, opts: { title?: string } = {}): string {
  const charts = chartsOf(figure).map((el) => ({ el, size: boxOf(el) }));
  const chartW = Math.max(0, ...charts.map((c) => c.size.width));
  const h2 = figure.querySelector('h2, h3');
  const title = opts.title ?? (h2 ? plainText(h2) : '');
  const legends = Array.from(figure.querySelectorAll('.legend')).map((legend) =>
    Array.from(legend.children)
      .filter((c) => c.localName === 'span')
      .map((span) => ({
        text: plainText(span),
        // A drawn swatch's colour (LineSwatch), else the text's own.
        color:
          span.querySelector('[data-color]')?.getAttribute('data-color') ??
          (getComputedStyle(span).getPropertyValue('color').trim() || '#000'),
      }))
      .filter((r) => r.text !== ''),
  );
  const textW = Math.max(chartW, 320);
  const titleLines = title ? wrapWords(title, textW, TITLE_SIZE) : [];
  const legendLines = legends.flatMap((runs) => wrapRuns(runs, textW, LEGEND_SIZE, LEGEND_GAP));
  // A verdict in words is part of the figure (the side-by-side): the file says it too.
  const verdictLines = Array.from(figure.querySelectorAll('.verdict')).flatMap((p) =>
    wrapWords(plainText(p), textW, LEGEND_SIZE + 1),
  );
  const width = Math.ceil(textW + 2 * PAD);
  const fontFamily =
    getComputedStyle(figure).getPropertyValue('font-family').trim() || 'sans-serif';
  const titleColor = (h2 && getComputedStyle(h2).getPropertyValue('color').trim()) || '#1d2330';

  const root = document.createElementNS(SVG_NS, 'svg');
  root.setAttributeNS(XMLNS_NS, 'xmlns', SVG_NS);
  root.setAttributeNS(XMLNS_NS, 'xmlns:xlink', XLINK_NS);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('data-export', 'background');
  bg.setAttribute('x', '0');
  bg.setAttribute('y', '0');
  bg.setAttribute('fill', '#ffffff');
  root.appendChild(bg);

  let y = PAD;
  for (const line of titleLines) {
    y += TITLE_SIZE;
    const t = textEl(PAD, y, {
      'font-family': fontFamily,
      'font-size': String(TITLE_SIZE),
      'font-weight': '600',
      fill: titleColor,
      'data-export': 'title',
    });
    t.textContent = line;
    root.appendChild(t);
    y += TITLE_SIZE * (LINE_GAP - 1);
  }
  for (const line of legendLines) {
    y += LEGEND_SIZE;
    const t = textEl(PAD, y, {
      'font-family': fontFamily,
      'font-size': String(LEGEND_SIZE),
      'data-export': 'legend',
    });
    line.forEach((run, i) => {
      const span = document.createElementNS(SVG_NS, 'tspan');
      // The page's legend gap; a shift, not spaces, since whitespace between tspans collapses.
      if (i > 0) span.setAttribute('dx', String(LEGEND_GAP));
      span.setAttribute('fill', run.color);
      span.textContent = run.text;
      t.appendChild(span);
    });
    root.appendChild(t);
    y += LEGEND_SIZE * (LINE_GAP - 1);
  }
  for (const line of verdictLines) {
    y += LEGEND_SIZE + 1;
    const t = textEl(PAD, y, {
      'font-family': fontFamily,
      'font-size': String(LEGEND_SIZE + 1),
      fill: titleColor,
      'data-export': 'verdict',
    });
    t.textContent = line;
    root.appendChild(t);
    y += (LEGEND_SIZE + 1) * (LINE_GAP - 1);
  }
  if (titleLines.length + legendLines.length + verdictLines.length > 0) y += GAP;

  const titled = new Set<Element>();
  charts.forEach(({ el, size }, i) => {
    if (i > 0) y += GAP;
    // A panel of several (the side-by-side's two sides) keeps its own title above its chart.
    const panel = el.closest('[data-panel-title]');
    if (panel && !titled.has(panel)) {
      titled.add(panel);
      y += LEGEND_SIZE + 2;
      const t = textEl(PAD, y, {
        'font-family': fontFamily,
        'font-size': String(LEGEND_SIZE + 2),
        'font-weight': '600',
        fill: titleColor,
        'data-export': 'panel-title',
      });
      t.textContent = panel.getAttribute('data-panel-title');
      root.appendChild(t);
      y += GAP / 2;
    }
    const node = el instanceof HTMLCanvasElement ? canvasImage(el) : cloneWithStyles(el);
    node.setAttribute('x', String(PAD));
    node.setAttribute('y', round(y));
    node.setAttribute('width', round(size.width));
    node.setAttribute('height', round(size.height));
    root.appendChild(node);
    y += size.height;
  });

  const height = Math.ceil(y + PAD);
  for (const el of [root, bg]) {
    el.setAttribute('width', String(width));
    el.setAttribute('height', String(height));
  }
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`;
}

/** The width and height an SVG document declares (what figureSvg wrote), for rasterising it. */
export function svgSize(svgText: string): Size {
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const el = doc.documentElement;
  const size = {
    width: Number(el.getAttribute('width')),
    height: Number(el.getAttribute('height')),
  };
  if (doc.querySelector('parsererror') || !(size.width > 0) || !(size.height > 0))
    throw new Error('the figure SVG has no usable width and height');
  return size;
}

/**
 * Rasterises an SVG document: draws it through an <img> onto a canvas `scale` times its size
 * (2: sharp on high-density screens and in slides) and encodes a PNG.
 */
export async function svgToPng(
  svgText: string,
  width: number,
  height: number,
  scale = 2,
): Promise<Blob> {
  if (!(width > 0 && height > 0 && scale > 0))
    throw new Error(`cannot rasterise a ${width}×${height} figure at scale ${scale}`);
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = await new Promise<HTMLImageElement>((resolve, reject) => {
      const image = new Image();
      image.onload = () => resolve(image);
      image.onerror = () =>
        reject(new Error('the browser could not load the figure SVG as an image'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas context to draw the PNG on');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (blob) =>
          blob ? resolve(blob) : reject(new Error('the browser could not encode the PNG')),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
