// @vitest-environment happy-dom
/**
 * Figure 9 and the pad for a run trained from an imported ticket (review finding 9): it has no
 * dense round, so the words say so from what the worker holds, instead of waiting for one.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useLabStore } from '../state/lab-store';
import { DigitPad } from './DigitPad';
import { SupermaskFigure } from './SupermaskFigure';

const initial = useLabStore.getState();
beforeEach(() => useLabStore.setState(initial, true));
afterEach(cleanup);

const NO_DENSE =
  'this run trained an imported ticket from round 3: it has no dense round, so no trained dense net; it holds round 3';

describe('a run without a dense net, in words', () => {
  it('Figure 9 says why there is no slider instead of waiting for round 0', () => {
    const worker = useLabStore.getState().workerEvent;
    worker({ type: 'weightsKept', rounds: [3], none: null, noDense: NO_DENSE, generation: 4 });
    render(<SupermaskFigure />);
    expect(screen.getByTestId('supermask-none').textContent).toBe(
      `No slider for this run: ${NO_DENSE}.`,
    );
    expect(screen.queryByTestId('supermask-wait')).toBeNull();
    expect(screen.queryByTestId('supermask-pm')).toBeNull();
    cleanup();
    // A fresh run whose dense round is to come: it waits for it, as before.
    worker({ type: 'weightsKept', rounds: [], none: null, noDense: null, generation: 5 });
    render(<SupermaskFigure />);
    expect(screen.getByTestId('supermask-wait').textContent).toMatch(/once the dense round/);
  });

  it('the pad names the networks that answer: no dense net for such a run', () => {
    const worker = useLabStore.getState().workerEvent;
    worker({ type: 'weightsKept', rounds: [3], none: null, noDense: NO_DENSE, generation: 4 });
    const pad = () =>
      render(
        <DigitPad
          remaining={0.5}
          pixelSurvivors={null}
          fanOut={300}
          presenter={false}
          task="mnist"
        />,
      );
    pad();
    const caption = screen.getByTestId('figure-digit-pad').querySelector('figcaption')!;
    expect(caption.textContent).toMatch(
      /classified in this browser by the ticket and its controls/,
    );
    expect(caption.textContent).toContain(`(no dense net: ${NO_DENSE})`);
    cleanup();
    worker({ type: 'weightsKept', rounds: [0], none: null, noDense: null, generation: 5 });
    pad();
    expect(screen.getByTestId('figure-digit-pad').querySelector('figcaption')!.textContent).toMatch(
      /by the dense net and, at the round shown/,
    );
  });
});
