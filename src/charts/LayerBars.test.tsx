// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LayerBars } from './LayerBars';

afterEach(cleanup);
const names = ['layer 1 (784→300)', 'layer 2 (300→100)', 'layer 3 (100→10)'];

describe('LayerBars', () => {
  it('draws one bar per layer per round, as tall as the fraction remaining', () => {
    const { getAllByTestId } = render(
      <LayerBars
        rounds={[
          { round: 0, layers: [1, 1, 1] },
          { round: 1, layers: [0.8, 0.8, 0.9] },
        ]}
        layerNames={names}
        height={220}
      />,
    );
    const bars = getAllByTestId('layer-bar');
    expect(bars).toHaveLength(6);
    const h = bars.map((b) => Number(b.getAttribute('height')));
    // The plot is 220 − 10 − 40 = 170 units tall.
    expect(h.slice(0, 3)).toEqual([170, 170, 170]);
    expect(h[3]).toBeCloseTo(136, 6);
    expect(h[5]).toBeCloseTo(153, 6);
    expect(bars[4]!.textContent).toBe('round 1, layer 2 (300→100): 80.0%');
  });

  it('reads out a bar from the keyboard, from the latest round, and tabulates every round', () => {
    render(
      <LayerBars
        rounds={[
          { round: 0, layers: [1, 1, 1] },
          { round: 1, layers: [0.8, 0.8, 0.9] },
          { round: 2, layers: [0.64, 0.64, 0.81] },
        ]}
        layerNames={names}
      />,
    );
    const chart = screen.getByRole('img');
    expect(chart.getAttribute('tabindex')).toBe('0');
    fireEvent.keyDown(chart, { key: 'ArrowDown' });
    const readout = screen.getByTestId('layer-bars-readout');
    expect(readout.textContent).toBe('round 2, layer 1 (784→300): 64.0% of its weights remain');
    fireEvent.keyDown(chart, { key: 'ArrowDown' });
    fireEvent.keyDown(chart, { key: 'ArrowDown' });
    fireEvent.keyDown(chart, { key: 'ArrowLeft' });
    expect(readout.textContent).toBe('round 1, layer 3 (100→10): 90.0% of its weights remain');
    expect(chart.getAttribute('aria-describedby')).toBe(readout.id);
    const rows = within(screen.getByTestId('layer-bars-data')).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      `round${names.join('')}`,
      '0100.0%100.0%100.0%',
      '180.0%80.0%90.0%',
      '264.0%64.0%81.0%',
    ]);
  });

  it('thins the round labels out when there are many rounds', () => {
    const rounds = Array.from({ length: 31 }, (_, round) => ({
      round,
      layers: [0.8 ** round, 0.8 ** round, 0.9 ** round],
    }));
    const { container } = render(<LayerBars rounds={rounds} layerNames={names} />);
    const labels = Array.from(container.querySelectorAll('.axis text'))
      .map((t) => t.textContent)
      .filter((t) => /^\d+$/.test(t ?? ''));
    expect(labels).toEqual(['0', '4', '8', '12', '16', '20', '24', '28']);
  });

  it('draws an empty frame before the first round', () => {
    const { queryAllByTestId, getByRole } = render(<LayerBars rounds={[]} layerNames={names} />);
    expect(queryAllByTestId('layer-bar')).toHaveLength(0);
    expect(getByRole('img').getAttribute('aria-label')).toBe(
      'weights remaining per layer, 0 rounds',
    );
  });
});
