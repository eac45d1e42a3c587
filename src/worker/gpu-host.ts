/// <reference types="@webgpu/types" />
/**
 * Starts the lab's own WebGPU step (src/gpu/, the `gpu` backend) in the worker: one device per
 * worker, shared by every run, watched for loss, dropped after one so the next start asks the
 * adapter for a new device.
 */
import { GpuCompute, startGpu } from '../gpu/gpu-compute';

let started: Promise<GpuCompute> | null = null;
let live: GpuCompute | null = null;

/** The worker's GPU step, started on first use; rejects, saying why, where it cannot start. */
export function startOwnGpu(): Promise<GpuCompute> {
  if (!started) {
    const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
    started = startGpu(gpu).then((r) => {
      if ('why' in r) throw new Error(r.why);
      live = r.compute;
      return r.compute;
    });
    started.catch(() => (started = null));
  }
  return started;
}

/** Settles, saying why, once the GPU step's device is lost or fails; null where none runs. */
export function watchGpu(): Promise<string> | null {
  return live?.lost ?? null;
}

/** Drops a failed device: the next start makes a new one. */
export function forgetGpu(): void {
  live?.dispose();
  live = null;
  started = null;
}

/** Test builds only (issue 6): loses the GPU step's device as a driver reset would. */
export function destroyGpuDevice(): boolean {
  live?.device.destroy();
  return live !== null;
}

/**
 * Test builds only: the GPU step's device reports running out of memory as WebGPU reports it, an
 * uncaptured GPUOutOfMemoryError on the device, where a run is training on it.
 */
export function failGpuMemory(): boolean {
  if (!live?.busy) return false;
  const error = new GPUOutOfMemoryError('injected fault: a buffer could not be allocated');
  live.device.dispatchEvent(new GPUUncapturedErrorEvent('uncapturederror', { error }));
  return true;
}
