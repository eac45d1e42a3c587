/// <reference types="@webgpu/types" />
/**
 * Issue 17's measurement, in the benchmark's worker: K networks stacked on one GPU adapter, on the
 * lab's WGSL step or on tfjs's webgpu backend. Dispatches are counted where the browser receives
 * them (GPUComputePassEncoder.dispatchWorkgroups, wrapped once per worker), so both backends are
 * counted the same way and nothing is estimated.
 */
import type { Compute } from '../../src/engine/compute';
import { LENET_300_100 } from '../../src/engine/config';
import { BatchOrder, type Dataset } from '../../src/engine/data';
import { initialParams, ticketStart } from '../../src/engine/init';
import { Mask } from '../../src/engine/mask';
import type { BenchRequest, GpuStackReply } from './protocol';

const LAYERS = [...LENET_300_100];
const LR = 1.2e-3;
/** Steps whose dispatches are counted (their mean): tfjs's SYNC_EVERY readback is no dispatch. */
const COUNTED = 3;
const WINDOWS = 3;

let dispatched = 0;
function countDispatches(): void {
  const proto = (self as { GPUComputePassEncoder?: typeof GPUComputePassEncoder })
    .GPUComputePassEncoder?.prototype;
  if (!proto || (proto as { counted?: boolean }).counted) return;
  const native = proto.dispatchWorkgroups;
  proto.dispatchWorkgroups = function (...args) {
    dispatched++;
    return native.apply(this, args);
  };
  (proto as { counted?: boolean }).counted = true;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function gpuStack(
  r: Extract<BenchRequest, { type: 'gpuStack' }>,
  compute: Compute,
  data: Dataset,
): Promise<Omit<GpuStackReply, 'backend' | 'adapter' | 'reason'>> {
  countDispatches();
  const session = compute.open(data, LAYERS, { batchSize: r.batch });
  const trainer = session.trainer(r.k);
  try {
    const theta0 = initialParams(LAYERS, 0);
    const start = ticketStart(
      theta0,
      theta0.weights.map((w) => Mask.ones(w.length)),
    );
    trainer.load(Array.from({ length: r.k }, () => start));
    const order = new BatchOrder(data.train.size, r.batch, 0);
    let at = 0;
    const steps = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const wait = trainer.step(order.indices(at++), LR);
        if (wait) await wait;
      }
      await trainer.takeTrainLoss(); // the device has finished
    };
    await steps(2); // shaders compiled, buffers made
    const before = dispatched;
    const t0 = performance.now();
    await steps(COUNTED);
    const dispatchesPerStep = (dispatched - before) / COUNTED;
    const stepMs = (performance.now() - t0) / COUNTED;
    const perWindow = Math.max(1, Math.round(r.budgetMs / WINDOWS / stepMs));
    const windows: number[] = [];
    for (let w = 0; w < WINDOWS; w++) {
      const w0 = performance.now();
      await steps(perWindow);
      windows.push((perWindow * r.batch) / ((performance.now() - w0) / 1000));
    }
    return { k: r.k, dispatchesPerStep, examplesPerSecond: median(windows), windows };
  } finally {
    trainer.dispose();
    session.dispose();
  }
}
