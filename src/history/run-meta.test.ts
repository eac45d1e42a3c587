import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig } from '../engine/config';
import { defaultRunName } from './run-meta';

describe('defaultRunName', () => {
  it('says what a run trains, naming every setting beyond the paper’s it changes', () => {
    expect(defaultRunName(DEFAULT_CONFIG)).toBe(
      '12 rounds × 3,000 iterations vs reinit, rearrange, seed 0',
    );
    const beyond = mergeConfig(DEFAULT_CONFIG, {
      data: { task: 'permuted', inputs: 'l2' },
      model: { init: 'bimodal' },
      pruning: { criterion: 'snip', controls: ['signed'] },
    });
    expect(defaultRunName(beyond)).toBe(
      '12 rounds × 3,000 iterations vs signed, snip masks, bimodal init, permuted digits, l2 inputs, seed 0',
    );
  });
});
