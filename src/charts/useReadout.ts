/**
 * A streaming chart's readout cursor (issue 15): which x the pointer or the keyboard points at,
 * and the frame's handlers. The keys move it as the grid charts' cursor does (cursor.ts, one
 * row); only ← → Home End are taken, so ↑ ↓ still scroll the page.
 */
import { type KeyboardEvent, type PointerEvent, useMemo, useState } from 'react';
import { moveCursor } from './cursor';
import { nearestIndex, type ReadoutSeries, readoutXs } from './readout';

const KEYS = new Set(['ArrowLeft', 'ArrowRight', 'Home', 'End']);

export function useReadout(
  series: readonly ReadoutSeries[],
  x: (v: number) => number,
  /** The chart's width in SVG units (its viewBox). */
  width: number,
) {
  // An index into every x the series have a point at.
  const [cursor, setCursor] = useState<number | null>(null);
  // Only while a cursor is shown: a streaming chart re-renders with every point batch.
  const xs = useMemo(() => (cursor === null ? [] : readoutXs(series)), [series, cursor]);
  const at = cursor === null ? undefined : xs[Math.min(cursor, xs.length - 1)];
  const frameProps = {
    'data-keys': 'readout',
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
      if (!KEYS.has(e.key)) return;
      const next = moveCursor(
        e.key,
        cursor === null ? null : { col: cursor, row: 0 },
        readoutXs(series).length,
        1,
      );
      if (!next) return;
      e.preventDefault();
      setCursor(next.col);
    },
    onBlur: () => setCursor(null),
    onPointerLeave: (e: PointerEvent<HTMLElement>) => {
      if (document.activeElement !== e.currentTarget) setCursor(null);
    },
    onPointerMove: (e: PointerEvent<HTMLElement>) => {
      const box = e.currentTarget.querySelector('svg')?.getBoundingClientRect();
      const all = readoutXs(series);
      if (!box || box.width === 0 || all.length === 0) return;
      const vx = ((e.clientX - box.left) / box.width) * width;
      setCursor(
        nearestIndex(
          all.map((v) => x(v)),
          vx,
        ),
      );
    },
  };
  return { at, frameProps };
}
