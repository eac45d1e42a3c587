/**
 * The binary interface of the lab's kernels (assembly/lenet.ts, compiled to
 * public/kernels/lenet*.wasm): what each export takes, in the order it takes it. Pointers and
 * strides are byte offsets into the module's linear memory; every export ends with the unit
 * range (t0, t1) it computes, so threads can share one call. Kept free of the WebAssembly
 * globals: a host (the worker, Node) instantiates the module and hands over its exports.
 */

export interface LenetKernels {
  gather(
    images: number,
    labels: number,
    idx: number,
    n: number,
    bs: number,
    lut: number,
    scale: number,
    x: number,
    xT: number,
    labelsOut: number,
    t0: number,
    t1: number,
  ): void;
  forward(
    wT: number,
    sw: number,
    bias: number,
    sb: number,
    hin: number,
    shin: number,
    hout: number,
    houtT: number,
    shout: number,
    innP: number,
    outP: number,
    bs: number,
    relu: number,
    t0: number,
    t1: number,
  ): void;
  softmaxXent(
    z: number,
    sz: number,
    labels: number,
    n: number,
    bs: number,
    classes: number,
    outP: number,
    dz: number,
    scale: number,
    lossSum: number,
    correct: number,
    v0: number,
    v1: number,
  ): void;
  backwardInput(
    wT: number,
    sw: number,
    dz: number,
    sdz: number,
    hin: number,
    dh: number,
    sdh: number,
    innP: number,
    outP: number,
    bs: number,
    t0: number,
    t1: number,
  ): void;
  weightAdam(
    dz: number,
    sdz: number,
    hinT: number,
    shin: number,
    wT: number,
    m: number,
    v: number,
    mask: number,
    sw: number,
    innP: number,
    outP: number,
    n: number,
    bs: number,
    alpha: number,
    epsHat: number,
    beta1: number,
    gain1: number,
    beta2: number,
    gain2: number,
    t0: number,
    t1: number,
  ): void;
  biasAdam(
    dz: number,
    sdz: number,
    bias: number,
    m: number,
    v: number,
    sb: number,
    outP: number,
    bs: number,
    alpha: number,
    epsHat: number,
    beta1: number,
    gain1: number,
    beta2: number,
    gain2: number,
    v0: number,
    v1: number,
  ): void;
  sparseForward(
    rowPtr: number,
    col: number,
    si: number,
    w: number,
    sv: number,
    bias: number,
    sb: number,
    hin: number,
    shin: number,
    hout: number,
    houtT: number,
    shout: number,
    outP: number,
    bs: number,
    relu: number,
    t0: number,
    t1: number,
  ): void;
  sparseBackwardInput(
    tRowPtr: number,
    tCol: number,
    tVal: number,
    si: number,
    w: number,
    sv: number,
    dz: number,
    sdz: number,
    hin: number,
    dh: number,
    sdh: number,
    innP: number,
    bs: number,
    t0: number,
    t1: number,
  ): void;
  sparseWeightAdam(
    rowPtr: number,
    col: number,
    si: number,
    w: number,
    m: number,
    v: number,
    sv: number,
    dz: number,
    sdz: number,
    hin: number,
    shin: number,
    outP: number,
    n: number,
    bs: number,
    alpha: number,
    epsHat: number,
    beta1: number,
    gain1: number,
    beta2: number,
    gain2: number,
    t0: number,
    t1: number,
  ): void;
  litPixels(
    images: number,
    labels: number,
    idx: number,
    n: number,
    lut: number,
    scale: number,
    lit: number,
    litVal: number,
    litCount: number,
    background: number,
    labelsOut: number,
    t0: number,
    t1: number,
  ): void;
  litForward(
    wIn: number,
    sw: number,
    rowSum: number,
    bias: number,
    sb: number,
    lit: number,
    litVal: number,
    litStart: number,
    litCount: number,
    background: number,
    sl: number,
    hout: number,
    houtT: number,
    shout: number,
    outP: number,
    n: number,
    bs: number,
    relu: number,
    t0: number,
    t1: number,
  ): void;
  litColumns(
    lit: number,
    litVal: number,
    litCount: number,
    sl: number,
    colPtr: number,
    colB: number,
    colVal: number,
    sc: number,
    bs: number,
    t0: number,
    t1: number,
  ): void;
  litWeightAdam(
    dz: number,
    sdz: number,
    colPtr: number,
    colB: number,
    colVal: number,
    sc: number,
    background: number,
    sl: number,
    wIn: number,
    m: number,
    v: number,
    mask: number,
    sw: number,
    rowSum: number,
    scratch: number,
    outP: number,
    n: number,
    bs: number,
    alpha: number,
    epsHat: number,
    beta1: number,
    gain1: number,
    beta2: number,
    gain2: number,
    t0: number,
    t1: number,
  ): void;
}

export type KernelName = keyof LenetKernels;

/** Every kernel, in a fixed order: a job names its kernel by index in this list. */
export const KERNEL_NAMES: readonly KernelName[] = [
  'gather',
  'forward',
  'softmaxXent',
  'backwardInput',
  'weightAdam',
  'biasAdam',
  'sparseForward',
  'sparseBackwardInput',
  'sparseWeightAdam',
  'litPixels',
  'litForward',
  'litColumns',
  'litWeightAdam',
];

/** What the kernels need of a WebAssembly.Memory (structural, so this room needs no DOM lib). */
export interface KernelMemory {
  readonly buffer: ArrayBufferLike;
  grow(deltaPages: number): number;
}

export const PAGE = 65536;
/**
 * The first page holds the kernels' own data (exp/log tables: the build gives the module one
 * page, so they must fit). Above it: the thread pool's control block, then the lab's data.
 */
export const CONTROL_AT = PAGE;
export const HEAP_BASE = PAGE + 4096;
/** The threaded module's declared maximum memory, in pages (1 GiB; scripts/build-kernels.mjs). */
export const MAX_SHARED_PAGES = 16384;

/** Widths are padded to 16 floats: every row then starts on a 64-byte line (assembly/lenet.ts). */
export function pad16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
