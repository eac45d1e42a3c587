// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { HistogramChart, type HistogramLayer } from './HistogramChart';

afterEach(cleanup);

const BINS = 40;

/** A Gaussian histogram of a layer's θ0 over ±4σ, and its survivors with |θ0| < cut pruned. */
function layer(l: number, fanIn: number, fanOut: number, cut: number): HistogramLayer {
  const sigma = Math.sqrt(2 / (fanIn + fanOut));
  const edges = Float64Array.from(
    { length: BINS + 1 },
    (_, i) => -4 * sigma + (8 * sigma * i) / BINS,
  );
  const n = fanIn * fanOut;
  const dens = Array.from({ length: BINS }, (_, i) =>
    Math.exp(-0.5 * ((edges[i]! + edges[i + 1]!) / 2 / sigma) ** 2),
  );
  const z = dens.reduce((a, b) => a + b, 0);
  const all = Uint32Array.from(dens, (d) => Math.round((n * d) / z));
  const surviving = all.map((c, i) =>
    Math.abs((edges[i]! + edges[i + 1]!) / 2) < cut * sigma ? 0 : c,
  );
  return { layer: l, edges, all, surviving };
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
const LAYERS = [layer(0, 784, 300, 1.0), layer(1, 300, 100, 0.5), layer(2, 100, 10, 0)];

describe('HistogramChart', () => {
  it('draws one panel per layer, titled with its shape and the surviving share', () => {
    render(<HistogramChart layers={LAYERS} title="θ0 histograms" />);
    const panels = screen.getAllByTestId('histogram-layer');
    expect(panels).toHaveLength(3);
    LAYERS.forEach((l, i) => {
      const share = (100 * sum(l.surviving)) / sum(l.all);
      const dims = ['784→300', '300→100', '100→10'][i];
      expect(within(panels[i]!).getByTestId('histogram-title').textContent).toBe(
        `layer ${i + 1} (${dims}) · ${share.toFixed(1)}% survive`,
      );
      expect(panels[i]!.getAttribute('data-surviving')).toBe(String(sum(l.surviving)));
      expect(panels[i]!.getAttribute('data-total')).toBe(String(sum(l.all)));
    });
    expect(screen.getByText('θ0 histograms')).toBeTruthy();
    // The last layer keeps everything; the first keeps only the tails.
    expect(within(panels[2]!).getByTestId('histogram-title').textContent).toContain(
      '100.0% survive',
    );
  });

  it('draws a grey bar per non-empty bin and no survivor bar where the middle was pruned', () => {
    render(<HistogramChart layers={[LAYERS[0]!]} />);
    const panel = screen.getByTestId('histogram-layer');
    const all = within(panel).getAllByTestId('bar-all');
    const kept = within(panel).getAllByTestId('bar-surviving');
    expect(all).toHaveLength(Array.from(LAYERS[0]!.all).filter((c) => c > 0).length);
    const nonZero = Array.from(LAYERS[0]!.surviving).filter((c) => c > 0);
    expect(kept).toHaveLength(nonZero.length);
    expect(kept.length).toBeLessThan(all.length);
    for (const b of kept) expect(Number(b.getAttribute('data-count'))).toBeGreaterThan(0);
    // Bimodal: survivor bars sit either side of zero, none straddles the pruned middle.
    const xs = kept.map((b) => Number(b.getAttribute('x')));
    const mid = (Math.min(...xs) + Math.max(...xs)) / 2;
    expect(xs.some((x) => x < mid) && xs.some((x) => x > mid)).toBe(true);
  });

  it('orders bar heights as the counts, with the survivors scaled to their own peak', () => {
    render(<HistogramChart layers={[LAYERS[0]!]} height={150} />);
    const panel = screen.getByTestId('histogram-layer');
    for (const id of ['bar-all', 'bar-surviving']) {
      const bars = within(panel)
        .getAllByTestId(id)
        .map((b) => ({
          c: Number(b.getAttribute('data-count')),
          h: Number(b.getAttribute('height')),
        }));
      const byCount = [...bars].sort((a, b) => a.c - b.c);
      for (let i = 1; i < byCount.length; i++)
        expect(byCount[i]!.h).toBeGreaterThanOrEqual(byCount[i - 1]!.h);
      const peak = Math.max(...bars.map((b) => b.h));
      // Both series reach the same full plot height although the survivors are far fewer.
      expect(peak).toBeCloseTo(150 - 2 * 22, 6);
      for (const b of bars)
        expect(b.h).toBeCloseTo((peak * b.c) / Math.max(...bars.map((x) => x.c)), 6);
    }
  });

  it('draws no survivor bars when nothing survives, and says 0%', () => {
    const l = { ...LAYERS[1]!, surviving: new Uint32Array(BINS) };
    render(<HistogramChart layers={[l]} />);
    const panel = screen.getByTestId('histogram-layer');
    expect(within(panel).queryAllByTestId('bar-surviving')).toHaveLength(0);
    expect(panel.getAttribute('data-surviving')).toBe('0');
    expect(within(panel).getByTestId('histogram-title').textContent).toBe(
      'layer 2 (300→100) · 0% survive',
    );
  });

  it('makes each panel a focusable image whose label summarises it, and states the scaling', () => {
    render(<HistogramChart layers={LAYERS} />);
    const root = screen.getByTestId('histogram-chart');
    expect(root.getAttribute('aria-label')).toContain('scaled to their own peak');
    const panels = screen.getAllByRole('img');
    expect(panels).toHaveLength(3);
    expect(panels.every((p) => p.getAttribute('tabindex') === '0')).toBe(true);
    expect(panels[0]!.getAttribute('aria-label')).toContain('layer 1 (784→300)');
    expect(panels[2]!.getAttribute('aria-label')).toContain(
      'layer 3 (100→10) · 100.0% survive; 31% of the survivors near zero',
    );
    expect(root.textContent).toContain('scaled to their own peak');
  });

  it('reads out a bin’s exact counts from the keyboard, from the middle outwards', () => {
    render(<HistogramChart layers={LAYERS} />);
    const panel = screen.getAllByTestId('histogram-layer')[0]!;
    fireEvent.keyDown(panel, { key: 'ArrowRight' });
    const l = LAYERS[0]!;
    const edge = (i: number) => l.edges[i]!.toPrecision(2);
    // The first press lands on the middle bin (θ0 from 0), pruned away in this layer.
    expect(screen.getByTestId('histogram-readout').textContent).toBe(
      `layer 1 (784→300), θ0 from ${edge(20)} to ${edge(21)}: ${l.all[20]!.toLocaleString('en-US')} of all θ0, 0 survive`,
    );
    expect(within(panel).getAllByTestId('bin-cursor')).toHaveLength(1);
    fireEvent.keyDown(panel, { key: 'End' });
    expect(screen.getByTestId('histogram-readout').textContent).toContain(
      `${l.surviving[39]!.toLocaleString('en-US')} survive`,
    );
  });

  it('names whose survivors blue draws, and calls the axis θ0 only where their values are θ0', () => {
    const blue = { whose: 'random reinit', values: 'a fresh Glorot draw', theta0: false };
    render(<HistogramChart layers={LAYERS} blue={blue} />);
    const root = screen.getByTestId('histogram-chart');
    expect(root.getAttribute('aria-label')).toContain(
      'blue, the survivors of random reinit (a fresh Glorot draw), scaled to their own peak',
    );
    expect(root.textContent).toContain(
      'the survivors of random reinit: a fresh Glorot draw (scaled to their own peak)',
    );
    expect(root.textContent).toContain('x: initial weight');
    expect(root.textContent).not.toContain('x: initial weight θ0');
    expect(root.textContent).toContain('survivors near zero (|initial weight| < σ/2)');
    fireEvent.keyDown(screen.getAllByTestId('histogram-layer')[0]!, { key: 'ArrowRight' });
    expect(screen.getByTestId('histogram-readout').textContent).toMatch(
      /^layer 1 \(784→300\), initial weight from .*of all θ0, 0 survive$/,
    );
  });

  it('tabulates each layer’s survivors near zero and whether they dip there', () => {
    render(<HistogramChart layers={LAYERS} />);
    const rows = within(screen.getByTestId('histogram-data')).getAllByRole('row');
    expect(rows.map((r) => r.lastElementChild!.textContent)).toEqual([
      'dip at zero',
      'yes',
      'yes',
      'no',
    ]);
  });

  it('shows a message, not empty panels, before the first round', () => {
    render(<HistogramChart layers={[]} />);
    expect(screen.queryAllByTestId('histogram-layer')).toHaveLength(0);
    expect(screen.getByTestId('histogram-empty')).toBeTruthy();
  });

  it('re-renders in place when the next round arrives', () => {
    const { rerender } = render(<HistogramChart layers={LAYERS} />);
    const first = screen.getAllByTestId('histogram-layer')[0]!;
    const next = [layer(0, 784, 300, 2), LAYERS[1]!, LAYERS[2]!];
    rerender(<HistogramChart layers={next} presenter />);
    const again = screen.getAllByTestId('histogram-layer')[0]!;
    expect(again).toBe(first);
    expect(again.getAttribute('data-surviving')).toBe(String(sum(next[0]!.surviving)));
  });
});
