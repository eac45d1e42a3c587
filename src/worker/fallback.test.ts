import { describe, expect, it } from 'vitest';
import { FALLBACK_ORDER, fallbackNotice, fallbacksAfter } from './fallback';
import { BACKEND_CHOICES } from './protocol';

describe('fallbacksAfter', () => {
  it('places every backend the worker knows, once (a new backend must be given its place)', () => {
    expect([...FALLBACK_ORDER].sort()).toEqual(BACKEND_CHOICES.filter((c) => c !== 'auto').sort());
  });

  it('tries the next best first, then the better ones, never the one that failed', () => {
    // The lab's GPU step falls back to tfjs's webgpu first: the same GPU, another device.
    expect(fallbacksAfter('gpu', new Set())).toEqual(['webgpu', 'simd', 'wasm', 'webgl', 'cpu']);
    expect(fallbacksAfter('webgpu', new Set())).toEqual(['simd', 'wasm', 'webgl', 'cpu', 'gpu']);
    expect(fallbacksAfter('simd', new Set())).toEqual(['wasm', 'webgl', 'cpu', 'gpu', 'webgpu']);
    expect(fallbacksAfter('wasm', new Set())).toEqual(['webgl', 'cpu', 'gpu', 'webgpu', 'simd']);
    expect(fallbacksAfter('cpu', new Set())).toEqual(['gpu', 'webgpu', 'simd', 'wasm', 'webgl']);
  });

  it('skips the backends that already failed in this run, and runs out', () => {
    expect(fallbacksAfter('wasm', new Set(['gpu', 'webgpu', 'wasm']))).toEqual([
      'webgl',
      'cpu',
      'simd',
    ]);
    expect(
      fallbacksAfter('cpu', new Set(['gpu', 'webgpu', 'simd', 'wasm', 'webgl', 'cpu'])),
    ).toEqual([]);
  });

  it('after a failed auto start, offers every backend not yet tried, in order', () => {
    expect(fallbacksAfter('auto', new Set(['wasm']))).toEqual([
      'gpu',
      'webgpu',
      'simd',
      'webgl',
      'cpu',
    ]);
  });

  it('works over any ordered list of names', () => {
    const order = ['webgpu', 'simd', 'wasm', 'cpu'] as unknown as typeof FALLBACK_ORDER;
    expect(fallbacksAfter('webgpu' as const, new Set(), order)).toEqual(['simd', 'wasm', 'cpu']);
  });

  it('says what failed, where the lab went and what happens to the round', () => {
    expect(fallbackNotice('webgpu', 'wasm', 'the WebGPU device was lost', 2)).toBe(
      'The webgpu backend failed (the WebGPU device was lost): the lab switched to wasm; round 2 trains again from its start, and every completed round is kept.',
    );
    expect(fallbackNotice('webgl', 'cpu', 'it did not start', null)).toContain(
      'the run starts there',
    );
  });
});
