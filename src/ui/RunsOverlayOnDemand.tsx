/**
 * The history overlay's chart, fetched the first time it is shown (issue 17). It is the lab's one
 * recharts chart, and recharts with what it pulls in (redux, immer, es-toolkit, victory-vendor,
 * decimal.js-light) was about half of the page's JavaScript on every first load, for a chart
 * that needs two stored runs and a click. While the chunk loads, a box of the chart's own height
 * holds its place (nothing below it jumps when it arrives); if it cannot load, the box says why
 * and the rest of the lab carries on.
 */
import { type ComponentType, Suspense, lazy } from 'react';
import type { OverlayLine } from '../charts/RunsOverlay';

type Props = { lines: readonly OverlayLine[]; height?: number };

const DEFAULT_HEIGHT = 300;

const RunsOverlay = lazy<ComponentType<Props>>(() =>
  import('../charts/RunsOverlay').then(
    (m) => ({ default: m.RunsOverlay }),
    (e: unknown) => ({
      default: ({ height = DEFAULT_HEIGHT }: Props) => (
        <p className="chart-pending" style={{ height }} role="alert">
          The overlay chart could not load ({e instanceof Error ? e.message : String(e)}): reload
          the page to try again; the runs themselves are safe in the history.
        </p>
      ),
    }),
  ),
);

export function RunsOverlayOnDemand({ lines, height = DEFAULT_HEIGHT }: Props) {
  const points = lines.reduce((n, l) => n + l.points.length, 0);
  return (
    <Suspense
      fallback={
        <p
          className="chart-pending"
          style={{ height }}
          role="status"
          data-testid="runs-overlay-pending"
        >
          Loading the chart: {lines.length} lines, {points} points…
        </p>
      }
    >
      <RunsOverlay lines={lines} height={height} />
    </Suspense>
  );
}
