/**
 * The WGSL of the lab's own WebGPU step (issue 17): five small compute shaders that a step and an
 * evaluation are made of. Every shader runs K stacked networks at once: the dispatch's y
 * coordinate is the variant, x covers one variant's outputs in workgroups of 64 threads (two
 * warps, one wavefront: a size every GPU schedules whole), one output element a thread, so a
 * step is the same 10 dispatches (3·L + 1 for L = 3 layers: gpu-trainer.ts) whatever K is.
 *
 * Layouts (f32 unless said): activations example-major, `h[v][b][unit]`, variants `stride`
 * floats apart (a stride of 0 shares one input among every variant: one batch for all). Weights
 * are the engine's own [in][out] row-major with the bias as an extra last row, `wb[v][in + 1][out]`,
 * so the bias rides along every weight kernel: its "input" is the constant 1 and its mask is 1.
 *
 * Two uniform blocks: `Shape` (fixed for the trainer's life: widths, strides, flags) and `Step`
 * (written before each submission: examples, Adam's bias-corrected rate and ε̂).
 */

/** The per-submission block every shader shares (16-byte aligned: 8 words). */
const STEP = /* wgsl */ `
struct Step {
  n: u32,        // examples in this batch or chunk (≤ the rows laid out)
  first: u32,    // first example of a held-out chunk (gather's sequential mode)
  alpha: f32,    // Adam: lr · √(1 − β2ᵗ) / (1 − β1ᵗ)
  epsHat: f32,   // Adam: ε · √(1 − β2ᵗ)
  invN: f32,     // 1 / n: the loss is a mean over the batch
  _p0: u32, _p1: u32, _p2: u32,
}
@group(0) @binding(0) var<uniform> step: Step;
`;

/**
 * Bytes → inputs: x[v][b][p] = lut[byte] · scale[image] for example idx[v][b] (or `from + b`
 * when `sequential`), and its label. Images are MNIST's bytes packed four to a u32 (784 is a
 * multiple of 4, so an image starts on a word). One thread per pixel: x is written contiguously.
 */
export const GATHER = /* wgsl */ `${STEP}
struct Shape { bs: u32, sequential: u32, useScale: u32, _p: u32 }
@group(0) @binding(1) var<uniform> shape: Shape;
@group(0) @binding(2) var<storage, read> images: array<u32>;
@group(0) @binding(3) var<storage, read> labels8: array<u32>;
@group(0) @binding(4) var<storage, read> scale: array<f32>;
@group(0) @binding(5) var<storage, read> lut: array<f32>;
@group(0) @binding(6) var<storage, read> idx: array<u32>;
@group(0) @binding(7) var<storage, read_write> x: array<f32>;
@group(0) @binding(8) var<storage, read_write> labels: array<u32>;

fn byteAt(words: ptr<storage, array<u32>, read>, i: u32) -> u32 {
  return ((*words)[i >> 2u] >> ((i & 3u) * 8u)) & 255u;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let v = id.y;
  let b = id.x / 784u;
  let p = id.x % 784u;
  if (b >= step.n) { return; }
  var e = step.first + b;
  if (shape.sequential == 0u) { e = idx[v * shape.bs + b]; }
  var k = 1.0;
  if (shape.useScale != 0u) { k = scale[e]; }
  x[(v * shape.bs + b) * 784u + p] = lut[byteAt(&images, e * 784u + p)] * k;
  if (p == 0u) { labels[v * shape.bs + b] = byteAt(&labels8, e); }
}
`;

/**
 * One dense layer forward, bias and ReLU fused: hout[v][b][o] = act(wb[v][in][o] + Σ_i
 * hin[v][b][i] · wb[v][i][o]). One thread per (b, o): neighbouring threads read neighbouring
 * weights (coalesced) and the same input (a broadcast).
 */
export const FORWARD = /* wgsl */ `${STEP}
struct Shape { inn: u32, out: u32, bs: u32, inStride: u32, relu: u32, _p0: u32, _p1: u32, _p2: u32 }
@group(0) @binding(1) var<uniform> shape: Shape;
@group(0) @binding(2) var<storage, read> hin: array<f32>;
@group(0) @binding(3) var<storage, read> wb: array<f32>;
@group(0) @binding(4) var<storage, read_write> hout: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let v = id.y;
  let b = id.x / shape.out;
  let o = id.x % shape.out;
  if (b >= step.n) { return; }
  let w0 = v * (shape.inn + 1u) * shape.out + o;
  let h0 = v * shape.inStride + b * shape.inn;
  var s = wb[w0 + shape.inn * shape.out];
  for (var i = 0u; i < shape.inn; i++) { s += hin[h0 + i] * wb[w0 + i * shape.out]; }
  if (shape.relu != 0u) { s = max(s, 0.0); }
  hout[(v * shape.bs + b) * shape.out + o] = s;
}
`;

/**
 * The cross-entropy head: per example, log-softmax of the logits against the label; writes the
 * loss gradient dz = (softmax − onehot) / n when training, and adds the batch's loss (a mean when
 * training, a sum when evaluating) and its count of right answers (argmax, first of equals) to
 * acc[v] = (loss, correct). One workgroup per variant: 64 threads take every 64th example, then
 * a tree sum in workgroup memory, so the sums need no atomics and come out the same every run.
 */
export const HEAD = /* wgsl */ `${STEP}
struct Shape { classes: u32, bs: u32, labelStride: u32, train: u32 }
@group(0) @binding(1) var<uniform> shape: Shape;
@group(0) @binding(2) var<storage, read> z: array<f32>;
@group(0) @binding(3) var<storage, read> labels: array<u32>;
@group(0) @binding(4) var<storage, read_write> dz: array<f32>;
@group(0) @binding(5) var<storage, read_write> acc: array<f32>;

var<workgroup> lossPart: array<f32, 64>;
var<workgroup> rightPart: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let v = wid.y;
  let t = lid.x;
  let c = shape.classes;
  var loss = 0.0;
  var right = 0.0;
  for (var b = t; b < step.n; b += 64u) {
    let row = (v * shape.bs + b) * c;
    var top = z[row];
    var arg = 0u;
    for (var j = 1u; j < c; j++) { if (z[row + j] > top) { top = z[row + j]; arg = j; } }
    var sum = 0.0;
    for (var j = 0u; j < c; j++) { sum += exp(z[row + j] - top); }
    let logSum = log(sum);
    let label = labels[v * shape.labelStride + b];
    loss += logSum - (z[row + label] - top);
    if (arg == label) { right += 1.0; }
    if (shape.train != 0u) {
      for (var j = 0u; j < c; j++) {
        var p = exp(z[row + j] - top - logSum);
        if (j == label) { p -= 1.0; }
        dz[row + j] = p * step.invN;
      }
    }
  }
  lossPart[t] = loss;
  rightPart[t] = right;
  workgroupBarrier();
  for (var half = 32u; half > 0u; half >>= 1u) {
    if (t < half) { lossPart[t] += lossPart[t + half]; rightPart[t] += rightPart[t + half]; }
    workgroupBarrier();
  }
  if (t == 0u) {
    var scale = 1.0;
    if (shape.train != 0u) { scale = step.invN; }
    acc[2u * v] += lossPart[0] * scale;
    acc[2u * v + 1u] += rightPart[0];
  }
}
`;

/**
 * The gradient at a hidden layer's output, through its ReLU: dzIn[v][b][i] = (h[v][b][i] > 0) ·
 * Σ_o dzOut[v][b][o] · wb[v][i][o]. Runs before the layer's update, which changes wb. One thread
 * per (b, i); it reads its own row of wb.
 */
export const INPUT_GRAD = /* wgsl */ `${STEP}
struct Shape { inn: u32, out: u32, bs: u32, _p: u32 }
@group(0) @binding(1) var<uniform> shape: Shape;
@group(0) @binding(2) var<storage, read> dzOut: array<f32>;
@group(0) @binding(3) var<storage, read> wb: array<f32>;
@group(0) @binding(4) var<storage, read> h: array<f32>;
@group(0) @binding(5) var<storage, read_write> dzIn: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let v = id.y;
  let b = id.x / shape.inn;
  let i = id.x % shape.inn;
  if (b >= step.n) { return; }
  let at = (v * shape.bs + b) * shape.inn + i;
  var s = 0.0;
  if (h[at] > 0.0) {
    let w0 = (v * (shape.inn + 1u) + i) * shape.out;
    let d0 = (v * shape.bs + b) * shape.out;
    for (var o = 0u; o < shape.out; o++) { s += dzOut[d0 + o] * wb[w0 + o]; }
  }
  dzIn[at] = s;
}
`;

/**
 * The masked weight gradient and Adam, fused: g = mask · Σ_b hin[v][b][i] · dzOut[v][b][o] (the
 * bias row: Σ_b dzOut), then m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², w ← w − α·m / (√v + ε̂).
 * The gradient never leaves the thread. A pruned weight starts at 0 with m = v = 0, so its update
 * is 0 / ε̂ = 0 exactly: it stays 0 on any GPU. One thread per (i, o), i ≤ in: coalesced in o.
 */
export const UPDATE = /* wgsl */ `${STEP}
struct Shape { inn: u32, out: u32, bs: u32, inStride: u32 }
@group(0) @binding(1) var<uniform> shape: Shape;
@group(0) @binding(2) var<storage, read> hin: array<f32>;
@group(0) @binding(3) var<storage, read> dzOut: array<f32>;
@group(0) @binding(4) var<storage, read> mask: array<f32>;
@group(0) @binding(5) var<storage, read_write> wb: array<f32>;
@group(0) @binding(6) var<storage, read_write> m: array<f32>;
@group(0) @binding(7) var<storage, read_write> vv: array<f32>;

const BETA1 = 0.9;
const BETA2 = 0.999;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let v = id.y;
  let i = id.x / shape.out;
  let o = id.x % shape.out;
  if (i > shape.inn) { return; }
  let h0 = v * shape.inStride + i;
  let d0 = v * shape.bs * shape.out + o;
  var g = 0.0;
  if (i == shape.inn) {
    for (var b = 0u; b < step.n; b++) { g += dzOut[d0 + b * shape.out]; }
  } else {
    for (var b = 0u; b < step.n; b++) { g += hin[h0 + b * shape.inn] * dzOut[d0 + b * shape.out]; }
  }
  let at = (v * (shape.inn + 1u) + i) * shape.out + o;
  g *= mask[at];
  let m1 = m[at] * BETA1 + g * (1.0 - BETA1);
  let v1 = vv[at] * BETA2 + g * g * (1.0 - BETA2);
  m[at] = m1;
  vv[at] = v1;
  wb[at] -= m1 * step.alpha / (sqrt(v1) + step.epsHat);
}
`;
