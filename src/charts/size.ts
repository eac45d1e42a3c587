/**
 * How big a chart draws (issue 15). An SVG with a fixed viewBox scales its text with its width: a
 * 640-unit chart on a 340 px phone drew 12-unit ticks at 6.4 px, and in presenter mode a chart in
 * a half-width column stayed at desk size. Charts instead measure their box and pick the viewBox
 * from it: never more units than pixels (text is never drawn below its size), and in presenter
 * mode exactly PRESENTER_ZOOM pixels per unit, so 12-unit text is projector-size at any width.
 */
import { useLayoutEffect, useState } from 'react';

/** Pixels per SVG unit in presenter mode: 12-unit ticks at 21 px. */
export const PRESENTER_ZOOM = 1.75;
/** In presenter mode a chart is this share of the screen's height: the rest is its words. */
const PRESENTER_HEIGHT_SHARE = 0.46;

export interface ChartBox {
  /** The viewBox width, in SVG units. */
  width: number;
  /** The viewBox height, in SVG units. */
  height: number;
}

/**
 * The viewBox for a chart drawn `rendered` CSS px wide (null: not measured yet, as in a unit
 * test), designed at `base` × `height` units. Wider than `base` it scales up as before; narrower,
 * it gets fewer units instead of smaller text. In presenter mode the zoom is fixed and the height
 * follows the screen (`screenHeight`), so one figure fills one screen.
 */
export function chartBox(
  rendered: number | null,
  base: number,
  height: number,
  presenter = false,
  screenHeight = 0,
): ChartBox {
  if (rendered === null || rendered <= 0) return { width: base, height };
  if (!presenter) return { width: Math.min(base, Math.round(rendered)), height };
  const fill = Math.round((screenHeight * PRESENTER_HEIGHT_SHARE) / PRESENTER_ZOOM);
  return {
    width: Math.round(rendered / PRESENTER_ZOOM),
    height: Math.max(Math.round(height / PRESENTER_ZOOM), fill),
  };
}

/**
 * The rendered width of an element (CSS px) and the window's height, kept current. The ref is a
 * callback, so an element that mounts later (a chart's empty state first) is measured too.
 */
export function useRenderedWidth<T extends Element>(): [
  (el: T | null) => void,
  number | null,
  number,
] {
  const [el, setEl] = useState<T | null>(null);
  const [width, setWidth] = useState<number | null>(null);
  const [screen, setScreen] = useState(() =>
    typeof window === 'undefined' ? 0 : window.innerHeight,
  );
  useLayoutEffect(() => {
    // jsdom (unit tests) has no ResizeObserver: charts keep their design size there.
    if (!el || typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      const w = el.getBoundingClientRect().width;
      setWidth((old) => (w > 0 && Math.abs((old ?? 0) - w) >= 1 ? w : old));
      setScreen(window.innerHeight);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [el]);
  return [setEl, width, screen];
}
