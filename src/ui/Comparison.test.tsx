// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/config';
import { useLabStore } from '../state/lab-store';
import type { LabEvent, VariantSummary } from '../worker/protocol';
import { Comparison } from './Comparison';

const initial = useLabStore.getState();
beforeEach(() => useLabStore.setState(initial, true));
afterEach(cleanup);

const v = (variant: VariantSummary['variant'], acc: number): VariantSummary => ({
  variant,
  remaining: 0.8,
  remainingByLayer: [0.8],
  earlyStop: { iteration: 100, validationAccuracy: acc, testAccuracy: acc },
  finalTestAccuracy: acc,
});

describe('Comparison', () => {
  it('falls back to a control that trained when the chosen one (reinit) did not', () => {
    const send = (e: LabEvent) => useLabStore.getState().workerEvent(e);
    send({
      type: 'runStarted',
      config: DEFAULT_CONFIG,
      theta0Fingerprint: 'x',
      theta0DeviceFingerprint: 'x',
      runId: null,
      firstRound: 0,
    });
    send({
      type: 'roundStarted',
      round: 1,
      variants: ['ticket', 'rearrange'],
      remaining: 0.8,
      remainingByLayer: [0.8],
    });
    send({
      type: 'curvePoints',
      variants: ['ticket', 'rearrange'],
      points: Float64Array.from([1, 0, 0, 1, 1, 0.5, 0.5, 1, 1, 0, 1, 1, 0.4, 0.4]),
      progress: null,
    });
    send({
      type: 'roundCompleted',
      summary: {
        round: 1,
        remaining: 0.8,
        remainingByLayer: [0.8],
        wallMs: 1,
        examplesPerSecond: 1,
        variants: [v('ticket', 0.97), v('rearrange', 0.95)],
      },
    });
    expect(useLabStore.getState().compareWith).toBe('reinit');
    render(<Comparison />);
    expect(screen.getByTestId('compare-rearrange')).toBeTruthy();
    expect((screen.getByTestId('compare-with') as HTMLSelectElement).value).toBe('rearrange');
    expect(screen.getByTestId('compare-verdict').textContent).toContain(
      'rearranged connections 95.00%',
    );
  });
});
