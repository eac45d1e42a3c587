/**
 * Choosing and starting a tfjs backend in the worker, WebGPU first.
 *
 * "auto" takes WebGPU when the adapter is hardware. A software adapter (Chrome's SwiftShader
 * fallback, `isFallbackAdapter`) is the slowest choice there is: measured here at ≈0.3k
 * examples/s against ≈4k for wasm. So without a hardware WebGPU adapter, auto times a few
 * training steps on each remaining candidate (wasm; webgl unless its renderer is software too;
 * cpu only if nothing else starts) and keeps the fastest. The choice is remembered for the
 * worker's lifetime.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { glorotNormal } from '../engine/init';
import { Mask } from '../engine/mask';
import { StackedMlp } from '../engine/model';
import { Rng } from '../engine/rng';
import type { BackendChoice, BackendInfo, BackendName } from './protocol';

interface Probe {
  available: boolean;
  software: boolean;
  description: string;
}

/** What WebGPU offers here, without starting tfjs on it. */
export async function probeWebGpu(): Promise<Probe> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { available: false, software: false, description: 'no WebGPU in this browser' };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return { available: false, software: false, description: 'no WebGPU adapter' };
  // `info` (Chrome 114+) with `isFallbackAdapter` on it (Chrome 131+; the older flag sat on the adapter).
  type Info = { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  const withInfo = adapter as GPUAdapter & { info?: Info; isFallbackAdapter?: boolean };
  const info: Info = withInfo.info ?? {};
  const legacyFallback = withInfo.isFallbackAdapter;
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown adapter';
  const software = Boolean(info.isFallbackAdapter ?? legacyFallback) || /swiftshader|llvmpipe|software|warp/i.test(name);
  return { available: true, software, description: software ? `${name} (software fallback)` : name };
}

/** What WebGL2 offers here (tfjs webgl runs on an OffscreenCanvas in a worker). */
export function probeWebGl(): Probe {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return { available: false, software: false, description: 'no WebGL2' };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    const software = /swiftshader|llvmpipe|software|microsoft basic/i.test(renderer);
    return { available: true, software, description: software ? `${renderer} (software)` : renderer };
  } catch {
    return { available: false, software: false, description: 'no WebGL2' };
  }
}

async function start(name: BackendName, assetBase: string): Promise<boolean> {
  if (name === 'wasm') setWasmPaths(new URL('tfjs-wasm/', assetBase).href);
  try {
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

function wasmDescription(): string {
  const threads = getThreadsCount();
  return `wasm, ${threads > 1 ? `${threads} threads` : 'single thread'}${self.crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}`;
}

/** Training examples per second of LeNet-300-100, batch 60, on the current backend. */
async function measureStep(): Promise<number> {
  const layers = [784, 300, 100, 10];
  const params = glorotNormal(layers, new Rng(0, 'probe'));
  const model = new StackedMlp(layers, 1);
  const batch = 60;
  const x = tf.randomNormal([batch, 784]) as tf.Tensor2D;
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32') as tf.Tensor1D, 10) as tf.Tensor2D);
  try {
    model.load([{ masks: params.weights.map((w) => Mask.ones(w.length)), params }]);
    const step = () => model.trainStep(x, y, 1e-3);
    for (let i = 0; i < 3; i++) {
      const warm = step(); // compile shaders, warm caches
      await warm.data();
      warm.dispose();
    }
    const steps = 8;
    const t0 = performance.now();
    let last: tf.Tensor | null = null;
    for (let i = 0; i < steps; i++) {
      last?.dispose();
      last = step();
    }
    await last!.data();
    last!.dispose();
    return (steps * batch) / ((performance.now() - t0) / 1000);
  } finally {
    model.dispose();
    tf.dispose([x, y]);
  }
}

let autoChoice: BackendInfo | null = null;

/** Starts the chosen backend; throws with the reason if a forced backend cannot start. */
export async function initBackend(choice: BackendChoice, assetBase: string): Promise<BackendInfo> {
  if (choice !== 'auto') {
    if (choice === 'webgpu') {
      const gpu = await probeWebGpu();
      if (!gpu.available) throw new Error(`WebGPU is not available: ${gpu.description}`);
      if (!(await start('webgpu', assetBase))) throw new Error('the WebGPU backend failed to start');
      return { backend: 'webgpu', adapter: gpu.description, reason: 'chosen by the user' };
    }
    if (!(await start(choice, assetBase))) throw new Error(`the ${choice} backend failed to start`);
    const adapter = choice === 'wasm' ? wasmDescription() : choice === 'webgl' ? probeWebGl().description : 'JavaScript on the CPU';
    return { backend: choice, adapter, reason: 'chosen by the user' };
  }
  if (autoChoice && (await start(autoChoice.backend, assetBase))) return autoChoice;

  const gpu = await probeWebGpu();
  if (gpu.available && !gpu.software && (await start('webgpu', assetBase))) {
    autoChoice = { backend: 'webgpu', adapter: gpu.description, reason: 'hardware WebGPU adapter' };
    return autoChoice;
  }
  const why = gpu.available ? `WebGPU adapter is ${gpu.description}` : gpu.description;
  const gl = probeWebGl();
  const candidates: BackendName[] = gl.available && !gl.software ? ['wasm', 'webgl'] : ['wasm'];
  const measured: { name: BackendName; rate: number }[] = [];
  for (const name of candidates) {
    if (!(await start(name, assetBase))) continue;
    measured.push({ name, rate: candidates.length > 1 ? await measureStep() : NaN });
  }
  if (measured.length === 0) {
    if (!(await start('cpu', assetBase))) throw new Error('no tfjs backend could start');
    autoChoice = { backend: 'cpu', adapter: 'JavaScript on the CPU', reason: `${why}; wasm and webgl failed to start` };
    return autoChoice;
  }
  measured.sort((a, b) => b.rate - a.rate);
  const best = measured[0]!;
  if (!(await start(best.name, assetBase))) throw new Error(`the ${best.name} backend failed to restart`);
  const rates = measured.length > 1 ? `; measured ${measured.map((m) => `${m.name} ${Math.round(m.rate)}`).join(', ')} examples/s` : '';
  const skipped = gl.available && gl.software ? `; WebGL renderer is ${gl.description}` : '';
  autoChoice = {
    backend: best.name,
    adapter: best.name === 'wasm' ? wasmDescription() : gl.description,
    reason: `${why}${skipped}${rates}`,
  };
  return autoChoice;
}
