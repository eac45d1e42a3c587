// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AccuracyChart, accuracyAxis, accuracyLabel, errorOf } from './AccuracyChart';
import { PmChart } from './PmChart';
import { niceTicks } from './ticks';
import { xyOf } from './xy';

afterEach(cleanup);

describe('StreamLines and the accuracy chart', () => {
  it('nice ticks are round and cover the range', () => {
    expect(niceTicks(3000)).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000]);
    expect(niceTicks(60)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(niceTicks(0)).toEqual([0]);
  });

  it('the accuracy axis holds every point: chance level at iteration 0 and 99%+ alike', () => {
    // A control before training (8%) and a ticket at 98.6%: 5% … 99% accuracy, nothing clipped.
    const wide = accuracyAxis(0.08, 0.986);
    expect(wide.domain).toEqual([0.95, 0.01]);
    expect(wide.ticks.map(accuracyLabel)).toEqual([
      '5%',
      '10%',
      '20%',
      '50%',
      '80%',
      '90%',
      '95%',
      '98%',
      '99%',
    ]);
    // Curves that all sit above 90% keep the familiar 90%-99% range, no wider.
    expect(accuracyAxis(0.93, 0.985).domain).toEqual([0.1, 0.01]);
    // Past 99.5% the top extends; below 1% accuracy the bottom is the point itself.
    expect(accuracyAxis(0.95, 0.997).domain).toEqual([0.1, 0.002]);
    expect(accuracyAxis(0.001, 0.98).domain[0]).toBeCloseTo(0.999);
    expect(errorOf(1)).toBeGreaterThan(0); // a perfect score is drawn at the top, not at -∞
    expect(accuracyLabel(0.005)).toBe('99.5%');
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

  it('reads out exact values from the keyboard: Home, then → to the next x, ← back', () => {
    render(
      <AccuracyChart
        series={[
          {
            key: 'a',
            label: 'winning ticket',
            color: '#000',
            dashed: false,
            points: [
              { iteration: 0, testAccuracy: 0.85 },
              { iteration: 100, testAccuracy: 0.9712 },
            ],
          },
        ]}
      />,
    );
    const frame = screen.getByRole('group', { name: /Arrow keys read the values/ });
    const readout = screen.getByTestId('readout');
    fireEvent.keyDown(frame, { key: 'Home' });
    expect(readout.textContent).toBe('iteration 0: winning ticket 85.00%');
    fireEvent.keyDown(frame, { key: 'ArrowRight' });
    expect(readout.textContent).toBe('iteration 100: winning ticket 97.12%');
    fireEvent.keyDown(frame, { key: 'ArrowRight' }); // stays at the end
    fireEvent.keyDown(frame, { key: 'ArrowLeft' });
    expect(readout.textContent).toBe('iteration 0: winning ticket 85.00%');
  });

  it('a P_m chart on a fixed axis marks chance level with a labelled line, at its height', () => {
    render(
      <PmChart
        series={[
          {
            key: 'ticket',
            label: 'winning ticket',
            color: '#000',
            dashed: false,
            points: [
              { remainingPct: 100, value: 0.1 },
              { remainingPct: 64.06, value: 0.7 },
            ],
          },
        ]}
        yLabel="test accuracy before training"
        format={(v) => `${(100 * v).toFixed(0)}%`}
        yAxis={{ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] }}
        yGuides={[{ y: 0.1, label: 'chance 10%' }]}
      />,
    );
    const guide = screen.getByTestId('y-guide');
    expect(guide.textContent).toBe('chance 10%');
    // The fixed axis runs 0%-100% whatever the points: the 0% and 100% grid lines bound it, and
    // chance sits a tenth of the way up, where the dense net's point is drawn.
    const gridYs = Array.from(document.querySelectorAll('.grid line'))
      .filter((l) => l.getAttribute('y1') === l.getAttribute('y2'))
      .map((l) => Number(l.getAttribute('y1')));
    const [bottom, top] = [Math.max(...gridYs), Math.min(...gridYs)];
    const y = Number(guide.querySelector('line')!.getAttribute('y1'));
    expect((bottom - y) / (bottom - top)).toBeCloseTo(0.1, 6);
    const start = screen
      .getByTestId('stream-line')
      .getAttribute('d')!
      .match(/-?\d+(\.\d+)?/g)!;
    expect(Number(start[1])).toBeCloseTo(y, 6);
    // The readout says a round's P_m as 64.1%, not 64.06%.
    fireEvent.keyDown(screen.getByRole('group', { name: /Arrow keys/ }), { key: 'Home' });
    expect(screen.getByTestId('readout').textContent).toBe('P_m 64.1%: winning ticket 70%');
  });
});
