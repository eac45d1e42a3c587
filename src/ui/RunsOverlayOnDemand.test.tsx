// @vitest-environment happy-dom
/**
 * The overlay's chart arrives on demand (issue 17): until its chunk is in, a box of the chart's
 * height says what is coming, in words counted from the lines given; then the chart replaces it.
 */
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import type { OverlayLine } from '../charts/RunsOverlay';
import { RunsOverlayOnDemand } from './RunsOverlayOnDemand';

afterEach(cleanup);

const line = (key: string, accuracies: number[]): OverlayLine => ({
  key,
  label: key,
  color: '#000',
  dashed: false,
  points: accuracies.map((accuracy, i) => ({ remainingPct: 100 * 0.8 ** i, accuracy })),
});

it('holds the chart its place, saying what it will draw, until the chart is loaded', async () => {
  const { container } = render(
    <RunsOverlayOnDemand
      lines={[line('a', [0.97, 0.98, 0.975]), line('b', [0.97, 0.96])]}
      height={240}
    />,
  );
  const pending = screen.getByTestId('runs-overlay-pending');
  expect(pending.textContent).toBe('Loading the chart: 2 lines, 5 points…');
  expect(pending.style.height).toBe('240px');
  await waitFor(() => expect(screen.queryByTestId('runs-overlay-pending')).toBeNull(), {
    timeout: 30_000,
  });
  // recharts' own container, at the height asked for.
  expect(container.querySelector('.recharts-responsive-container')).not.toBeNull();
});
