/**
 * Figures 4–6 caption what the masks keep: the run's own pruning rule and shares, "bimodal" only
 * over a dip at zero, "the centre keeps more" only where its counts are higher.
 */
import { describe, expect, it } from 'vitest';
import {
  histogramCaption,
  layerCaption,
  mostPerPixel,
  pixelCaption,
  startWords,
} from './captions-masks';

const NAMES = ['layer 1 (784→300)', 'layer 2 (300→100)', 'layer 3 (100→10)'];
const LAYER = {
  scope: 'layer',
  rate: 0.2,
  outputRate: 0.1,
  method: 'iterative',
  criterion: 'magnitude',
} as const;

describe('Figure 4: weights remaining per layer', () => {
  const rounds = [
    { round: 0, layers: [1, 1, 1] },
    { round: 2, layers: [0.64, 0.64, 0.81] },
  ];

  it('states layer-wise rates and the latest round’s shares', () => {
    expect(layerCaption(LAYER, rounds, NAMES, 1)).toBe(
      "Layer-wise pruning removes 20% of each hidden layer's remaining weights per round and 10% of the output layer's. At round 2: layer 1 (784→300) 64.0%, layer 2 (300→100) 64.0%, layer 3 (100→10) 81.0%.",
    );
    expect(
      layerCaption({ ...LAYER, rate: 0.3, outputRate: 0.3 }, rounds.slice(0, 1), NAMES, 1),
    ).toBe(
      "Layer-wise pruning removes 30% of every layer's remaining weights per round. Round 0 is the dense net: every layer at 100%.",
    );
  });

  it('never claims a per-layer rate under global pruning, and says which layer it thins most', () => {
    const global = { ...LAYER, scope: 'global' } as const;
    const text = layerCaption(global, [{ round: 3, layers: [0.45, 0.7, 0.93] }], NAMES, 2);
    expect(text).not.toMatch(/layer-wise|10%|hidden layer/i);
    expect(text).toBe(
      'Global pruning removes 20% of all remaining weights per round, with one magnitude threshold across the layers. At round 3: layer 1 (784→300) 45.0%, layer 2 (300→100) 70.0%, layer 3 (100→10) 93.0%. Layer 1 (784→300) keeps the least, layer 3 (100→10) the most. Trial 0’s masks: each seed thins its layers its own way.',
    );
  });

  it('names a criterion other than magnitude, in words, wherever the rule is stated', () => {
    const snip = { ...LAYER, criterion: 'snip' } as const;
    expect(layerCaption(snip, [], NAMES, 1)).toContain(
      'It removes the weights of smallest |gradient × weight| at initialisation (SNIP), not those of smallest trained magnitude.',
    );
    const global = { ...snip, scope: 'global' } as const;
    expect(layerCaption(global, [{ round: 1, layers: [0.8, 0.8, 0.9] }], NAMES, 1)).toMatch(
      /one SNIP \(at init\) threshold across the layers\..*It removes/,
    );
    expect(layerCaption(LAYER, [], NAMES, 1)).not.toContain('It removes');
  });

  it('says when a round prunes the dense net in one shot', () => {
    expect(layerCaption({ ...LAYER, method: 'oneShot' }, [], NAMES, 1)).toContain('One-shot');
  });
});

/** A bell of θ0 over 40 bins of ±4σ (σ = 1), with the survivors given per bin by `keep`. */
function bell(keep: (mid: number, count: number) => number) {
  const edges = Array.from({ length: 41 }, (_, i) => -4 + 0.2 * i);
  const all = edges.slice(0, 40).map((e) => Math.round(1000 * Math.exp(-0.5 * (e + 0.1) ** 2)));
  const surviving = all.map((c, i) => keep(edges[i]! + 0.1, c));
  return { edges, all, surviving };
}

describe('Figure 5: the survivors’ θ0', () => {
  it('calls survivors bimodal where small |θ0| are pruned, and gives the shares near zero', () => {
    const pruned = { layer: 0, ...bell((m, c) => (Math.abs(m) < 0.8 ? 0 : c)) };
    const dense = { layer: 2, ...bell((_, c) => c) };
    const halved = { layer: 1, ...bell((_, c) => Math.round(c / 2)) };
    const text = histogramCaption([pruned, halved, dense], NAMES);
    expect(text).toContain(
      'Survivors near zero (|θ0| < σ/2, the middle eighth of each axis): layer 1 (784→300) 0% (of all θ0 31%), layer 2 (300→100) 31% (of all θ0 31%)',
    );
    expect(text).toContain(
      'Bimodal, dipping at zero between two peaks: layer 1 (784→300); not layer 2 (300→100) and layer 3 (100→10).',
    );
  });

  it('never says bimodal over a bell, pruned at random or not pruned at all', () => {
    const halved = [0, 1, 2].map((layer) => ({ layer, ...bell((_, c) => Math.round(c / 2)) }));
    expect(histogramCaption(halved, NAMES)).toContain(
      'No layer’s survivors are bimodal: none dips at zero.',
    );
    const dense = [0, 1, 2].map((layer) => ({ layer, ...bell((_, c) => c) }));
    const text = histogramCaption(dense, NAMES);
    expect(text).toContain('Every weight survives');
    expect(text).not.toMatch(/bimodal|dip/i);
  });
});

describe('Figure 5 for each variant: blue is its own starting values (issue 16)', () => {
  const pruned = [0, 1, 2].map((layer) => ({
    layer,
    ...bell((m, c) => (Math.abs(m) < 0.8 ? 0 : c)),
  }));
  const halved = [0, 1, 2].map((layer) => ({ layer, ...bell((_, c) => Math.round(c / 2)) }));
  const dense = [0, 1, 2].map((layer) => ({ layer, ...bell((_, c) => c) }));

  it('names the variant and where its survivors start, and claims θ0 only where they are θ0', () => {
    const key = (v: Parameters<typeof histogramCaption>[2]) =>
      histogramCaption(halved, NAMES, v).split('.')[0];
    expect(key('ticket')).toBe(
      'Grey: all of a layer’s θ0; blue: the starting values of the survivors of the winning ticket (θ0 at its mask), each scaled to its own peak',
    );
    expect(key('reinit')).toBe(
      'Grey: all of a layer’s θ0; blue: the starting values of the survivors of random reinit (a fresh Glorot draw, not θ0), each scaled to its own peak',
    );
    expect(key('rearrange')).toContain(
      'the survivors of rearranged connections (the ticket’s θ0 values at other positions)',
    );
    expect(key('random')).toContain('the survivors of random pruning (θ0 at a random mask)');
    expect(key('signed')).toContain(
      'the survivors of reinit, θ0’s signs (fresh Glorot magnitudes with θ0’s signs)',
    );
    expect(key('bimodal')).toContain(
      'the survivors of dense, bimodal init (every weight of a dense net drawn from the ticket’s surviving θ0)',
    );
    expect(key('bimodal-glorot')).toContain('rescaled to Glorot’s variance');
    // Values that are not θ0 are not measured as θ0.
    expect(histogramCaption(halved, NAMES, 'reinit')).toContain(
      'Survivors near zero (|starting value| < σ/2',
    );
    expect(histogramCaption(halved, NAMES, 'random')).toContain('Survivors near zero (|θ0| < σ/2');
  });

  it('under rewinding, says the ticket starts from iteration k, not θ0', () => {
    const text = histogramCaption(halved, NAMES, 'ticket', 100);
    expect(text).toContain(
      'the survivors of the winning ticket (its weights at iteration 100, where it rewinds)',
    );
    expect(text).not.toContain('θ0 at its mask');
    expect(text).toContain('|starting value| < σ/2');
    expect(histogramCaption(halved, NAMES, 'random', 100)).toContain(
      '(the iteration-100 weights at a random mask)',
    );
    expect(startWords('reinit', 100).how).toBe('a fresh Glorot draw, not θ0');
  });

  it('calls a variant bimodal only over a dip at zero, dense or not', () => {
    // A bimodal init is a dense net: every weight "survives", yet its values are no θ0.
    const drawn = histogramCaption(pruned, NAMES, 'bimodal');
    expect(drawn).not.toContain('blue and grey are the same θ0');
    expect(drawn).toContain('Bimodal, dipping at zero between two peaks');
    const unpruned = histogramCaption(dense, NAMES, 'bimodal-glorot');
    expect(unpruned).toContain('No layer’s survivors are bimodal: none dips at zero.');
    expect(histogramCaption(halved, NAMES, 'reinit')).not.toMatch(/Bimodal,|dipping/);
    expect(histogramCaption(dense, NAMES, 'ticket')).toContain(
      'Every weight survives (the dense net): blue and grey are the same θ0.',
    );
  });
});

/** 28×28 counts: `inner` in the centre (inside the 4-pixel frame), `outer` in the frame. */
function map(inner: number, outer: number): Uint16Array {
  return Uint16Array.from({ length: 784 }, (_, p) => {
    const r = Math.floor(p / 28),
      c = p % 28;
    return r >= 4 && r < 24 && c >= 4 && c < 24 ? inner : outer;
  });
}

describe('Figure 6: connections per pixel', () => {
  it('says the centre keeps more only where it does, with the numbers', () => {
    expect(pixelCaption(map(60, 20), 300)).toBe(
      'Connections kept per pixel, on average: centre 60.0 (20.0% of 300), border (outer 4-pixel frame) 20.0 (6.7% of 300): the centre keeps more of its connections than the border. The colour scale runs from 0 to 60, the most any pixel keeps.',
    );
    expect(pixelCaption(map(21, 21), 300)).toContain('centre and border keep about the same share');
    expect(pixelCaption(map(21, 21), 300)).not.toContain('centre keeps more');
    expect(pixelCaption(map(10, 30), 300)).toContain(
      'the border keeps more of its connections than the centre',
    );
  });

  it('says whose mask a control shows before its numbers', () => {
    expect(pixelCaption(map(60, 20), 300, 'reinit')).toMatch(
      /^Random reinit: the ticket’s mask\. Connections kept per pixel, on average: centre 60\.0/,
    );
    expect(pixelCaption(map(21, 21), 300, 'rearrange')).toMatch(
      /^Rearranged connections: a random mask with the ticket’s count per layer\. Connections/,
    );
    expect(pixelCaption(map(300, 300), 300, 'bimodal')).toBe(
      'Dense, bimodal init: a dense net, no mask. Every pixel keeps all 300 connections.',
    );
    expect(pixelCaption(map(60, 20), 300, 'ticket')).toMatch(/^Connections kept per pixel/);
  });

  it('says the dense net keeps everything, and the scale tops at the most kept', () => {
    expect(pixelCaption(map(300, 300), 300)).toBe(
      'The dense net: every pixel keeps all 300 connections.',
    );
    expect(mostPerPixel(map(7, 19))).toBe(19);
  });
});
