/**
 * Which of the four kernel files a host loads (scripts/build-kernels.mjs builds them): shared
 * memory or not, and with relaxed SIMD's fused multiply-add (`-fma`) where the engine validates
 * it. The hosts (src/worker/kernel-host.ts, src/node-host/node-kernels.ts) ask
 * `WebAssembly.validate(RELAXED_SIMD_PROBE)`; this room has no WebAssembly types of its own.
 */

/**
 * The smallest module that uses relaxed SIMD: one function returning f32x4.relaxed_madd(a, b, c)
 * (44 bytes, compiled by AssemblyScript with `--enable simd,relaxed-simd`). An engine that
 * validates it runs the `-fma` builds.
 */
export const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 7, 5, 1, 1, 102,
  0, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
]);

/**
 * `plain`: a multiply then an add, the same bits on every CPU and engine. `fma`: fused, one
 * rounding, up to twice the sums per cycle; the same bits across thread counts and runs on one
 * machine (relaxed_madd may fuse on one CPU and not on another).
 */
export type KernelArithmetic = 'plain' | 'fma';

export function kernelFile(shared: boolean, arithmetic: KernelArithmetic): string {
  return `lenet${shared ? '-threads' : ''}${arithmetic === 'fma' ? '-fma' : ''}.wasm`;
}

/** The compute's name: `simd` or `simd-fma` (the run files' compute: their numbers differ). */
export function kernelsName(arithmetic: KernelArithmetic, threads: number): string {
  const simd = arithmetic === 'fma' ? 'simd-fma' : 'simd';
  return `${simd}, ${threads > 1 ? `${threads} threads` : 'one thread'}`;
}
