/**
 * Choosing and starting where the lab computes, in the worker: a tfjs backend (webgpu, wasm,
 * webgl, cpu), the lab's own WebAssembly SIMD kernels (simd) or its own WebGPU step (gpu).
 *
 * "auto" decides by measuring, not by name (issue 5): it times a few training steps of
 * LeNet-300-100 at batch 60 on every candidate this device offers and keeps the fastest. A
 * software WebGPU adapter (Chrome's SwiftShader fallback, `isFallbackAdapter`) or a software
 * WebGL renderer is not a candidate: in headless Chromium's SwiftShader on this project's 2-core
 * machine they trained at ~0.1–0.3k (WebGPU) and ~0.6–1.4k (WebGL) examples/s at batch 60, far
 * behind the CPU paths. The verdict is cached (Cache Storage) per browser, device and page
 * isolation, so later visits start at once; the choice lasts the worker's lifetime.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Compute } from '../engine/compute';
import { tfCompute } from '../engine/tf-compute';
import type { KernelCompute } from '../kernels/kernel-compute';
import { startOwnGpu } from './gpu-host';
import { killKernelThread, kernelThreads, startKernels } from './kernel-host';
import { measure } from './speed';
import { type BackendChoice, type BackendInfo, type BackendName, errorMessage } from './protocol';

export interface StartedBackend {
  info: BackendInfo;
  compute: Compute;
}

interface Probe {
  available: boolean;
  software: boolean;
  description: string;
}

/** What WebGPU offers here, without starting tfjs on it. */
export async function probeWebGpu(): Promise<Probe> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { available: false, software: false, description: 'no WebGPU in this browser' };
  const adapter = await gpu
    .requestAdapter({ powerPreference: 'high-performance' })
    .catch(() => null);
  if (!adapter) return { available: false, software: false, description: 'no WebGPU adapter' };
  // `info` (Chrome 114+) with `isFallbackAdapter` on it (Chrome 131+; the older flag sat on the
  // adapter).
  type Info = {
    vendor?: string;
    architecture?: string;
    device?: string;
    description?: string;
    isFallbackAdapter?: boolean;
  };
  const withInfo = adapter as GPUAdapter & { info?: Info; isFallbackAdapter?: boolean };
  const info: Info = withInfo.info ?? {};
  const legacyFallback = withInfo.isFallbackAdapter;
  const name =
    [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') ||
    'unknown adapter';
  const software =
    Boolean(info.isFallbackAdapter ?? legacyFallback) ||
    /swiftshader|llvmpipe|software|warp/i.test(name);
  return {
    available: true,
    software,
    description: software ? `${name} (software fallback)` : name,
  };
}

/** What WebGL2 offers here (tfjs webgl runs on an OffscreenCanvas in a worker). */
export function probeWebGl(): Probe {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return { available: false, software: false, description: 'no WebGL2' };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    const software = /swiftshader|llvmpipe|software|microsoft basic/i.test(renderer);
    return {
      available: true,
      software,
      description: software ? `${renderer} (software)` : renderer,
    };
  } catch {
    return { available: false, software: false, description: 'no WebGL2' };
  }
}

/** The kernels start once per worker (module, memory, threads) and are shared by every run. */
let kernels: Promise<{ compute: KernelCompute; note: string }> | null = null;

/** The kernels once started, for watching: a start in flight is not watched yet. */
let liveKernels: KernelCompute | null = null;

function startSimd(assetBase: string) {
  if (!kernels) {
    kernels = startKernels(assetBase);
    kernels.then((k) => (liveKernels = k.compute)).catch(() => (kernels = null));
  }
  return kernels;
}

/** Settles, saying why, if a kernel thread dies (the kernels cannot go on); null where none run. */
export function watchKernels(): Promise<string> | null {
  return liveKernels?.lost ?? null;
}

/** Bytes of the kernels' heap in use (null until they start): a stopped run must leave 0. */
export function kernelHeapBytes(): number | null {
  return liveKernels?.arena.used ?? null;
}

/** Test builds only (issue 6): ends one of the live kernels' threads from outside. */
export function killLiveKernelThread(): boolean {
  return liveKernels ? killKernelThread(liveKernels) : false;
}

/** Drops the kernels after a loss: their threads stop, and the next start builds them afresh. */
export function forgetKernels(): void {
  liveKernels?.dispose();
  liveKernels = null;
  kernels = null;
}

/**
 * The GPU backends register themselves with tfjs when their module loads. Loaded when one is
 * started (issue 17), they stay out of the worker's first load, where they were more than half
 * its JavaScript: the worker starts at once on a first visit (the device's speed is measured
 * before Run), and auto only tries a GPU that is not software.
 */
const GPU_BACKENDS = {
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
};

let wasmThreadsSet = false;

async function startTf(
  name: Exclude<BackendName, 'simd' | 'gpu'>,
  assetBase: string,
): Promise<boolean> {
  if (name === 'wasm') {
    setWasmPaths(new URL('tfjs-wasm/', assetBase).href);
    // tfjs-wasm takes half the cores by default (1 of 2 here); give it all, as our kernels take.
    // It only reads this before its first start.
    if (!wasmThreadsSet) setThreadsCount(kernelThreads());
    wasmThreadsSet = true;
  }
  try {
    if (name === 'webgl' || name === 'webgpu') await GPU_BACKENDS[name]();
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

function wasmDescription(): string {
  const threads = getThreadsCount();
  return `tfjs wasm, ${threads > 1 ? `${threads} threads` : 'single thread'}${self.crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}`;
}

/** Starts one backend by name; throws, saying why, if it cannot. */
async function start(
  name: BackendName,
  assetBase: string,
  reason: string,
): Promise<StartedBackend> {
  if (name === 'simd') {
    const { compute, note } = await startSimd(assetBase).catch((e: unknown) => {
      throw new Error(`the lab's WebAssembly SIMD kernels cannot run here: ${errorMessage(e)}`);
    });
    // tfjs computes nothing on this path, but a tfjs call with no backend started would try to
    // start its first choice (webgpu) behind our back: give it the plain one.
    await startTf('cpu', assetBase);
    return {
      info: { backend: 'simd', adapter: `the lab's WebAssembly SIMD kernels, ${note}`, reason },
      compute,
    };
  }
  if (name === 'gpu') {
    const gpu = await probeWebGpu();
    if (!gpu.available) throw new Error(`WebGPU is not available: ${gpu.description}`);
    const compute = await startOwnGpu().catch((e: unknown) => {
      throw new Error(`the lab's WebGPU kernels cannot run here: ${errorMessage(e)}`);
    });
    await startTf('cpu', assetBase); // as for simd: tfjs must not start webgpu behind our back
    return {
      info: { backend: 'gpu', adapter: `the lab's WGSL on ${gpu.description}`, reason },
      compute,
    };
  }
  let adapter: string;
  if (name === 'webgpu') {
    const gpu = await probeWebGpu();
    if (!gpu.available) throw new Error(`WebGPU is not available: ${gpu.description}`);
    adapter = gpu.description;
  }
  if (!(await startTf(name, assetBase)))
    throw new Error(`the ${name === 'webgpu' ? 'WebGPU' : name} backend failed to start`);
  adapter ??=
    name === 'wasm'
      ? wasmDescription()
      : name === 'webgl'
        ? probeWebGl().description
        : 'JavaScript on the CPU';
  return { info: { backend: name, adapter, reason }, compute: tfCompute };
}

/**
 * Bump when a change makes old verdicts stale (new kernels, a new candidate). 3: the kernels'
 * fused multiply-add, per-layer crossover and lit-pixel evaluation (issue 17).
 */
const PROBE_VERSION = 3;
const PROBE_CACHE = 'lottery-ticket-lab-probe';

interface Verdict {
  best: BackendName;
  rates: Partial<Record<BackendName, number>>;
}

/** The device as the probe saw it: a verdict is only reused on the same one. */
function deviceKey(gpu: Probe, gl: Probe): string {
  const parts = [
    PROBE_VERSION,
    self.navigator.userAgent,
    self.navigator.hardwareConcurrency,
    self.crossOriginIsolated,
    gpu.description,
    gl.description,
  ];
  return `https://probe.invalid/${encodeURIComponent(JSON.stringify(parts))}`;
}

async function cachedVerdict(key: string): Promise<Verdict | null> {
  try {
    const hit = await (await self.caches.open(PROBE_CACHE)).match(key);
    return hit ? ((await hit.json()) as Verdict) : null;
  } catch {
    return null; // no Cache Storage here (or a broken entry): measure again
  }
}

async function keepVerdict(key: string, verdict: Verdict): Promise<void> {
  try {
    await (
      await self.caches.open(PROBE_CACHE)
    ).put(
      key,
      new Response(JSON.stringify(verdict), { headers: { 'Content-Type': 'application/json' } }),
    );
  } catch {
    // not cached: the next worker measures again
  }
}

const rounded = (rates: Verdict['rates']) =>
  Object.entries(rates)
    .sort((a, b) => b[1] - a[1])
    .map(([name, rate]) => `${name} ${(rate / 1000).toFixed(1)}k`)
    .join(', ');

let autoChoice: StartedBackend | null = null;

/** Starts the chosen backend; throws with the reason if a forced backend cannot start. */
export async function initBackend(
  choice: BackendChoice,
  assetBase: string,
): Promise<StartedBackend> {
  if (choice !== 'auto') return start(choice, assetBase, 'chosen by the user');
  if (autoChoice) {
    const again = await start(autoChoice.info.backend, assetBase, autoChoice.info.reason).catch(
      () => null,
    );
    if (again) return (autoChoice = again);
  }
  const [gpu, gl] = [await probeWebGpu(), probeWebGl()];
  const skipped = [
    gpu.available && gpu.software
      ? `WebGPU adapter is ${gpu.description}`
      : !gpu.available
        ? gpu.description
        : null,
    gl.available && gl.software ? `WebGL renderer is ${gl.description}` : null,
  ].filter(Boolean);
  const key = deviceKey(gpu, gl);
  const cached = await cachedVerdict(key);
  if (cached) {
    const reason = `measured on this device earlier: ${rounded(cached.rates)} examples/s`;
    const again = await start(cached.best, assetBase, reason).catch(() => null);
    if (again) return (autoChoice = again);
  }
  const candidates: BackendName[] = ['simd'];
  if (gpu.available && !gpu.software) candidates.push('gpu', 'webgpu');
  if (gl.available && !gl.software) candidates.push('webgl');
  candidates.push('wasm');
  const rates: Verdict['rates'] = {};
  for (const name of candidates) {
    const started = await start(name, assetBase, '').catch(() => null);
    if (!started) continue;
    rates[name] = await measure(started.compute).catch(() => undefined);
  }
  const ranked = (Object.keys(rates) as BackendName[])
    .filter((n) => rates[n] !== undefined)
    .sort((a, b) => rates[b]! - rates[a]!);
  const note = skipped.length ? ` (${skipped.join('; ')})` : '';
  if (ranked.length === 0) {
    autoChoice = await start('cpu', assetBase, `nothing faster could start${note}`);
    return autoChoice;
  }
  const best = ranked[0]!;
  await keepVerdict(key, { best, rates });
  autoChoice = await start(
    best,
    assetBase,
    `fastest measured here: ${rounded(rates)} examples/s${note}`,
  );
  return autoChoice;
}
