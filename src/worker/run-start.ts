/**
 * What a run does once before its first round, apart from the handler's control flow: MNIST loaded
 * with its progress said, and θ0's fingerprints (as drawn, and after a round trip through the
 * backend: equal on every backend, and equal to Node's for the same seed).
 */
import type { Compute } from '../engine/compute';
import type { MnistFiles } from '../engine/data';
import { fingerprint } from '../engine/rng';
import type { LabEvent } from './protocol';

/** MNIST's files, each step of loading posted as 'dataProgress', the last one `done`. */
export async function loadWithProgress(
  load: (
    assetBase: string,
    onProgress: (loaded: number, total: number, fromCache: boolean) => void,
  ) => Promise<MnistFiles>,
  assetBase: string,
  post: (e: LabEvent) => void,
): Promise<MnistFiles> {
  let last = { loadedBytes: 0, totalBytes: 0, fromCache: true };
  const files = await load(assetBase, (loadedBytes, totalBytes, fromCache) => {
    last = { loadedBytes, totalBytes, fromCache };
    post({ type: 'dataProgress', ...last, done: false });
  });
  post({ type: 'dataProgress', ...last, done: true });
  return files;
}

/** θ0's fingerprint as drawn, and after an upload to the backend and back. */
export async function theta0Fingerprints(
  compute: Compute,
  weights: Float32Array[],
): Promise<{ theta0Fingerprint: string; theta0DeviceFingerprint: string }> {
  return {
    theta0Fingerprint: fingerprint(weights),
    theta0DeviceFingerprint: fingerprint(await compute.roundTrip(weights)),
  };
}
