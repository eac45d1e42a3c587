/**
 * The GPU stack of `npm run bench` (issue 17): the lab's WGSL step (`gpu`) and tfjs's `webgpu`
 * backend on the same adapter in the same run, K = 1, 3, 10 and 20 stacked networks at batch 60.
 * On a machine without a GPU the adapter is SwiftShader (software): the figures then show the
 * dispatch and fusion savings, never GPU speed.
 */
import type { Page } from 'playwright-core';
import type { BenchReply, BenchRequest, GpuStackReply } from './page/protocol';
import type { GpuStackFigures, GpuStackRow } from './results';

export const GPU_KS = [1, 3, 10, 20];
const BATCH = 60;

type Ask = <T extends BenchReply>(page: Page, r: BenchRequest) => Promise<T>;

export async function gpuStackFigures(
  page: Page,
  ask: Ask,
  budgetMs: number,
  notes: string[],
  log: (...a: unknown[]) => void,
): Promise<GpuStackFigures | null> {
  const backends: GpuStackFigures['backends'] = {};
  let adapter = '';
  for (const backend of ['gpu', 'webgpu'] as const) {
    const row: GpuStackRow = { adapter: '', dispatchesPerStep: {}, examplesPerSecond: {} };
    try {
      for (const k of GPU_KS) {
        const reply = await ask<GpuStackReply>(page, {
          type: 'gpuStack',
          backend,
          k,
          batch: BATCH,
          budgetMs,
        });
        row.adapter = reply.adapter;
        row.dispatchesPerStep[`k${k}`] = reply.dispatchesPerStep;
        row.examplesPerSecond[`k${k}`] = reply.examplesPerSecond;
        log(
          `${backend} at K=${k}: ${reply.dispatchesPerStep} dispatches a step, ${Math.round(reply.examplesPerSecond)} examples/s per variant (${reply.adapter})`,
        );
      }
    } catch (e) {
      notes.push(`GPU stack on ${backend}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    backends[backend] = row;
    // tfjs's badge names the adapter alone; the lab's says it runs the lab's WGSL on it.
    if (backend === 'webgpu' || !adapter) adapter = row.adapter.replace(/^the lab's WGSL on /, '');
  }
  if (!backends.gpu && !backends.webgpu) return null;
  return {
    measuredAt: new Date().toISOString(),
    batch: BATCH,
    adapter,
    software: /software/.test(adapter),
    ks: GPU_KS,
    backends,
  };
}
