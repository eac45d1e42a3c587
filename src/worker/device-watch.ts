/**
 * Noticing that the backend in use is gone for good (issue 6), and dropping it so that it can be
 * built afresh. Only WebGPU can be lost this way: its GPUDevice may be lost (a driver reset, a
 * GPU watchdog, `device.destroy()`), and it reports running out of memory as an uncaptured error
 * rather than a throw. The handler races every round against `watchBackend()` (fallback.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from './protocol';

/** One watch per device: the handler asks at every round. */
const watches = new WeakMap<GPUDevice, Promise<string>>();

/** tfjs-backend-webgpu's backend object holds its device as `device`. */
function currentDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: GPUDevice }).device ?? null;
}

/** Settles with the reason in words once the current backend is lost; null if it cannot be. */
export function watchBackend(): Promise<string> | null {
  const device = currentDevice();
  if (!device) return null;
  let watch = watches.get(device);
  if (!watch) {
    watch = new Promise<string>((resolve) => {
      void device.lost.then((info) =>
        resolve(
          `the WebGPU device was lost: ${info.reason}${info.message ? `, ${info.message}` : ''}`,
        ),
      );
      device.addEventListener('uncapturederror', (e) => {
        const error = (e as GPUUncapturedErrorEvent).error;
        if (typeof GPUOutOfMemoryError !== 'undefined' && error instanceof GPUOutOfMemoryError)
          resolve(`the GPU ran out of memory: ${error.message}`);
      });
    });
    watches.set(device, watch);
  }
  return watch;
}

/**
 * Drops a lost backend and registers its factory again, so that the next start of that name
 * builds a new backend (a new GPUDevice) instead of reusing the dead one.
 */
export function forgetBackend(name: BackendName): void {
  const factory = tf.findBackendFactory(name);
  if (!factory) return;
  const registry = (
    tf.engine() as unknown as { registryFactory: Record<string, { priority: number } | undefined> }
  ).registryFactory;
  const priority = registry[name]?.priority ?? 1;
  tf.removeBackend(name);
  tf.registerBackend(name, factory, priority);
}
