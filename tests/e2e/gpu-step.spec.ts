/**
 * The lab's own WebGPU step (src/gpu/, issue 17) against its SIMD kernels, in headless Chromium on
 * whatever adapter it offers: SwiftShader here (software, so this proves the WGSL right, not
 * fast). Three rounds of LeNet-300-100 with three variants on real MNIST, batch 60: shared
 * batches, then one per variant, then shared again, each round from the kernels' pruned masks.
 *
 * Tolerances, and why. The two sides sum in different orders in f32; most variants stay within
 * ~1e-6 of each other in loss and ~3e-5 in weights (measured here). But Adam divides by √v: a
 * weight whose gradient is a rounding error away from 0 takes a step of up to the learning rate
 * either way, and the network then drifts apart chaotically (measured: one variant of three, in a
 * 60-step round, 1e-3 apart in loss and 3e-3 in weights by its end; the same effect is why the
 * kernels' own test against tfjs allows 2e-3 in weights). So: losses within 2e-3, weights within
 * 1e-2 (a tenth of LeNet's typical |w|), evaluations within half a percentage point, and at most
 * 0.1% of mask bits chosen differently from the same trained weights; pruned weights exactly 0.
 * SwiftShader trains ~1 step/s at K = 3 here (2 shared cores): 60 steps in all keeps it near a
 * minute.
 */
import { expect, test } from '@playwright/test';
import { build, preview } from 'vite';
import { TEST_PORT } from '../browser';
import type { GpuCheck, GpuCheckReport } from '../gpu-page/protocol';

const PORT = TEST_PORT + 11;
const CONFIG = 'tests/gpu-page/vite.config.ts';

let server: Awaited<ReturnType<typeof preview>> | null = null;

test.beforeAll(async () => {
  await build({ configFile: CONFIG, logLevel: 'warn' });
  server = await preview({
    configFile: CONFIG,
    preview: { port: PORT, strictPort: true, host: 'localhost' },
    logLevel: 'warn',
  });
});

test.afterAll(async () => {
  await new Promise<void>((done) => (server ? server.httpServer.close(() => done()) : done()));
});

test('the WebGPU step trains as the SIMD kernels do: losses, weights, masks; pruned weights stay 0; 10 dispatches a step at any K', async ({
  page,
}) => {
  page.on('console', (m) => console.log('[page]', m.text()));
  await page.goto(`http://localhost:${PORT}/`);
  await page.waitForFunction(() => 'gpuCheck' in window);
  const ask: GpuCheck = {
    k: 3,
    batch: 60,
    rounds: 3,
    steps: 20,
    lossEvery: 5,
    // Past one evaluation chunk (1,000 images): three chunks, the last partial, as every real
    // run's 5,000 + 10,000 images are evaluated.
    heldOut: 2500,
    countAtK: [1, 20],
  };
  const report = await page.evaluate(
    (r) => (window as unknown as { gpuCheck(r: GpuCheck): Promise<GpuCheckReport> }).gpuCheck(r),
    ask,
  );
  console.log(JSON.stringify(report, null, 1));
  expect(report.rounds.map((r) => r.ownBatches)).toEqual([false, true, false]);
  const weights = 784 * 300 + 300 * 100 + 100 * 10;
  for (const r of report.rounds) {
    const at = `round ${r.round}`;
    expect(r.prunedNonZero, at).toBe(0);
    expect(r.trainLossDiff, at).toBeLessThan(2e-3);
    expect(r.batchLossDiff, at).toBeLessThan(2e-3);
    expect(r.evalLossDiff, at).toBeLessThan(2e-3);
    expect(r.evalAccuracyDiff, at).toBeLessThanOrEqual(0.005);
    expect(r.weightDiff, at).toBeLessThan(1e-2);
    expect(r.biasDiff, at).toBeLessThan(1e-2);
    expect(r.maskBitsDiffering, at).toBeLessThanOrEqual(0.001 * ask.k * weights);
    expect(r.dispatchesPerStep, at).toBe(10);
    // It learned: well above chance (10%) after 20 steps.
    for (const a of r.evalAccuracy) expect(a, at).toBeGreaterThan(0.6);
  }
  expect(report.rounds[2]!.remaining).toBeCloseTo(0.8 ** 2, 1);
  expect(report.dispatchesAtK).toEqual({ 1: 10, 20: 10 });
});
