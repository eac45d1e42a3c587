import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig } from '../engine/config';
import { plannedRemaining } from './plan';

describe('plannedRemaining', () => {
  it('previews the paper’s P_m before anything runs, in both scopes', () => {
    expect(plannedRemaining(DEFAULT_CONFIG, 0)).toBe(1);
    expect(plannedRemaining(DEFAULT_CONFIG, 3)).toBeCloseTo(0.513, 3);
    expect(plannedRemaining(DEFAULT_CONFIG, 7)).toBeCloseTo(0.211, 3);
    expect(plannedRemaining(DEFAULT_CONFIG, 12)).toBeCloseTo(0.0695, 3);
    const global = mergeConfig(DEFAULT_CONFIG, { pruning: { scope: 'global' } });
    expect(plannedRemaining(global, 12)).toBeCloseTo(0.8 ** 12, 3);
  });
});
