// @vitest-environment happy-dom
/**
 * Figure 5 is honest about runs computed before engine 2: their controls' histograms binned θ0 at
 * each control's mask, so the figure keeps to the ticket's (the same in both engines) and says
 * why; Figure 6's masks are right in both, and it still shows any variant.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINE_VERSION, type VariantName } from '../engine/config';
import type { RoundView } from '../state/types';
import { MaskFigures } from './MaskFigures';

afterEach(cleanup);

const LAYERS = [784, 2, 10];
function histograms(variant: VariantName, survivors: number) {
  const edges = Float64Array.from({ length: 5 }, (_, i) => -2 + i);
  return {
    variant,
    layers: [0, 1].map((layer) => ({
      layer,
      edges,
      all: Uint32Array.from([10, 40, 40, 10]),
      surviving: Uint32Array.from([survivors, 0, 0, survivors]),
    })),
    pixelSurvivors: Uint16Array.from({ length: 784 }, (_, p) => (p + survivors) % 3),
  };
}
const ROUND = {
  round: 1,
  variants: ['ticket', 'reinit'],
  remaining: 0.8,
  remainingByLayer: [0.8, 0.9],
  curves: {},
  summary: null,
  histograms: [histograms('ticket', 7), histograms('reinit', 2)],
} as RoundView;

const draw = (
  engine: string | null,
  shown: RoundView = ROUND,
  where: { task?: 'mnist' | 'permuted'; foundOn?: 'mnist' | null } = {},
) =>
  render(
    <MaskFigures
      shown={shown}
      widths={LAYERS}
      layerNames={['layer 1', 'layer 2']}
      reset={{ kind: 'init' }}
      presenter={false}
      scrubber={null}
      whichSeed={null}
      engine={engine}
      {...where}
    />,
  );

describe('Figure 5 by the engine that computed the run', () => {
  it('engine 2: any variant, each its own starting values; no note', () => {
    draw(ENGINE_VERSION);
    fireEvent.change(screen.getByTestId('variant-histograms'), { target: { value: 'reinit' } });
    expect(screen.getByTestId('histogram-caption').textContent).toMatch(/random reinit/);
    expect(screen.queryByTestId('histogram-engine-note')).toBeNull();
  });

  it('before engine 2: the ticket’s histograms, whatever Figure 6 shows, and the reason in words', () => {
    draw(null);
    expect(screen.queryByTestId('variant-histograms')).toBeNull();
    expect(screen.getByTestId('histogram-engine-note').textContent).toMatch(
      /earlier engine \(engine 1\), which binned θ0 at every variant's mask/,
    );
    fireEvent.change(screen.getByTestId('variant-pixels'), { target: { value: 'reinit' } });
    // Figure 6 follows the choice; Figure 5 stays the ticket's.
    expect(screen.getByTestId('histogram-caption').textContent).not.toMatch(/random reinit/);
    expect(screen.getByTestId('histogram-caption').textContent).toMatch(/ticket/);
    expect(document.body.textContent).toMatch(
      /6 · Surviving connections per input pixel · random reinit/,
    );
  });
});

describe('Figure 6 on a task that moves pixels', () => {
  /** The central 14×14 inputs keep 3 connections each, the rest none. */
  const centre = Uint16Array.from({ length: 784 }, (_, p) => {
    const r = Math.floor(p / 28);
    const c = p % 28;
    return r >= 7 && r < 21 && c >= 7 && c < 21 ? 2 : 0;
  });
  const round = {
    ...ROUND,
    histograms: [{ ...histograms('ticket', 7), pixelSurvivors: centre }],
  } as RoundView;
  const drawOn = (task: 'mnist' | 'permuted', foundOn: 'mnist' | null) =>
    draw(ENGINE_VERSION, round, { task, foundOn });
  const caption = () => screen.getByTestId('pixel-map-caption').textContent ?? '';

  it('MNIST’s own masks: no layout choice, no words about it', () => {
    drawOn('mnist', null);
    expect(screen.queryByTestId('pixels-layout')).toBeNull();
    expect(caption()).toMatch(/^Connections kept per pixel/);
  });

  it('permuted digits: over the inputs by default, and back in the digit’s layout on demand, each caption from its own counts', () => {
    drawOn('permuted', 'mnist');
    expect(caption()).toMatch(
      /^Masks found on MNIST digits, trained on permuted digits\. Over the net’s inputs/,
    );
    // A mask of the central inputs: over the inputs, the centre keeps everything…
    expect(caption()).toContain('the centre keeps more of its connections than the border');
    fireEvent.change(screen.getByTestId('pixels-layout'), { target: { value: 'digit' } });
    expect(caption()).toMatch(/Each input put back where its pixel sits in the digit/);
    // …put back in the digit, those inputs' pixels are scattered over the whole image.
    expect(caption()).toContain('centre and border keep about the same share');
  });
});
