/// <reference types="@webgpu/types" />
/**
 * The few WebGPU chores the trainer repeats: the shaders compiled once per device, buffers and
 * uniform blocks, dispatches counted where they are recorded, and batched
 * readback (one copy into one mappable buffer, one map, for every array asked at once).
 */
import { FORWARD, GATHER, HEAD, INPUT_GRAD, UPDATE } from './wgsl';

export type KernelName = 'gather' | 'forward' | 'head' | 'inputGrad' | 'update';
const SOURCES: Record<KernelName, string> = {
  gather: GATHER,
  forward: FORWARD,
  head: HEAD,
  inputGrad: INPUT_GRAD,
  update: UPDATE,
};
/** Every shader's workgroup is 64 threads along x (wgsl.ts says why). */
export const WORKGROUP = 64;

const pipelinesOf = new WeakMap<GPUDevice, Record<KernelName, GPUComputePipeline>>();

/** The five pipelines of `device`, compiled on first use. */
export function pipelines(device: GPUDevice): Record<KernelName, GPUComputePipeline> {
  let p = pipelinesOf.get(device);
  if (!p) {
    const entries = Object.entries(SOURCES).map(([name, code]) => [
      name,
      device.createComputePipeline({
        label: `lab ${name}`,
        layout: 'auto',
        compute: {
          module: device.createShaderModule({ label: `lab ${name}`, code }),
          entryPoint: 'main',
        },
      }),
    ]);
    p = Object.fromEntries(entries) as Record<KernelName, GPUComputePipeline>;
    pipelinesOf.set(device, p);
  }
  return p;
}

export const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
export const UNIFORM = GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST;

/** A buffer of at least `bytes` (rounded up to 4; WebGPU refuses empty bindings), zeroed. */
export function buffer(
  device: GPUDevice,
  bytes: number,
  usage = STORAGE,
  label?: string,
): GPUBuffer {
  return device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 4) * 4), usage, label });
}

/** A uniform block of u32 words (and f32 where given as such), written once. */
export function uniform(device: GPUDevice, words: readonly number[]): GPUBuffer {
  const b = buffer(device, Math.max(16, words.length * 4), UNIFORM);
  device.queue.writeBuffer(b, 0, Uint32Array.from(words));
  return b;
}

/**
 * queue.writeBuffer of any typed array: the engine's arrays may sit on a SharedArrayBuffer (the
 * worker is cross-origin isolated), which WebGPU takes (AllowSharedBufferSource) but this
 * TypeScript's typings do not yet say.
 */
export function write(
  device: GPUDevice,
  to: GPUBuffer,
  offset: number,
  data: ArrayBufferView,
): void {
  device.queue.writeBuffer(to, offset, data as ArrayBufferView<ArrayBuffer>);
}

/** A storage buffer holding `data` (bytes padded to a word). */
export function upload(device: GPUDevice, data: ArrayBufferView): GPUBuffer {
  const b = buffer(device, data.byteLength);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const whole = bytes.byteLength % 4 === 0 ? bytes : padded(bytes);
  write(device, b, 0, whole);
  return b;
}

function padded(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
  out.set(bytes);
  return out;
}

/** A bind group of `pipeline` with `buffers` at bindings 0, 1, 2, … */
export function bind(
  device: GPUDevice,
  pipeline: GPUComputePipeline,
  buffers: GPUBuffer[],
): GPUBindGroup {
  return device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((b, i) => ({ binding: i, resource: { buffer: b } })),
  });
}

/** One recorded dispatch: a pipeline, its bind group, and how many threads along x and y. */
export interface Dispatch {
  pipeline: GPUComputePipeline;
  group: GPUBindGroup;
  threads: number;
  variants: number;
}

/** Records `dispatches` into one compute pass; returns how many it recorded. */
export function record(encoder: GPUCommandEncoder, dispatches: readonly Dispatch[]): number {
  const pass = encoder.beginComputePass();
  for (const d of dispatches) {
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.group);
    pass.dispatchWorkgroups(Math.ceil(d.threads / WORKGROUP), d.variants);
  }
  pass.end();
  return dispatches.length;
}

/**
 * Reads `parts` (buffer, byte offset, byte length) back in one submission and one map: the only
 * way the trainer waits on the GPU.
 */
export async function readBack(
  device: GPUDevice,
  parts: readonly { from: GPUBuffer; offset: number; bytes: number }[],
  before?: (encoder: GPUCommandEncoder) => void,
): Promise<Float32Array[]> {
  const total = parts.reduce((a, p) => a + p.bytes, 0);
  const staging = device.createBuffer({
    size: Math.max(16, total),
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  try {
    const encoder = device.createCommandEncoder();
    let at = 0;
    for (const p of parts) {
      encoder.copyBufferToBuffer(p.from, p.offset, staging, at, p.bytes);
      at += p.bytes;
    }
    before?.(encoder);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const all = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    at = 0;
    return parts.map((p) => {
      const out = all.slice(at / 4, (at + p.bytes) / 4);
      at += p.bytes;
      return out;
    });
  } finally {
    staging.destroy();
  }
}
