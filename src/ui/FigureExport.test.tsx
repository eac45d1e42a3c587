// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StreamLines } from '../charts/StreamLines';
import { FigureExport } from './FigureExport';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function Page() {
  return (
    <figure data-testid="figure-accuracy">
      <h2>
        1 · Test accuracy while training <FigureExport targetId="figure-accuracy" name="accuracy" />
      </h2>
      <p className="legend">
        <span style={{ color: 'red' }}>━ ticket</span>
      </p>
      <StreamLines
        series={[
          {
            key: 'a',
            label: 'ticket',
            color: 'red',
            points: [
              { x: 0, y: 0.9 },
              { x: 10, y: 0.95 },
            ],
          },
        ]}
        yDomain={[0.9, 1]}
        yTicks={[0.9, 1]}
        yFormat={String}
        xLabel="training iteration"
        label="chart"
      />
    </figure>
  );
}

/** Captures what downloadBlob hands the browser: the blob (object URL) and the clicked link. */
function spyDownloads() {
  const blobs: Blob[] = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
    blobs.push(b as Blob);
    return `blob:test/${blobs.length}`;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  const links: { href: string; download: string }[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    links.push({ href: this.href, download: this.download });
  });
  return { blobs, links };
}

/** Lets the click's promise chain settle and React commit the status. */
const settle = () =>
  act(async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  });

describe('FigureExport', () => {
  it('renders two labelled buttons', () => {
    render(<FigureExport targetId="figure-accuracy" name="accuracy" />);
    const svg = screen.getByTestId('export-accuracy-svg');
    const png = screen.getByTestId('export-accuracy-png');
    expect([svg.textContent, png.textContent]).toEqual(['SVG', 'PNG']);
    expect(svg.className).toBe('export');
    expect(svg.getAttribute('aria-label')).toBe('Download this figure as SVG');
    expect(png.getAttribute('aria-label')).toBe('Download this figure as PNG');
    expect(svg.getAttribute('type')).toBe('button');
  });

  it('downloads the figure as an SVG file holding its title, chart and legend', async () => {
    const { blobs, links } = spyDownloads();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(<Page />);
    fireEvent.click(screen.getByTestId('export-accuracy-svg'));
    await settle();
    expect(error).not.toHaveBeenCalled();
    expect(blobs).toHaveLength(1);
    expect(blobs[0]!.type).toBe('image/svg+xml');
    const text = await blobs[0]!.text();
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    // The title, without the buttons' own labels.
    expect(doc.querySelector('[data-export="title"]')!.textContent).toBe(
      '1 · Test accuracy while training',
    );
    expect(doc.querySelector('[data-export="legend"]')!.textContent).toBe('━ ticket');
    const live = document.querySelector('path[data-testid="stream-line"]')!.getAttribute('d');
    expect(doc.querySelector('path[data-testid="stream-line"]')!.getAttribute('d')).toBe(live);
    expect(links).toHaveLength(1);
    expect(links[0]!.href).toBe('blob:test/1');
    expect(links[0]!.download).toMatch(/^lottery-ticket-lab-accuracy-\d{4}-\d{2}-\d{2}\.svg$/);
    expect(screen.queryByTestId('export-accuracy-status')).toBeNull();
  });

  it('says the export failed, and throws nothing, when the figure is not on the page', async () => {
    const { blobs, links } = spyDownloads();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(<FigureExport targetId="figure-nowhere" name="nowhere" />);
    expect(() => fireEvent.click(screen.getByTestId('export-nowhere-svg'))).not.toThrow();
    await settle();
    expect(screen.getByTestId('export-nowhere-status').textContent).toBe(
      'export failed: no figure "figure-nowhere" on the page',
    );
    expect(error).toHaveBeenCalledTimes(1);
    expect(blobs).toHaveLength(0);
    expect(links).toHaveLength(0);
    // The buttons stay usable.
    expect((screen.getByTestId('export-nowhere-png') as HTMLButtonElement).disabled).toBe(false);
  });

  it('reports a PNG that cannot be rasterised instead of downloading anything', async () => {
    // happy-dom has no rasteriser; an image that fails to load stands in for a browser refusing the
    // SVG.
    class FailingImage {
      onload: (() => void) | null = null;
      onerror: (() => void) | null = null;
      set src(_url: string) {
        queueMicrotask(() => this.onerror?.());
      }
    }
    vi.stubGlobal('Image', FailingImage);
    const { blobs, links } = spyDownloads();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(<Page />);
    fireEvent.click(screen.getByTestId('export-accuracy-png'));
    await settle();
    expect(screen.getByTestId('export-accuracy-status').textContent).toBe(
      'export failed: the browser could not load the figure SVG as an image',
    );
    expect(error).toHaveBeenCalledTimes(1);
    // Only the SVG handed to the image was turned into a URL; nothing was downloaded.
    expect(blobs.map((b) => b.type)).toEqual(['image/svg+xml;charset=utf-8']);
    expect(links).toHaveLength(0);
  });

  it('clears an old failure when the next export succeeds', async () => {
    spyDownloads();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    render(<FigureExport targetId="figure-late" name="late" />);
    fireEvent.click(screen.getByTestId('export-late-svg'));
    await settle();
    expect(screen.getByTestId('export-late-status').textContent).toContain('export failed');
    // The figure appears (its round completed); the same buttons now succeed.
    const figure = document.body.appendChild(document.createElement('figure'));
    figure.setAttribute('data-testid', 'figure-late');
    figure.innerHTML = '<h2>Late</h2>';
    try {
      fireEvent.click(screen.getByTestId('export-late-svg'));
      await settle();
      expect(screen.queryByTestId('export-late-status')).toBeNull();
    } finally {
      figure.remove();
    }
  });
});
