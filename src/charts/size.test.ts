import { describe, expect, it } from 'vitest';
import { panelGrid } from './HistogramChart';
import { PRESENTER_ZOOM, chartBox } from './size';
import { spacedTicks } from './ticks';

describe('chartBox', () => {
  it('keeps the design size until measured, and scales up on a wide screen as before', () => {
    expect(chartBox(null, 640, 300)).toEqual({ width: 640, height: 300 });
    expect(chartBox(1200, 640, 300)).toEqual({ width: 640, height: 300 });
  });
  it('draws a narrow chart with fewer units, so its text keeps its size (a phone)', () => {
    const box = chartBox(340, 640, 300);
    expect(box.width).toBe(340);
    expect(340 / box.width).toBe(1); // 12-unit ticks at 12 px, not 6.4
  });
  it('in presenter mode zooms by a fixed factor and grows with the screen', () => {
    const box = chartBox(1200, 640, 300, true, 1080);
    expect(1200 / box.width).toBeCloseTo(PRESENTER_ZOOM, 2);
    expect(12 * PRESENTER_ZOOM).toBeGreaterThanOrEqual(20);
    expect(box.height * PRESENTER_ZOOM).toBeGreaterThan(chartBox(1200, 640, 300, true, 720).height);
  });
});

describe('panelGrid', () => {
  it('lays three panels across a wide grid, and units that keep the text at 12 px or more', () => {
    const phone = panelGrid(340, false, 844, 3);
    expect(phone.columns).toBe(1);
    expect(340 / phone.width).toBeGreaterThanOrEqual(1);
    // auto-fit: three panels share a 1,880 px row, they are not drawn five columns narrow.
    const wide = panelGrid(1880, true, 1080, 3);
    expect(wide.columns).toBe(3);
    expect((1880 - 24) / 3 / wide.width).toBeCloseTo(PRESENTER_ZOOM, 1);
  });
});

describe('spacedTicks', () => {
  it('keeps the wanted ticks first and drops those that would crowd them', () => {
    const at = (t: number) => t * 10;
    expect(spacedTicks([0, 5, 1, 2, 3], at, 16).sort()).toEqual([0, 2, 5]);
  });
});
