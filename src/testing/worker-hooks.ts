/// <reference lib="webworker" />
/**
 * Test builds only (issue 6): the worker's side of the fault injections (protocol.ts). Loaded by
 * lab.worker.ts behind `__LAB_TEST_BUILD__`, so the production bundle has none of it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kernelHeapBytes, killLiveKernelThread } from '../worker/backends';
import type { LabEvent } from '../worker/protocol';
import type { MemorySample, TestCommand, TestReply } from './protocol';

const atRoundStart: (MemorySample & { round: number })[] = [];

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

/** Sees every event the worker posts: a round starts once the last round's model is disposed. */
export function observe(e: LabEvent): void {
  if (e.type === 'roundStarted') atRoundStart.push({ round: e.round, ...sample() });
}

export async function handle(command: TestCommand, port: MessagePort | undefined): Promise<void> {
  const reply = (r: TestReply) => port?.postMessage(r);
  try {
    reply(await inject(command));
  } catch (e) {
    reply({ ok: false, detail: e instanceof Error ? e.message : String(e) });
  }
}

async function inject(command: TestCommand): Promise<TestReply> {
  switch (command.kind) {
    case 'crash':
      setTimeout(() => {
        throw new Error('injected fault: an exception nobody caught');
      });
      return { ok: true, detail: 'crashing' };
    case 'loseDevice': {
      const device =
        tf.getBackend() === 'webgpu'
          ? (tf.backend() as unknown as { device: GPUDevice }).device
          : null;
      if (!device)
        return { ok: false, detail: `no WebGPU device in use (backend: ${tf.getBackend()})` };
      device.destroy();
      return { ok: true, detail: 'device destroyed' };
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
    case 'fetch': {
      const outcome = await fetch(command.url).then(
        (r) => `answered ${r.status}`,
        (e: unknown) => String(e),
      );
      return { ok: true, detail: outcome };
    }
    case 'memory':
      return { ok: true, detail: '', memory: { now: sample(), atRoundStart: [...atRoundStart] } };
  }
}
