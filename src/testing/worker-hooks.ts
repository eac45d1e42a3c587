/// <reference lib="webworker" />
/**
 * Test builds only (issue 6): the worker's side of the fault injections (protocol.ts). Loaded by
 * lab.worker.ts behind `__LAB_TEST_BUILD__`, so the production bundle has none of it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kernelHeapBytes, killLiveKernelThread } from '../worker/backends';
import { destroyGpuDevice, failGpuMemory } from '../worker/gpu-host';
import type { Command, LabEvent } from '../worker/protocol';
import type { Fault, MemorySample, TestCommand, TestReply } from './protocol';

const atRoundStart: (MemorySample & { round: number })[] = [];
/** Faults armed for a round's start, each with the port its answer goes back on. */
const armed: { round: number; fault: Fault; reply: (r: TestReply) => void }[] = [];
/** The lab's handler, as the page's commands reach it (lab.worker.ts connects it). */
let toLab: ((c: Command) => void) | null = null;

export function connect(handle: (c: Command) => void): void {
  toLab = handle;
}

type GpuMemory = { numBytesInGPU: number; numBytesAllocatedInGPU: number };

function sample(): MemorySample {
  const backend = tf.getBackend() ?? null;
  // The WebGPU backend, if it was ever started, even while another one is current: switching
  // away must not strand its buffers either.
  const registry = (
    tf.engine() as unknown as { registry: Record<string, { memory(): unknown } | undefined> }
  ).registry;
  const gpu = (registry.webgpu?.memory() ?? null) as GpuMemory | null;
  const gpuBytes = {
    gpuBytesInUse: gpu?.numBytesInGPU ?? null,
    gpuBytesAllocated: gpu?.numBytesAllocatedInGPU ?? null,
    kernelHeapBytes: kernelHeapBytes(),
  };
  // tf.memory() would start a backend of its own choosing if none runs yet.
  if (!backend) return { backend, numTensors: 0, numBytes: 0, ...gpuBytes };
  const m = tf.memory();
  return { backend, numTensors: m.numTensors, numBytes: m.numBytes, ...gpuBytes };
}

/**
 * Sees every event the worker posts, synchronously, before it is posted: a round starts once the
 * last round's model is disposed, and the faults armed for that round fire here.
 */
export function observe(e: LabEvent): void {
  if (e.type !== 'roundStarted') return;
  atRoundStart.push({ round: e.round, ...sample() });
  for (const due of armed.filter((a) => a.round === e.round)) {
    armed.splice(armed.indexOf(due), 1);
    const fired = { round: e.round, kind: due.fault.kind };
    // Injected here and now, before the round goes on; answered at once where the fault is
    // synchronous (every one but fetch), so the answer leaves before the round goes on.
    const r = inject(due.fault);
    if (r instanceof Promise) void r.then((done) => due.reply({ ...done, fired }));
    else due.reply({ ...r, fired });
  }
}

export async function handle(command: TestCommand, port: MessagePort | undefined): Promise<void> {
  const reply = (r: TestReply) => port?.postMessage(r);
  if (command.kind === 'atRoundStart') {
    armed.push({ round: command.round, fault: command.fault, reply });
    return reply({ ok: true, detail: `${command.fault.kind} armed for round ${command.round}` });
  }
  reply(await inject(command));
}

/** Injects `command` and says how it went; never throws (a failure is an answer too). */
function inject(command: Fault): TestReply | Promise<TestReply> {
  const failed = (e: unknown): TestReply => ({
    ok: false,
    detail: e instanceof Error ? e.message : String(e),
  });
  try {
    const r = injectNow(command);
    return r instanceof Promise ? r.catch(failed) : r;
  } catch (e) {
    return failed(e);
  }
}

function injectNow(command: Fault): TestReply | Promise<TestReply> {
  switch (command.kind) {
    case 'crash':
      // A microtask's exception is reported as any uncaught one is (worker.onerror on the page),
      // and it is thrown at the worker's next await, before anything else it has queued.
      queueMicrotask(() => {
        throw new Error('injected fault: an exception nobody caught');
      });
      return { ok: true, detail: 'crashing' };
    case 'pause':
      if (!toLab) return { ok: false, detail: 'the hooks are not connected to the lab' };
      toLab({ type: 'pause' });
      return { ok: true, detail: 'pausing' };
    case 'atRoundStart':
      return { ok: false, detail: 'a round-start fault cannot be armed from another one' };
    case 'loseDevice': {
      const device =
        tf.getBackend() === 'webgpu'
          ? (tf.backend() as unknown as { device: GPUDevice }).device
          : null;
      if (device) {
        device.destroy();
        return { ok: true, detail: 'device destroyed' };
      }
      // The lab's own WebGPU step (the gpu backend) holds a device of its own.
      if (destroyGpuDevice()) return { ok: true, detail: "the GPU step's device destroyed" };
      return { ok: false, detail: `no WebGPU device in use (backend: ${tf.getBackend()})` };
    }
    case 'breakBackend': {
      const name = command.backend;
      if (tf.getBackend() === name) return { ok: false, detail: `${name} is in use` };
      if (tf.findBackendFactory(name)) tf.removeBackend(name);
      tf.registerBackend(name, () => {
        throw new Error(`injected fault: the ${name} backend failed to initialise`);
      });
      return { ok: true, detail: `${name} broken` };
    }
    case 'outOfMemory': {
      // The lab's own WebGPU step holds its device apart from tfjs: it reports there, as WebGPU does.
      if (failGpuMemory()) return { ok: true, detail: "the GPU step's device ran out of memory" };
      const backend = tf.backend() as unknown as { write: (...args: unknown[]) => unknown };
      const write = backend.write;
      backend.write = () => {
        backend.write = write;
        throw new RangeError('injected fault: out of memory (an allocation failed)');
      };
      return { ok: true, detail: `the next upload on ${tf.getBackend()} fails` };
    }
    case 'killKernelThread':
      return killLiveKernelThread()
        ? { ok: true, detail: 'kernel thread 1 terminated' }
        : { ok: false, detail: 'no kernel threads run' };
    case 'fetch':
      return fetch(command.url).then(
        (r) => ({ ok: true, detail: `answered ${r.status}` }),
        (e: unknown) => ({ ok: true, detail: String(e) }),
      );
    case 'memory':
      return { ok: true, detail: '', memory: { now: sample(), atRoundStart: [...atRoundStart] } };
  }
}
