// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AccuracyChart, ticksFrom } from './AccuracyChart';
import { niceTicks } from './StreamLines';
import { xyOf } from './xy';

afterEach(cleanup);

describe('StreamLines and the accuracy chart', () => {
  it('nice ticks are round and cover the range', () => {
    expect(niceTicks(3000)).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000]);
    expect(niceTicks(60)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(niceTicks(0)).toEqual([0]);
    expect(ticksFrom(0.9)).toEqual([0.9, 0.92, 0.94, 0.96, 0.98, 1]);
  });

  it('maps the same source array to the same {x, y} array (so memoised lines skip work)', () => {
    const pts = [
      { iteration: 0, testAccuracy: 0.1 },
      { iteration: 10, testAccuracy: 0.9 },
    ];
    const a = xyOf(pts, 'iteration', 'testAccuracy');
    expect(a).toEqual([
      { x: 0, y: 0.1 },
      { x: 10, y: 0.9 },
    ]);
    expect(xyOf(pts, 'iteration', 'testAccuracy')).toBe(a);
    expect(xyOf([...pts], 'iteration', 'testAccuracy')).not.toBe(a);
  });

  it('draws one path per series, higher accuracy higher up, and a marker at each early stop', () => {
    render(
      <AccuracyChart
        series={[
          {
            key: 'a',
            label: 'dense',
            color: '#000',
            dashed: false,
            points: [
              { iteration: 0, testAccuracy: 0.92 },
              { iteration: 100, testAccuracy: 0.97 },
            ],
            earlyStop: { iteration: 100, testAccuracy: 0.97 },
          },
          {
            key: 'b',
            label: 'reinit',
            color: '#f00',
            dashed: true,
            points: [{ iteration: 0, testAccuracy: 0.91 }],
          },
        ]}
      />,
    );
    const paths = screen.getAllByTestId('stream-line');
    expect(paths).toHaveLength(2);
    expect(paths[1]!.getAttribute('stroke-dasharray')).toBe('5 4');
    // The dense line rises: its end (x = 100) is drawn above (smaller y) its start.
    const coords = paths[0]!
      .getAttribute('d')!
      .match(/-?\d+(\.\d+)?/g)!
      .map(Number);
    expect(coords[3]!).toBeLessThan(coords[1]!);
    expect(screen.getAllByTestId('stream-marker')).toHaveLength(1);
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain('2 lines');
  });
});
