// @vitest-environment happy-dom
/**
 * The pad shows a drawn digit as the networks see it: on a task that turns every image (here
 * inverted), the overlay and its words are of the turned digit, and say so.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useLabStore } from '../state/lab-store';
import { DigitPad } from './DigitPad';

const initial = useLabStore.getState();
beforeEach(() => useLabStore.setState(initial, true));
afterEach(cleanup);

// A vertical stroke: 20 inked pixels of 784.
const STROKE = Uint8Array.from({ length: 784 }, (_, p) =>
  p % 28 === 14 && p > 140 && p < 700 ? 255 : 0,
);

describe('DigitPad and the run’s task', () => {
  it('draws and words the digit as the networks see it', () => {
    useLabStore.getState().padDrawn(STROKE);
    const counts = new Array<number>(784).fill(3);
    const draw = (task: 'mnist' | 'inverted') =>
      render(
        <DigitPad
          remaining={0.5}
          pixelSurvivors={counts}
          fanOut={300}
          presenter={false}
          task={task}
        />,
      );
    draw('mnist');
    const plain = screen.getByTestId('digit-overlay-caption').textContent!;
    expect(plain).not.toMatch(/task/);
    cleanup();
    draw('inverted');
    const turned = screen.getByTestId('digit-overlay-caption').textContent!;
    expect(turned).toMatch(/This run's task \(inverted\) changes every image/);
    // Inverted, the ink is the background: the words count other pixels than the stroke's.
    expect(turned.replace(/ This run's task.*/, '')).not.toBe(plain);
  });
});
