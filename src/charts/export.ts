/**
 * Every figure as a file (issue 4): a standalone SVG document built from a figure's live charts,
 * a PNG rasterised from that SVG, and the download. Runs in the page (DOM code), reads the live
 * figure and never changes it: everything is done on clones.
 *
 * Why computed styles are inlined: the charts take some of their look from the page (the font,
 * `currentColor`, `.axis` colours in presenter mode). A file opened outside the page has none of
 * that, so each element carries the few properties that decide how it is drawn.
 */

import { SVG_NS, TextColumn, plainText, wrapRuns, wrapWords } from './export-text';

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

  // The words first: title, keys (in their colours) and verdict, one line under another.
  const text = new TextColumn(root, PAD, PAD, fontFamily);
  const strong = { 'font-weight': '600', fill: titleColor };
  for (const line of titleLines) text.line(line, TITLE_SIZE, { ...strong, 'data-export': 'title' });
  for (const line of legendLines)
    text.line(line, LEGEND_SIZE, { 'data-export': 'legend' }, LEGEND_GAP);
  for (const line of verdictLines)
    text.line(line, LEGEND_SIZE + 1, { fill: titleColor, 'data-export': 'verdict' });
  if (titleLines.length + legendLines.length + verdictLines.length > 0) text.y += GAP;

  const titled = new Set<Element>();
  charts.forEach(({ el, size }, i) => {
    if (i > 0) text.y += GAP;
    // A panel of several (the side-by-side's two sides) keeps its own title above its chart.
    const panel = el.closest('[data-panel-title]');
    if (panel && !titled.has(panel)) {
      titled.add(panel);
      text.line(panel.getAttribute('data-panel-title') ?? '', LEGEND_SIZE + 2, {
        ...strong,
        'data-export': 'panel-title',
      });
    }
    const node = el instanceof HTMLCanvasElement ? canvasImage(el) : cloneWithStyles(el);
    node.setAttribute('x', String(PAD));
    node.setAttribute('y', round(text.y));
    node.setAttribute('width', round(size.width));
    node.setAttribute('height', round(size.height));
    root.appendChild(node);
    text.y += size.height;
  });

  const height = Math.ceil(text.y + PAD);
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
