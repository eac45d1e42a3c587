import { describe, expect, it } from 'vitest';
import { gpuStackSection } from './gpu-report';
import type { GpuStackFigures } from './results';

const figures = (patch: Partial<GpuStackFigures> = {}): GpuStackFigures => ({
  measuredAt: '2026-12-06T15:00:00.000Z',
  batch: 60,
  adapter: 'google swiftshader (software fallback)',
  software: true,
  ks: [1, 3],
  backends: {
    gpu: {
      adapter: "the lab's WGSL on google swiftshader (software fallback)",
      dispatchesPerStep: { k1: 10, k3: 10 },
      examplesPerSecond: { k1: 400, k3: 300 },
    },
    webgpu: {
      adapter: 'google swiftshader (software fallback)',
      dispatchesPerStep: { k1: 90, k3: 92 },
      examplesPerSecond: { k1: 100, k3: 50 },
    },
  },
  ...patch,
});

describe('the GPU stack section of docs/benchmarks.md', () => {
  it('is absent from results measured before it', () => {
    expect(gpuStackSection(undefined)).toBe('');
  });

  it('gives each backend its dispatches and rates at each K, and the ratio computed from them', () => {
    const md = gpuStackSection(figures());
    expect(md).toContain('| **gpu** | 10 · 10 | 400 (400) | 300 (900) |');
    expect(md).toContain('| **webgpu** | 90 · 92 | 100 (100) | 50 (150) |');
    expect(md).toContain(
      "The lab's step against tfjs's on this adapter: 4.0× at K = 1, 6.0× at K = 3.",
    );
  });

  it('says a software adapter is no measure of GPU speed, and only then', () => {
    expect(gpuStackSection(figures())).toMatch(/software .*not what a GPU does/);
    const real = gpuStackSection(figures({ adapter: 'nvidia ada', software: false }));
    expect(real).toContain('**nvidia ada**');
    expect(real).not.toMatch(/software/);
  });

  it('shows one backend without a ratio when the other did not start', () => {
    const md = gpuStackSection(figures({ backends: { gpu: figures().backends.gpu! } }));
    expect(md).toContain('| **gpu** |');
    expect(md).not.toContain('**webgpu**');
    expect(md).not.toContain('against tfjs');
  });
});
