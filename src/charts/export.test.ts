// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { INLINED_PROPERTIES, figureSvg, svgSize, svgToPng } from './export';
import { StreamLines, type StreamSeries } from './StreamLines';

const SVG_NS = 'http://www.w3.org/2000/svg';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  document.head.innerHTML = '';
});

const SERIES: StreamSeries[] = [
  {
    key: 'a',
    label: 'dense',
    color: '#1f5fd6',
    points: [
      { x: 0, y: 0.91 },
      { x: 100, y: 0.95 },
      { x: 200, y: 0.97 },
    ],
  },
  {
    key: 'b',
    label: 'reinit',
    color: '#e76f51',
    dashed: true,
    points: [
      { x: 0, y: 0.9 },
      { x: 200, y: 0.92 },
    ],
  },
];

/** A figure as Figures.tsx builds one: h2 title, a legend line, a StreamLines chart. */
function renderFigure(extra?: (figure: HTMLElement) => void) {
  const { container } = render(
    createElement(
      'figure',
      { 'data-testid': 'figure-x', style: { fontFamily: 'Arial' } },
      createElement('h2', null, 'Title of the figure'),
      createElement(
        'p',
        { className: 'legend' },
        createElement('span', { style: { color: 'red' } }, 'a'),
        createElement('span', { style: { color: 'rgb(0, 128, 0)' } }, 'b line'),
      ),
      createElement(StreamLines, {
        series: SERIES,
        yDomain: [0.9, 1],
        yTicks: [0.9, 0.95, 1],
        yFormat: (v: number) => `${v * 100}%`,
        xLabel: 'training iteration',
        height: 300,
        label: 'test chart',
      }),
    ),
  );
  const figure = container.querySelector<HTMLElement>('[data-testid="figure-x"]')!;
  extra?.(figure);
  return figure;
}

function parse(svg: string): Document {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.querySelector('parsererror')).toBeNull();
  return doc;
}

/** The children of the root <svg> that are the charts (nested <svg> or <image>). */
const chartNodes = (doc: Document) =>
  Array.from(doc.documentElement.children).filter(
    (c) => c.localName === 'svg' || c.localName === 'image',
  );

describe('figureSvg', () => {
  it('is a parseable standalone SVG with the same line paths, the title, the legend and a white background', () => {
    const figure = renderFigure();
    const out = figureSvg(figure);
    expect(out.startsWith('<?xml')).toBe(true);
    const doc = parse(out);
    const root = doc.documentElement;
    expect(root.localName).toBe('svg');
    expect(root.namespaceURI).toBe(SVG_NS);
    expect(out).toMatch(/<svg[^>]* xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);

    const live = Array.from(figure.querySelectorAll('path[data-testid="stream-line"]')).map((p) =>
      p.getAttribute('d'),
    );
    expect(live).toHaveLength(2);
    expect(live.every((d) => d && d.length > 10)).toBe(true);
    const exported = Array.from(root.querySelectorAll('path[data-testid="stream-line"]')).map((p) =>
      p.getAttribute('d'),
    );
    expect(exported).toEqual(live);
    // Axis labels come along too.
    expect(root.textContent).toContain('training iteration');
    expect(root.textContent).toContain('95%');

    // The background is the first thing drawn and covers the whole document.
    const bg = root.firstElementChild!;
    expect(bg.localName).toBe('rect');
    expect(bg.getAttribute('fill')).toBe('#ffffff');
    expect(bg.getAttribute('width')).toBe(root.getAttribute('width'));
    expect(bg.getAttribute('height')).toBe(root.getAttribute('height'));

    const title = root.querySelector('[data-export="title"]')!;
    expect(title.textContent).toBe('Title of the figure');
    const legend = root.querySelector('[data-export="legend"]')!;
    const runs = Array.from(legend.querySelectorAll('tspan[fill]')).map((t) => [
      t.textContent,
      t.getAttribute('fill'),
    ]);
    expect(runs).toEqual([
      ['a', 'red'],
      ['b line', 'rgb(0, 128, 0)'],
    ]);
    // Header text sits above the chart.
    const chart = chartNodes(doc)[0]!;
    expect(Number(legend.getAttribute('y'))).toBeGreaterThan(Number(title.getAttribute('y')));
    expect(Number(chart.getAttribute('y'))).toBeGreaterThan(Number(legend.getAttribute('y')));
  });

  it('inlines the listed computed styles on every drawn element, and only those', () => {
    const style = document.createElement('style');
    style.textContent =
      '.stream-lines text { font-family: Georgia; font-weight: 700; cursor: pointer } ' +
      '.stream-lines path { stroke-width: 3px; stroke-dasharray: 2 2; opacity: 0.5; stroke: rgb(1, 2, 3); fill: none; color: green }';
    document.head.appendChild(style);
    const figure = renderFigure();
    const doc = parse(figureSvg(figure));
    const chart = chartNodes(doc)[0]!;
    const paths = Array.from(chart.querySelectorAll('path'));
    expect(paths).toHaveLength(2);
    for (const p of paths) {
      const s = p.getAttribute('style')!;
      expect(s).toContain('stroke-width: 3px');
      expect(s).toContain('stroke-dasharray: 2 2');
      expect(s).toContain('opacity: 0.5');
      expect(s).toContain('stroke: rgb(1, 2, 3)');
      expect(s).toContain('fill: none');
      expect(s).not.toContain('color: green');
    }
    const texts = Array.from(chart.querySelectorAll('text'));
    expect(texts.length).toBeGreaterThan(3);
    for (const t of texts) {
      const s = t.getAttribute('style')!;
      expect(s).toContain('font-family: Georgia');
      expect(s).toContain('font-weight: 700');
      expect(s).not.toContain('cursor');
    }
    // Every drawn element carries a style, and every declaration in it is one of the listed
    // properties.
    const drawn = [chart, ...Array.from(chart.querySelectorAll('*'))].filter(
      (el) => el.localName !== 'title',
    );
    for (const el of drawn) {
      const props = (el.getAttribute('style') ?? '')
        .split(';')
        .map((d) => d.split(':')[0]!.trim())
        .filter(Boolean);
      expect(props.length, `${el.localName} has inlined styles`).toBeGreaterThan(0);
      for (const p of props) expect(INLINED_PROPERTIES as readonly string[]).toContain(p);
    }
    // The page's own inline style on the chart is not carried over; the figure's font is.
    expect(chart.getAttribute('style')).toContain('font-family: Arial');
  });

  it('leaves the live figure exactly as it was', () => {
    const figure = renderFigure((f) => {
      const canvas = document.createElement('canvas');
      canvas.width = 28;
      canvas.height = 28;
      f.appendChild(canvas);
    });
    vi.spyOn(HTMLCanvasElement.prototype, 'toDataURL').mockReturnValue(
      'data:image/png;base64,AAAA',
    );
    const before = figure.outerHTML;
    const head = document.head.innerHTML;
    const bodyChildren = document.body.childNodes.length;
    figureSvg(figure);
    expect(figure.outerHTML).toBe(before);
    expect(document.head.innerHTML).toBe(head);
    expect(document.body.childNodes.length).toBe(bodyChildren);
    expect(figure.querySelector('svg')!.hasAttribute('x')).toBe(false);
  });

  it('embeds a canvas as a PNG image at its rendered size, after the SVG chart', () => {
    const figure = renderFigure((f) => {
      const canvas = document.createElement('canvas');
      canvas.width = 28;
      canvas.height = 28;
      canvas.style.width = '252px';
      canvas.style.height = '252px';
      canvas.style.imageRendering = 'pixelated';
      f.appendChild(canvas);
    });
    const dataUrl =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABwAAAAcCAYAAAByDd+UAAAAEklEQVR42mNgGAWjYBSMAmoBAAQ4AAF1hM7cAAAAAElFTkSuQmCC';
    const toDataURL = vi.spyOn(HTMLCanvasElement.prototype, 'toDataURL').mockReturnValue(dataUrl);
    const doc = parse(figureSvg(figure));
    expect(toDataURL).toHaveBeenCalledWith('image/png');
    const [chart, image] = chartNodes(doc);
    expect(chart!.localName).toBe('svg');
    expect(image!.localName).toBe('image');
    expect(image!.getAttribute('href')).toBe(dataUrl);
    expect(image!.getAttribute('width')).toBe('252');
    expect(image!.getAttribute('height')).toBe('252');
    expect(image!.getAttribute('style')).toBe('image-rendering: pixelated');
    // Stacked: the image starts below the chart (viewBox 640×300 in a layout-less DOM).
    expect(Number(image!.getAttribute('y'))).toBeGreaterThanOrEqual(
      Number(chart!.getAttribute('y')) + 300,
    );
  });

  it('stacks several charts vertically at their rendered sizes and sizes the document to hold them', () => {
    const figure = renderFigure((f) => {
      const extra = document.createElementNS(SVG_NS, 'svg');
      extra.setAttribute('viewBox', '0 0 320 150');
      extra.appendChild(document.createElementNS(SVG_NS, 'rect')).setAttribute('width', '10');
      // A nested <svg> belongs to its chart; it is not a chart of its own.
      extra.appendChild(document.createElementNS(SVG_NS, 'svg')).setAttribute('viewBox', '0 0 5 5');
      f.appendChild(extra);
    });
    const svgs = figure.querySelectorAll('svg');
    // The first chart is laid out at 500×234.375 on the page; the second has no layout (viewBox
    // fallback).
    vi.spyOn(svgs[0]!, 'getBoundingClientRect').mockReturnValue({
      x: 0,
      y: 0,
      top: 0,
      left: 0,
      right: 500,
      bottom: 234.375,
      width: 500,
      height: 234.375,
      toJSON: () => ({}),
    });
    const doc = parse(figureSvg(figure));
    const charts = chartNodes(doc);
    expect(charts).toHaveLength(2);
    const [a, b] = charts.map((c) => ({
      x: Number(c.getAttribute('x')),
      y: Number(c.getAttribute('y')),
      w: Number(c.getAttribute('width')),
      h: Number(c.getAttribute('height')),
    }));
    expect(a).toMatchObject({ w: 500, h: 234.38 });
    expect(b).toMatchObject({ w: 320, h: 150 });
    expect(b!.x).toBe(a!.x);
    expect(b!.y).toBeGreaterThanOrEqual(a!.y + a!.h);
    // Each chart keeps its viewBox, so it scales into its box as on the page.
    expect(charts[0]!.getAttribute('viewBox')).toBe('0 0 640 300');
    const root = doc.documentElement;
    expect(Number(root.getAttribute('width'))).toBeGreaterThanOrEqual(a!.x + 500);
    expect(Number(root.getAttribute('height'))).toBeGreaterThanOrEqual(b!.y + 150);
    expect(root.getAttribute('viewBox')).toBe(
      `0 0 ${root.getAttribute('width')} ${root.getAttribute('height')}`,
    );
    expect(svgSize(new XMLSerializer().serializeToString(root))).toEqual({
      width: Number(root.getAttribute('width')),
      height: Number(root.getAttribute('height')),
    });
  });

  it('takes an explicit title over the h2, and leaves export buttons out of the title', () => {
    const figure = renderFigure((f) => {
      const h2 = f.querySelector('h2')!;
      const buttons = h2.appendChild(document.createElement('span'));
      buttons.className = 'figure-export';
      buttons.appendChild(document.createElement('button')).textContent = 'SVG';
    });
    const fromH2 = parse(figureSvg(figure)).querySelector('[data-export="title"]')!;
    expect(fromH2.textContent).toBe('Title of the figure');
    const given = parse(figureSvg(figure, { title: 'Accuracy <& more>' })).querySelector(
      '[data-export="title"]',
    )!;
    expect(given.textContent).toBe('Accuracy <& more>');
  });
});

/** An Image whose load fails (or succeeds) as soon as its src is set, as a browser's would. */
function fakeImage(outcome: 'error' | 'load') {
  const seen: string[] = [];
  class FakeImage {
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    set src(url: string) {
      seen.push(url);
      queueMicrotask(() => (outcome === 'load' ? this.onload?.() : this.onerror?.()));
    }
  }
  vi.stubGlobal('Image', FakeImage);
  return seen;
}

describe('svgToPng', () => {
  // happy-dom cannot rasterise: the real PNG is checked in a browser test. Here: the failure paths.
  it('rejects with a clear error when the SVG does not load as an image, and revokes its URL', async () => {
    const seen = fakeImage('error');
    const created = vi.spyOn(URL, 'createObjectURL');
    const revoked = vi.spyOn(URL, 'revokeObjectURL');
    await expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg"/>', 100, 50)).rejects.toThrow(
      'could not load the figure SVG as an image',
    );
    expect(created).toHaveBeenCalledTimes(1);
    const blob = created.mock.calls[0]![0] as Blob;
    expect(blob.type).toBe('image/svg+xml;charset=utf-8');
    expect(await blob.text()).toBe('<svg xmlns="http://www.w3.org/2000/svg"/>');
    const url = created.mock.results[0]!.value as string;
    expect(seen).toEqual([url]);
    expect(revoked).toHaveBeenCalledWith(url);
  });

  it('rejects, and still revokes, when there is no canvas to draw on', async () => {
    fakeImage('load');
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    const revoked = vi.spyOn(URL, 'revokeObjectURL');
    await expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg"/>', 100, 50)).rejects.toThrow(
      'no 2D canvas context',
    );
    expect(revoked).toHaveBeenCalledTimes(1);
  });

  it('refuses an empty size without loading anything', async () => {
    const created = vi.spyOn(URL, 'createObjectURL');
    await expect(svgToPng('<svg/>', 0, 50)).rejects.toThrow('cannot rasterise a 0×50 figure');
    expect(created).not.toHaveBeenCalled();
  });
});
