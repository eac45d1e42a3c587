/**
 * The two builds of the kernels (kernel-files.ts): fused multiply-add where the engine runs
 * relaxed SIMD, and the plain fallback. Each gives the same bits on one thread and on two; they
 * differ from each other only by rounding. The other kernel tests run the build this Node picks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchOrder } from '../engine/data';
import { nodeKernels, relaxedSimd } from '../node-host/node-kernels';
import type { KernelCompute } from './kernel-compute';
import { kernelFile } from './kernel-files';
import {
  BATCH,
  LAYERS,
  data,
  maxRelDiff,
  params,
  starts,
  useKernels,
} from './kernel-compute.testing';

useKernels();

let computes: Record<'plain' | 'fma', [KernelCompute, KernelCompute]>;
beforeAll(async () => {
  computes = {
    plain: [await nodeKernels(1, 'plain'), await nodeKernels(2, 'plain')],
    fma: [await nodeKernels(1, 'fma'), await nodeKernels(2, 'fma')],
  };
});
afterAll(() => Object.values(computes ?? {}).forEach((cs) => cs.forEach((c) => c.dispose())));

async function train(compute: KernelCompute, storage: 'dense' | 'sparse') {
  const session = compute.open(data, LAYERS, { batchSize: BATCH });
  const trainer = session.kernelTrainer(3, storage);
  try {
    trainer.load(starts(11, 0.4));
    const order = new BatchOrder(data.train.size, BATCH, 3);
    for (let s = 0; s < 15; s++) trainer.step(order.indices(s), 3e-3);
    return {
      params: await params(trainer),
      test: await trainer.evaluate('test'),
    };
  } finally {
    trainer.dispose();
    session.dispose();
  }
}

const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('the kernels with and without fused multiply-add', () => {
  it('this Node runs relaxed SIMD (Node 20 behind its flag, which the host sets)', () => {
    expect(relaxedSimd()).toBe(true);
    expect(kernelFile(true, 'fma')).toBe('lenet-threads-fma.wasm');
    expect(kernelFile(false, 'plain')).toBe('lenet.wasm');
  });

  for (const storage of ['dense', 'sparse'] as const)
    it(`each build: one thread = two threads bit for bit; the builds agree to rounding (${storage})`, async () => {
      const runs = {
        plain: await Promise.all(computes.plain.map((c) => train(c, storage))),
        fma: await Promise.all(computes.fma.map((c) => train(c, storage))),
      };
      for (const [name, [a, b]] of Object.entries(runs)) {
        expect(b!.test, name).toEqual(a!.test);
        a!.params.forEach((p, v) =>
          p.weights.forEach((w, l) =>
            expect(bits(b!.params[v]!.weights[l]!).equals(bits(w)), `${name} ${v} ${l}`).toBe(true),
          ),
        );
      }
      const [plain, fma] = [runs.plain[0]!, runs.fma[0]!];
      let differ = false;
      plain.params.forEach((p, v) =>
        p.weights.forEach((w, l) => {
          const other = fma.params[v]!.weights[l]!;
          expect(maxRelDiff(other, w), `variant ${v}, layer ${l}`).toBeLessThan(1e-3);
          differ ||= !bits(other).equals(bits(w));
        }),
      );
      // This machine's CPU has FMA3, so V8 fuses: were the fma build plain, nothing would differ.
      expect(differ).toBe(true);
    });
});
