// The lab's own kernels for K masked MLPs trained in lockstep (AssemblyScript, compiled to
// WebAssembly SIMD by scripts/build-kernels.mjs). The TypeScript side is src/kernels/: it lays
// the model out in linear memory, splits each call across threads and checks every kernel
// against the tfjs path (src/kernels/*.test.ts).
//
// Why our own: a tfjs training step of LeNet-300-100 costs ~60 kernel launches, and tfjs-wasm
// runs the batched and transposed matmuls of the backward pass on a plain loop; one call per
// layer here, on register-blocked SIMD tiles, is several times faster on a CPU (docs/benchmarks.md).
//
// Layout (all f32, row-major, byte pointers). Every width is padded to a multiple of 16 floats
// (784, 304, 112, 16 for LeNet-300-100; the batch 60 to 64), so every row starts on a 64-byte
// cache line: measured, that alone makes the tiles ~25% faster than rows of 60.
//   Activations come in two layouts: feature-major H[unit][example] (the matmuls' right-hand
//   side) and example-major Hᵀ[example][unit] (for the weight gradient). Lanes past the batch
//   are padding: their inputs are 0 and their gradients are written 0.
//   Weights are stored transposed, Wᵀ[out][in], so a tile's rows of A are contiguous; padded
//   rows and columns are masked out and stay 0. Adam's m and v and the 0/1 mask share it.
//   K variants lie at fixed strides (`s*` arguments, in bytes; 0 = shared, as the input batch
//   is unless each variant trains on its own batch: trials in lockstep).
//
// Determinism: every output element is computed by one call in one fixed order of operations,
// so a result does not depend on how the work is split across threads. The plain builds give the
// same bits in Node and every browser on every CPU. The `-fma` builds (relaxed SIMD, where the
// engine offers it) fuse each multiply-add of the sums below (`madd`): one rounding instead of
// two, so their bits differ from the plain builds', and relaxed_madd may fuse or not by CPU, so
// they are the same across thread counts and runs on one machine, not across machines.
//
// Work splitting: `t0`, `t1` select a range of the call's units (2-row tiles, flattened over
// the K variants; or variants; or evaluation chunks), so threads can share one call.

/**
 * c + a · b: fused (one rounding) in the relaxed-SIMD builds, where x86 with FMA3 and ARM run it
 * as one instruction, twice the sums per cycle of a multiply then an add; else the plain two.
 */
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// ---- the register-blocked tile: 2 rows × 16 columns of C = Σ_k A(r, k) · B[k][·] ----

// A(r, k) is at a + r·aRow + k·aK (bytes), B[k] at b + k·bRow. Eight v128 accumulators stay in
// registers (measured: 12 or 16 spill under V8 and run slower); per k, 2 broadcasts and 4 loads
// feed 8 multiplies and 8 adds.
@inline
function tile2(a: usize, aRow: usize, aK: usize, b: usize, bRow: usize, kk: i32, c: usize, cRow: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  let pa = a;
  let pb = b;
  for (let k = 0; k < kk; k++) {
    const w0 = v128.load32_splat(pa);
    const w1 = v128.load32_splat(pa + aRow);
    const x0 = v128.load(pb);
    const x1 = v128.load(pb, 16);
    const x2 = v128.load(pb, 32);
    const x3 = v128.load(pb, 48);
    c00 = madd(w0, x0, c00);
    c01 = madd(w0, x1, c01);
    c02 = madd(w0, x2, c02);
    c03 = madd(w0, x3, c03);
    c10 = madd(w1, x0, c10);
    c11 = madd(w1, x1, c11);
    c12 = madd(w1, x2, c12);
    c13 = madd(w1, x3, c13);
    pa += aK;
    pb += bRow;
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c, c02, 32);
  v128.store(c, c03, 48);
  v128.store(c + cRow, c10);
  v128.store(c + cRow, c11, 16);
  v128.store(c + cRow, c12, 32);
  v128.store(c + cRow, c13, 48);
}

/** Two rows of C, cols a multiple of 16: one 2×16 tile after another. */
@inline
function rows2(a: usize, aRow: usize, aK: usize, b: usize, bRow: usize, kk: i32, c: usize, cRow: usize, cols: i32): void {
  for (let col = 0; col < cols; col += 16) tile2(a, aRow, aK, b + (<usize>col << 2), bRow, kk, c + (<usize>col << 2), cRow);
}

// ---- the input batch ----

/**
 * x[p][b] and xT[b][p] = lut[images[idx[b]·784 + p]] (· scale[idx[b]] where scale is not 0) for
 * the n examples idx[0..n), 0 in the padding lanes n..bs; labelsOut[b] = labels[idx[b]] (i32).
 * lut is the engine's byte → input table and scale its per-image factor (per-image L2), so
 * inputs are the same floats as on the tfjs path. xT may be 0 (evaluation needs none).
 * Units: groups of 16 examples, bs / 16 of them: each row of x (64 bytes of a group) is then
 * written by one thread only (a unit per example had two threads writing one cache line: gather
 * cost as much as a layer's forward pass).
 */
export function gather(images: usize, labels: usize, idx: usize, n: i32, bs: i32, lut: usize, scale: usize, x: usize, xT: usize, labelsOut: usize, t0: i32, t1: i32): void {
  const pixels = 784;
  const row = <usize>bs << 2;
  for (let g = t0; g < t1; g++) {
    const b0 = g << 4;
    // Pixel by pixel, 16 examples at a time: each row of x is one cache line, written whole, and
    // the 16 images (12.5 KB) stay in L1 while their pixels are read across.
    for (let p = 0; p < pixels; p++) {
      const dst = x + <usize>p * row + (<usize>b0 << 2);
      for (let q = 0; q < 16; q++) {
        const b = b0 + q;
        let value: f32 = 0;
        if (b < n) {
          const e = load<u32>(idx + (<usize>b << 2));
          value = load<f32>(lut + (<usize>load<u8>(images + <usize>e * pixels + p) << 2));
          if (scale) value *= load<f32>(scale + (<usize>e << 2));
        }
        store<f32>(dst + (<usize>q << 2), value);
        if (xT) store<f32>(xT + <usize>b * (<usize>pixels << 2) + (<usize>p << 2), value);
      }
    }
    for (let b = b0; b < b0 + 16 && b < n; b++) store<i32>(labelsOut + (<usize>b << 2), load<u8>(labels + load<u32>(idx + (<usize>b << 2))));
  }
}

// ---- forward ----

/**
 * hout[j][·] = act(bias[j] + Σ_i wT[j][i] · hin[i][·]) for every variant, also written
 * example-major into houtT[b][j] unless houtT is 0. act is ReLU when relu != 0, else the
 * identity (logits). Units: 2-row tiles of hout, outP/2 per variant.
 */
export function forward(wT: usize, sw: usize, bias: usize, sb: usize, hin: usize, shin: usize, hout: usize, houtT: usize, shout: usize, innP: i32, outP: i32, bs: i32, relu: i32, t0: i32, t1: i32): void {
  const tiles = outP >> 1;
  const row = <usize>bs << 2;
  const zero = f32x4.splat(0);
  for (let t = t0; t < t1; t++) {
    const v = <usize>(t / tiles);
    const r = (t % tiles) << 1;
    const c = hout + v * shout + <usize>r * row;
    // A(j, i) = wT[j][i]: rows a row of wT apart, consecutive k = i adjacent.
    rows2(wT + v * sw + <usize>r * (<usize>innP << 2), <usize>innP << 2, 4, hin + v * shin, row, innP, c, row, bs);
    for (let h: usize = 0; h < 2; h++) {
      const add = f32x4.splat(load<f32>(bias + v * sb + ((<usize>r + h) << 2)));
      const p = c + h * row;
      const tr = houtT + v * shout + ((<usize>r + h) << 2);
      const stride = <usize>outP << 2;
      for (let o: usize = 0; o < row; o += 16) {
        let s = f32x4.add(v128.load(p + o), add);
        if (relu) s = f32x4.max(s, zero);
        v128.store(p + o, s);
        if (houtT) {
          const q = tr + (o >> 2) * stride;
          store<f32>(q, f32x4.extract_lane(s, 0));
          store<f32>(q + stride, f32x4.extract_lane(s, 1));
          store<f32>(q + 2 * stride, f32x4.extract_lane(s, 2));
          store<f32>(q + 3 * stride, f32x4.extract_lane(s, 3));
        }
      }
    }
  }
}

// ---- loss ----

/**
 * Softmax cross-entropy of the logits z[c][b] (the first `classes` of outP rows), variants
 * v0..v1, examples b < n. Adds each variant's summed loss to lossSum[v] (f64) and, where
 * correct != 0, its count of right answers (the first maximum, as tf.argMax) to correct[v].
 * Where dz != 0 it writes dL/dz of the mean loss (scale = 1/n) into dz[c][b], with zeros in
 * the padding rows and lanes.
 */
export function softmaxXent(z: usize, sz: usize, labels: usize, n: i32, bs: i32, classes: i32, outP: i32, dz: usize, scale: f64, lossSum: usize, correct: usize, v0: i32, v1: i32): void {
  const row = <usize>bs << 2;
  for (let v = v0; v < v1; v++) {
    const zv = z + <usize>v * sz;
    let loss: f64 = 0;
    let right: f64 = 0;
    for (let b = 0; b < n; b++) {
      const col = zv + (<usize>b << 2);
      let max: f64 = load<f32>(col);
      let arg = 0;
      for (let c = 1; c < classes; c++) {
        const x: f64 = load<f32>(col + <usize>c * row);
        if (x > max) {
          max = x;
          arg = c;
        }
      }
      let sum: f64 = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(<f64>load<f32>(col + <usize>c * row) - max);
      const label = load<i32>(labels + (<usize>b << 2));
      const logSum = Math.log(sum);
      loss -= <f64>load<f32>(col + <usize>label * row) - max - logSum;
      if (arg == label) right += 1;
      if (dz) {
        const dcol = dz + <usize>v * sz + (<usize>b << 2);
        for (let c = 0; c < outP; c++) {
          let g: f32 = 0;
          if (c < classes) {
            const p = Math.exp(<f64>load<f32>(col + <usize>c * row) - max - logSum);
            g = <f32>((p - (c == label ? 1.0 : 0.0)) * scale);
          }
          store<f32>(dcol + <usize>c * row, g);
        }
      }
    }
    if (dz) {
      for (let b = n; b < bs; b++) {
        const dcol = dz + <usize>v * sz + (<usize>b << 2);
        for (let c = 0; c < outP; c++) store<f32>(dcol + <usize>c * row, 0);
      }
    }
    store<f64>(lossSum + (<usize>v << 3), load<f64>(lossSum + (<usize>v << 3)) + loss);
    if (correct) store<f64>(correct + (<usize>v << 3), load<f64>(correct + (<usize>v << 3)) + right);
  }
}

// ---- backward ----

/**
 * dh[i][·] = (hin[i][·] > 0) · Σ_j wT[j][i] · dz[j][·]: the gradient at the previous layer's
 * pre-activations (ReLU's derivative read from its output, as tf.step on the tfjs path).
 * Units: 2-row tiles of dh, innP/2 per variant.
 */
export function backwardInput(wT: usize, sw: usize, dz: usize, sdz: usize, hin: usize, dh: usize, sdh: usize, innP: i32, outP: i32, bs: i32, t0: i32, t1: i32): void {
  const tiles = innP >> 1;
  const row = <usize>bs << 2;
  const zero = f32x4.splat(0);
  for (let t = t0; t < t1; t++) {
    const v = <usize>(t / tiles);
    const i = (t % tiles) << 1;
    const c = dh + v * sdh + <usize>i * row;
    // A(i, j) = wT[j][i]: consecutive rows i adjacent, consecutive k = j a row of wT apart.
    rows2(wT + v * sw + (<usize>i << 2), 4, <usize>innP << 2, dz + v * sdz, row, outP, c, row, bs);
    const q = hin + v * sdh + <usize>i * row;
    for (let o: usize = 0; o < 2 * row; o += 16) v128.store(c + o, v128.and(v128.load(c + o), f32x4.gt(v128.load(q + o), zero)));
  }
}

/** Adam on 4 weights at byte offset `at` of wT, m, v, mask, given their gradient g. */
@inline
function adam4(g0: v128, at: usize, wT: usize, m: usize, vv: usize, mask: usize, b1: v128, g1: v128, b2: v128, g2: v128, al: v128, ep: v128): void {
  const g = f32x4.mul(g0, v128.load(mask + at));
  const m1 = f32x4.add(f32x4.mul(v128.load(m + at), b1), f32x4.mul(g, g1));
  const v1 = f32x4.add(f32x4.mul(v128.load(vv + at), b2), f32x4.mul(f32x4.mul(g, g), g2));
  v128.store(m + at, m1);
  v128.store(vv + at, v1);
  v128.store(wT + at, f32x4.sub(v128.load(wT + at), f32x4.div(f32x4.mul(m1, al), f32x4.add(f32x4.sqrt(v1), ep))));
}

/**
 * The weight gradient and masked Adam, fused: each 2×16 tile of g[j][i] = Σ_{b<n} dz[j][b] ·
 * hinT[b][i] is computed in registers and applied at once: m ← β1·m + (1−β1)·g̃,
 * v ← β2·v + (1−β2)·g̃², w ← w − α·m / (√v + ε̂), with g̃ = g · mask. A pruned weight has g̃ = 0
 * and m = v = 0 from the start, so its update is 0/ε̂ = 0 exactly and it stays 0 (ε̂ > 0 does
 * not underflow in f32). Units: 2-row tiles of wT, outP/2 per variant.
 */
export function weightAdam(dz: usize, sdz: usize, hinT: usize, shin: usize, wT: usize, m: usize, vv: usize, mask: usize, sw: usize, innP: i32, outP: i32, n: i32, bs: i32, alpha: f32, epsHat: f32, beta1: f32, gain1: f32, beta2: f32, gain2: f32, t0: i32, t1: i32): void {
  const tiles = outP >> 1;
  const row = <usize>bs << 2;
  const wRow = <usize>innP << 2;
  const b1 = f32x4.splat(beta1), g1 = f32x4.splat(gain1), b2 = f32x4.splat(beta2), g2 = f32x4.splat(gain2);
  const al = f32x4.splat(alpha), ep = f32x4.splat(epsHat);
  for (let t = t0; t < t1; t++) {
    const v = <usize>(t / tiles);
    const j = (t % tiles) << 1;
    const a = dz + v * sdz + <usize>j * row;
    const base = v * sw + <usize>j * wRow;
    for (let col: usize = 0; col < wRow; col += 64) {
      // The tile of tile2, with A(j, b) = dz[j][b] and B[b] = hinT[b][col..col+16].
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
      let pa = a;
      let pb = hinT + v * shin + col;
      for (let k = 0; k < n; k++) {
        const w0 = v128.load32_splat(pa);
        const w1 = v128.load32_splat(pa + row);
        const x0 = v128.load(pb);
        const x1 = v128.load(pb, 16);
        const x2 = v128.load(pb, 32);
        const x3 = v128.load(pb, 48);
        c00 = madd(w0, x0, c00);
        c01 = madd(w0, x1, c01);
        c02 = madd(w0, x2, c02);
        c03 = madd(w0, x3, c03);
        c10 = madd(w1, x0, c10);
        c11 = madd(w1, x1, c11);
        c12 = madd(w1, x2, c12);
        c13 = madd(w1, x3, c13);
        pa += 4;
        pb += wRow;
      }
      const at0 = base + col;
      const at1 = at0 + wRow;
      adam4(c00, at0, wT, m, vv, mask, b1, g1, b2, g2, al, ep);
      adam4(c01, at0 + 16, wT, m, vv, mask, b1, g1, b2, g2, al, ep);
      adam4(c02, at0 + 32, wT, m, vv, mask, b1, g1, b2, g2, al, ep);
      adam4(c03, at0 + 48, wT, m, vv, mask, b1, g1, b2, g2, al, ep);
      adam4(c10, at1, wT, m, vv, mask, b1, g1, b2, g2, al, ep);
      adam4(c11, at1 + 16, wT, m, vv, mask, b1, g1, b2, g2, al, ep);
      adam4(c12, at1 + 32, wT, m, vv, mask, b1, g1, b2, g2, al, ep);
      adam4(c13, at1 + 48, wT, m, vv, mask, b1, g1, b2, g2, al, ep);
    }
  }
}

/** The bias gradient Σ_b dz[j][b] (padding lanes are 0) and Adam on the biases; units: variants. */
export function biasAdam(dz: usize, sdz: usize, bias: usize, m: usize, vv: usize, sb: usize, outP: i32, bs: i32, alpha: f32, epsHat: f32, beta1: f32, gain1: f32, beta2: f32, gain2: f32, v0: i32, v1: i32): void {
  const row = <usize>bs << 2;
  for (let v = v0; v < v1; v++) {
    for (let j = 0; j < outP; j++) {
      const p = dz + <usize>v * sdz + <usize>j * row;
      let acc = f32x4.splat(0);
      for (let o: usize = 0; o < row; o += 16) acc = f32x4.add(acc, v128.load(p + o));
      const g: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
      const at = <usize>v * sb + (<usize>j << 2);
      const m1 = load<f32>(m + at) * beta1 + g * gain1;
      const v1x = load<f32>(vv + at) * beta2 + g * g * gain2;
      store<f32>(m + at, m1);
      store<f32>(vv + at, v1x);
      store<f32>(bias + at, load<f32>(bias + at) - (m1 * alpha) / (Mathf.sqrt(v1x) + epsHat));
    }
  }
}

// ---- sparse layers (pruned rounds) ----
//
// Below a density threshold a layer is stored compressed: row j of Wᵀ keeps only its surviving
// entries, in ascending input order, with their Adam state beside them (rowPtr[outP + 1],
// col[nnz], w, m, v[nnz]); the transposed index (tRowPtr[innP + 1], tCol, tVal: for input i,
// the rows j and entry numbers where it survives, ascending j) serves the input gradient. A
// step then costs in proportion to the surviving weights: a ticket at 21% trains ~4× faster
// than its dense layout would. Forward and input gradient sum in the same order as the dense
// tiles (zero terms dropped), so they agree bit for bit; the weight gradient sums over the batch
// four lanes at a time, a different rounding than the dense tile's.

/** Σ_e scale(e) · src(e)[o .. o+32) over entries e0..e1 into 32 floats at `dst` (8 accumulators). */
@inline
function gather32(e0: i32, e1: i32, scaleAt: usize, scaleIdx: usize, rowIdx: usize, src: usize, row: usize, o: usize, dst: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
  for (let e = e0; e < e1; e++) {
    const at = scaleIdx ? <usize>load<i32>(scaleIdx + (<usize>e << 2)) : <usize>e;
    const s = v128.load32_splat(scaleAt + (at << 2));
    const p = src + <usize>load<i32>(rowIdx + (<usize>e << 2)) * row + o;
    a0 = madd(s, v128.load(p), a0);
    a1 = madd(s, v128.load(p, 16), a1);
    a2 = madd(s, v128.load(p, 32), a2);
    a3 = madd(s, v128.load(p, 48), a3);
    a4 = madd(s, v128.load(p, 64), a4);
    a5 = madd(s, v128.load(p, 80), a5);
    a6 = madd(s, v128.load(p, 96), a6);
    a7 = madd(s, v128.load(p, 112), a7);
  }
  v128.store(dst, a0);
  v128.store(dst, a1, 16);
  v128.store(dst, a2, 32);
  v128.store(dst, a3, 48);
  v128.store(dst, a4, 64);
  v128.store(dst, a5, 80);
  v128.store(dst, a6, 96);
  v128.store(dst, a7, 112);
}

/** The same over 16 floats (4 accumulators), for a row's last 16 lanes. */
@inline
function gather16(e0: i32, e1: i32, scaleAt: usize, scaleIdx: usize, rowIdx: usize, src: usize, row: usize, o: usize, dst: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let e = e0; e < e1; e++) {
    const at = scaleIdx ? <usize>load<i32>(scaleIdx + (<usize>e << 2)) : <usize>e;
    const s = v128.load32_splat(scaleAt + (at << 2));
    const p = src + <usize>load<i32>(rowIdx + (<usize>e << 2)) * row + o;
    a0 = madd(s, v128.load(p), a0);
    a1 = madd(s, v128.load(p, 16), a1);
    a2 = madd(s, v128.load(p, 32), a2);
    a3 = madd(s, v128.load(p, 48), a3);
  }
  v128.store(dst, a0);
  v128.store(dst, a1, 16);
  v128.store(dst, a2, 32);
  v128.store(dst, a3, 48);
}

/** A whole row of `bs` lanes: 32 at a time, then 16. scaleIdx = 0 reads scales in entry order. */
@inline
function gatherRow(e0: i32, e1: i32, scaleAt: usize, scaleIdx: usize, rowIdx: usize, src: usize, row: usize, dst: usize): void {
  let o: usize = 0;
  for (; o + 128 <= row; o += 128) {
    if (scaleIdx) gather32(e0, e1, scaleAt, scaleIdx, rowIdx, src, row, o, dst + o);
    else gather32(e0, e1, scaleAt, 0, rowIdx, src, row, o, dst + o);
  }
  if (o < row) {
    if (scaleIdx) gather16(e0, e1, scaleAt, scaleIdx, rowIdx, src, row, o, dst + o);
    else gather16(e0, e1, scaleAt, 0, rowIdx, src, row, o, dst + o);
  }
}

/**
 * hout[j][·] = act(bias[j] + Σ_e w[e] · hin[col[e]][·]) over row j's entries e; also written
 * example-major into houtT unless it is 0. Units: rows j, outP per variant. Index arrays are
 * shared by the variants only through their strides (`si` for indices, `sv` for values).
 */
export function sparseForward(rowPtr: usize, col: usize, si: usize, w: usize, sv: usize, bias: usize, sb: usize, hin: usize, shin: usize, hout: usize, houtT: usize, shout: usize, outP: i32, bs: i32, relu: i32, t0: i32, t1: i32): void {
  const row = <usize>bs << 2;
  const zero = f32x4.splat(0);
  for (let t = t0; t < t1; t++) {
    const v = <usize>(t / outP);
    const j = t % outP;
    const rp = rowPtr + v * (<usize>(outP + 1) << 2);
    const e0 = load<i32>(rp + (<usize>j << 2));
    const e1 = load<i32>(rp + (<usize>(j + 1) << 2));
    const cv = col + v * si;
    const wv = w + v * sv;
    const hv = hin + v * shin;
    const out = hout + v * shout + <usize>j * row;
    const add = f32x4.splat(load<f32>(bias + v * sb + (<usize>j << 2)));
    gatherRow(e0, e1, wv, 0, cv, hv, row, out);
    const tr = houtT + v * shout + (<usize>j << 2);
    const stride = <usize>outP << 2;
    for (let o: usize = 0; o < row; o += 16) {
      let s = f32x4.add(v128.load(out + o), add);
      if (relu) s = f32x4.max(s, zero);
      v128.store(out + o, s);
      if (houtT) {
        const q = tr + (o >> 2) * stride;
        store<f32>(q, f32x4.extract_lane(s, 0));
        store<f32>(q + stride, f32x4.extract_lane(s, 1));
        store<f32>(q + 2 * stride, f32x4.extract_lane(s, 2));
        store<f32>(q + 3 * stride, f32x4.extract_lane(s, 3));
      }
    }
  }
}

/**
 * dh[i][·] = (hin[i][·] > 0) · Σ w[tVal[e]] · dz[tCol[e]][·] over input i's entries e (ascending
 * j, as the dense tile sums). Units: inputs i, innP per variant.
 */
export function sparseBackwardInput(tRowPtr: usize, tCol: usize, tVal: usize, si: usize, w: usize, sv: usize, dz: usize, sdz: usize, hin: usize, dh: usize, sdh: usize, innP: i32, bs: i32, t0: i32, t1: i32): void {
  const row = <usize>bs << 2;
  const zero = f32x4.splat(0);
  for (let t = t0; t < t1; t++) {
    const v = <usize>(t / innP);
    const i = t % innP;
    const rp = tRowPtr + v * (<usize>(innP + 1) << 2);
    const e0 = load<i32>(rp + (<usize>i << 2));
    const e1 = load<i32>(rp + (<usize>(i + 1) << 2));
    const cv = tCol + v * si;
    const xv = tVal + v * si;
    const wv = w + v * sv;
    const dzv = dz + v * sdz;
    const out = dh + v * sdh + <usize>i * row;
    const h = hin + v * sdh + <usize>i * row;
    gatherRow(e0, e1, wv, xv, cv, dzv, row, out);
    for (let o: usize = 0; o < row; o += 16) v128.store(out + o, v128.and(v128.load(out + o), f32x4.gt(v128.load(h + o), zero)));
  }
}

/** Scalar Adam on one stored entry at byte offset `at` of w, m, v. */
@inline
function adam1(g: f32, at: usize, w: usize, m: usize, vv: usize, alpha: f32, epsHat: f32, beta1: f32, gain1: f32, beta2: f32, gain2: f32): void {
  const m1 = load<f32>(m + at) * beta1 + g * gain1;
  const v1 = load<f32>(vv + at) * beta2 + g * g * gain2;
  store<f32>(m + at, m1);
  store<f32>(vv + at, v1);
  store<f32>(w + at, load<f32>(w + at) - (m1 * alpha) / (Mathf.sqrt(v1) + epsHat));
}

/**
 * The weight gradient at each surviving entry e of row j, g = Σ_{b<n} dz[j][b] · hin[col[e]][b]
 * (feature-major input: both rows contiguous), and Adam on it at once. Four entries at a time
 * share each load of dz's row; their four sums end in one vector, updated together. Only
 * survivors are stored, so nothing pruned can move. Units: rows j, outP per variant.
 */
export function sparseWeightAdam(rowPtr: usize, col: usize, si: usize, w: usize, m: usize, vv: usize, sv: usize, dz: usize, sdz: usize, hin: usize, shin: usize, outP: i32, n: i32, bs: i32, alpha: f32, epsHat: f32, beta1: f32, gain1: f32, beta2: f32, gain2: f32, t0: i32, t1: i32): void {
  const row = <usize>bs << 2;
  const bytes = <usize>((n + 3) >> 2) << 4; // the v128s holding the n real examples (the rest is 0)
  const b1 = f32x4.splat(beta1), g1 = f32x4.splat(gain1), b2 = f32x4.splat(beta2), g2 = f32x4.splat(gain2);
  const al = f32x4.splat(alpha), ep = f32x4.splat(epsHat);
  for (let t = t0; t < t1; t++) {
    const v = <usize>(t / outP);
    const j = t % outP;
    const rp = rowPtr + v * (<usize>(outP + 1) << 2);
    const e0 = load<i32>(rp + (<usize>j << 2));
    const e1 = load<i32>(rp + (<usize>(j + 1) << 2));
    const cv = col + v * si;
    const d = dz + v * sdz + <usize>j * row;
    const hv = hin + v * shin;
    const wv = w + v * sv;
    const mv = m + v * sv;
    const vvv = vv + v * sv;
    let e = e0;
    for (; e + 4 <= e1; e += 4) {
      const c = cv + (<usize>e << 2);
      const p0 = hv + <usize>load<i32>(c) * row;
      const p1 = hv + <usize>load<i32>(c, 4) * row;
      const p2 = hv + <usize>load<i32>(c, 8) * row;
      const p3 = hv + <usize>load<i32>(c, 12) * row;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      for (let o: usize = 0; o < bytes; o += 16) {
        const x = v128.load(d + o);
        s0 = madd(x, v128.load(p0 + o), s0);
        s1 = madd(x, v128.load(p1 + o), s1);
        s2 = madd(x, v128.load(p2 + o), s2);
        s3 = madd(x, v128.load(p3 + o), s3);
      }
      // [Σ s0, Σ s1, Σ s2, Σ s3] by two rounds of interleaved adds.
      const u = f32x4.add(v128.shuffle<f32>(s0, s1, 0, 4, 1, 5), v128.shuffle<f32>(s0, s1, 2, 6, 3, 7));
      const q = f32x4.add(v128.shuffle<f32>(s2, s3, 0, 4, 1, 5), v128.shuffle<f32>(s2, s3, 2, 6, 3, 7));
      const g = f32x4.add(v128.shuffle<f32>(u, q, 0, 1, 4, 5), v128.shuffle<f32>(u, q, 2, 3, 6, 7));
      const at = <usize>e << 2;
      const m1 = f32x4.add(f32x4.mul(v128.load(mv + at), b1), f32x4.mul(g, g1));
      const v1 = f32x4.add(f32x4.mul(v128.load(vvv + at), b2), f32x4.mul(f32x4.mul(g, g), g2));
      v128.store(mv + at, m1);
      v128.store(vvv + at, v1);
      v128.store(wv + at, f32x4.sub(v128.load(wv + at), f32x4.div(f32x4.mul(m1, al), f32x4.add(f32x4.sqrt(v1), ep))));
    }
    for (; e < e1; e++) {
      const p = hv + <usize>load<i32>(cv + (<usize>e << 2)) * row;
      let s0 = f32x4.splat(0);
      for (let o: usize = 0; o < bytes; o += 16) s0 = madd(v128.load(d + o), v128.load(p + o), s0);
      const g: f32 = f32x4.extract_lane(s0, 0) + f32x4.extract_lane(s0, 2) + (f32x4.extract_lane(s0, 1) + f32x4.extract_lane(s0, 3));
      adam1(g, <usize>e << 2, wv, mv, vvv, alpha, epsHat, beta1, gain1, beta2, gain2);
    }
  }
}

// ---- the first layer through the input's own sparsity ----
//
// An MNIST digit lights ~19% of its 784 pixels; the rest is one background byte (0), whose input
// value is a constant c (−0.42 under mean/std, 0 under [0, 1]). So for one example
//   Σ_p W[j][p] · x_p = c · Σ_p W[j][p] + Σ_{p lit} W[j][p] · (x_p − c),
// the first sum a constant of the weights (rowSum), the second over the lit pixels only: about a
// fifth of the first layer's work, which is ~88% of LeNet-300-100's forward pass. Evaluation
// (15,000 images every 100 steps) runs it on lists laid out once per session; the training step
// of the fused multiply-add build runs it on the batch's lists (litPixels, every step), and its
// weight gradient too (litColumns, litWeightAdam below).

/**
 * For each example b of the chunk (idx[0..n)): its lit pixels (byte ≠ 0) as indices lit[b][·]
 * and values x − c in litVal[b][·] (784 slots each), their count in litCount[b], and c for it
 * in background[b] (lut[0], times its per-image scale where scale is not 0); count 0 and c 0 in
 * the padding lanes n..bs. labelsOut[b] = labels[idx[b]]. Units: examples b. (A held-out set's
 * lists are the same, packed, laid out by src/kernels/lit-first-layer.ts heldOutLit.)
 */
export function litPixels(images: usize, labels: usize, idx: usize, n: i32, lut: usize, scale: usize, lit: usize, litVal: usize, litCount: usize, background: usize, labelsOut: usize, t0: i32, t1: i32): void {
  const pixels = 784;
  for (let b = t0; b < t1; b++) {
    const slot = <usize>b * (<usize>pixels << 2);
    let count = 0;
    let c: f32 = 0;
    if (b < n) {
      const e = load<u32>(idx + (<usize>b << 2));
      const src = images + <usize>e * pixels;
      const k: f32 = scale ? load<f32>(scale + (<usize>e << 2)) : 1;
      c = load<f32>(lut);
      if (scale) c *= k;
      // 16 bytes at a time: a group with no lit pixel (most of a digit's border) costs one
      // compare; the lit ones are taken in ascending order from the group's bit mask.
      for (let p0 = 0; p0 < pixels; p0 += 16) {
        let bits = i8x16.bitmask(i8x16.ne(v128.load(src + p0), i8x16.splat(0)));
        while (bits) {
          const p = p0 + ctz(bits);
          bits &= bits - 1;
          let value = load<f32>(lut + (<usize>load<u8>(src + p) << 2));
          if (scale) value *= k;
          store<i32>(lit + slot + (<usize>count << 2), p);
          store<f32>(litVal + slot + (<usize>count << 2), value - c);
          count++;
        }
      }
      store<i32>(labelsOut + (<usize>b << 2), load<u8>(labels + e));
    }
    store<i32>(litCount + (<usize>b << 2), count);
    store<f32>(background + (<usize>b << 2), c);
  }
}

/**
 * hout[j][b] = act(bias[j] + c_b · rowSum[j] + Σ_{p lit in b} W[j][p] · (x_p − c_b)) for every
 * variant, from litPixels' lists. The weights are input-major in blocks of 32 outputs,
 * wIn[block][p][32] (pruned weights and padding 0), so one unit's block (784 rows of 128 bytes)
 * stays in a core's cache while every example of the chunk reads its lit rows of it; rowSum[j] =
 * Σ_p W[j][p]. Written feature-major into hout and, unless houtT is 0, example-major into houtT
 * (a training step's next layer reads both). Example b's entries start at litStart[b] of lit and
 * litVal, or where litStart is 0 at b · 784 (litPixels' slots); a held-out set's lists are laid
 * out once, packed, for every evaluation. Each variant reads the lists at `lit` + v · sl (sl = 0:
 * one batch for all; litVal, litCount and background move with them). Examples b < n are
 * written, in rows of bs lanes. Units: blocks of 32 outputs, ceil(outP / 32) per variant.
 */
export function litForward(wIn: usize, sw: usize, rowSum: usize, bias: usize, sb: usize, lit: usize, litVal: usize, litStart: usize, litCount: usize, background: usize, sl: usize, hout: usize, houtT: usize, shout: usize, outP: i32, n: i32, bs: i32, relu: i32, t0: i32, t1: i32): void {
  const row = <usize>bs << 2;
  const blocks = (outP + 31) >> 5;
  const zero = f32x4.splat(0);
  for (let t = t0; t < t1; t++) {
    const v = <usize>(t / blocks);
    const j0 = (t % blocks) << 5;
    const w = wIn + v * sw + <usize>(t % blocks) * (784 << 7);
    const at = v * sb + (<usize>j0 << 2);
    const width = min(32, outP - j0);
    const lists = v * sl;
    for (let b: usize = 0; b < <usize>n; b++) {
      const first: usize = litStart ? <usize>load<i32>(litStart + (b << 2)) : b * 784;
      const slot = lists + (first << 2);
      const count = load<i32>(litCount + lists + (b << 2));
      const cv = v128.load32_splat(background + lists + (b << 2));
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
      const li = lit + slot;
      const lv = litVal + slot;
      for (let e = 0; e < count; e++) {
        const s = v128.load32_splat(lv + (<usize>e << 2));
        const p = w + (<usize>load<i32>(li + (<usize>e << 2)) << 7);
        a0 = madd(s, v128.load(p), a0);
        a1 = madd(s, v128.load(p, 16), a1);
        a2 = madd(s, v128.load(p, 32), a2);
        a3 = madd(s, v128.load(p, 48), a3);
        a4 = madd(s, v128.load(p, 64), a4);
        a5 = madd(s, v128.load(p, 80), a5);
        a6 = madd(s, v128.load(p, 96), a6);
        a7 = madd(s, v128.load(p, 112), a7);
      }
      // bias + c · rowSum + the lit sum, in that order, then ReLU; written feature-major.
      const out = hout + v * shout + (b << 2);
      const tr = houtT + v * shout + b * (<usize>outP << 2) + (<usize>j0 << 2);
      for (let q = 0; q < width; q += 4) {
        const base = f32x4.add(v128.load(bias + at + (<usize>q << 2)), f32x4.mul(cv, v128.load(rowSum + at + (<usize>q << 2))));
        let acc = a0;
        if (q == 4) acc = a1;
        else if (q == 8) acc = a2;
        else if (q == 12) acc = a3;
        else if (q == 16) acc = a4;
        else if (q == 20) acc = a5;
        else if (q == 24) acc = a6;
        else if (q == 28) acc = a7;
        let s = f32x4.add(base, acc);
        if (relu) s = f32x4.max(s, zero);
        const o = out + <usize>(j0 + q) * row;
        store<f32>(o, f32x4.extract_lane(s, 0));
        store<f32>(o + row, f32x4.extract_lane(s, 1));
        store<f32>(o + 2 * row, f32x4.extract_lane(s, 2));
        store<f32>(o + 3 * row, f32x4.extract_lane(s, 3));
        if (houtT) v128.store(tr + (<usize>q << 2), s);
      }
    }
  }
}

// ---- the training step's first layer through the lit pixels ----
//
// The batch's input is as sparse as the held-out images, and the first layer's weight gradient
// folds the same way: with x_bp = c_b + (x_bp − c_b) and the second term 0 off the lit pixels,
//   g[j][p] = Σ_b x_bp · dz[j][b] = Σ_b c_b · dz[j][b] + Σ_{b: p lit in b} (x_bp − c_b) · dz[j][b],
// the first sum one number per output j (S[j]) and the second over the batch's lit (p, b) pairs,
// listed pixel by pixel (litColumns). The weights live input-major in 32-output blocks, as
// litForward reads them, so forward and update share one layout and rowSum is kept by the update.

/**
 * The lists of litPixels regrouped by pixel: for each pixel p, the examples b (ascending) it is
 * lit in, colB[colPtr[p] .. colPtr[p + 1]), with their x − c in colVal. Each set of lists is at
 * `lit` + s · sl and its columns at `colPtr` + s · sc (colB and colVal move with colPtr).
 * Units: sets of lists (one for a shared batch, one per variant for own batches).
 */
export function litColumns(lit: usize, litVal: usize, litCount: usize, sl: usize, colPtr: usize, colB: usize, colVal: usize, sc: usize, bs: i32, t0: i32, t1: i32): void {
  const pixels = 784;
  for (let s = t0; s < t1; s++) {
    const lists = <usize>s * sl;
    const cols = <usize>s * sc;
    const ptr = colPtr + cols;
    for (let p = 0; p <= pixels; p++) store<i32>(ptr + (<usize>p << 2), 0);
    for (let b = 0; b < bs; b++) {
      const slot = lists + <usize>b * (<usize>pixels << 2);
      const count = load<i32>(litCount + lists + (<usize>b << 2));
      for (let e = 0; e < count; e++) {
        const at = ptr + ((<usize>load<i32>(lit + slot + (<usize>e << 2)) + 1) << 2);
        store<i32>(at, load<i32>(at) + 1);
      }
    }
    for (let p = 0; p < pixels; p++) store<i32>(ptr + (<usize>(p + 1) << 2), load<i32>(ptr + (<usize>(p + 1) << 2)) + load<i32>(ptr + (<usize>p << 2)));
    // Fill pixel by pixel in example order: colPtr[p] counts up as p's entries are placed, and
    // ends where p + 1 starts; shifting it back one slot restores the starts.
    for (let b = 0; b < bs; b++) {
      const slot = lists + <usize>b * (<usize>pixels << 2);
      const count = load<i32>(litCount + lists + (<usize>b << 2));
      for (let e = 0; e < count; e++) {
        const at = ptr + (<usize>load<i32>(lit + slot + (<usize>e << 2)) << 2);
        const k = load<i32>(at);
        store<i32>(colB + cols + (<usize>k << 2), b);
        store<f32>(colVal + cols + (<usize>k << 2), load<f32>(litVal + slot + (<usize>e << 2)));
        store<i32>(at, k + 1);
      }
    }
    for (let p = pixels; p > 0; p--) store<i32>(ptr + (<usize>p << 2), load<i32>(ptr + (<usize>(p - 1) << 2)));
    store<i32>(ptr, 0);
  }
}

/**
 * The first layer's weight gradient through the lit pixels and masked Adam on it, fused as in
 * weightAdam, over the input-major blocks litForward reads (w, m, v and the 0/1 mask alike):
 * g[j][p] = S[j] + Σ_{b: p lit in b} (x_bp − c_b) · dz[j][b], S[j] = Σ_{b<n} c_b · dz[j][b],
 * summed in ascending b; then rowSum[j] = Σ_p w[j][p] (ascending p) of the updated weights.
 * dz is feature-major [outP][bs]; each unit first copies its block of it example-major into its
 * own 32 × bs floats of `scratch` (units apart by bs · 128 bytes). Units: blocks of 32 outputs,
 * ceil(outP / 32) per variant.
 */
export function litWeightAdam(dz: usize, sdz: usize, colPtr: usize, colB: usize, colVal: usize, sc: usize, background: usize, sl: usize, wIn: usize, m: usize, vv: usize, mask: usize, sw: usize, rowSum: usize, scratch: usize, outP: i32, n: i32, bs: i32, alpha: f32, epsHat: f32, beta1: f32, gain1: f32, beta2: f32, gain2: f32, t0: i32, t1: i32): void {
  const row = <usize>bs << 2;
  const blocks = (outP + 31) >> 5;
  const b1 = f32x4.splat(beta1), g1 = f32x4.splat(gain1), b2 = f32x4.splat(beta2), g2 = f32x4.splat(gain2);
  const al = f32x4.splat(alpha), ep = f32x4.splat(epsHat);
  for (let t = t0; t < t1; t++) {
    const v = <usize>(t / blocks);
    const blk = t % blocks;
    const j0 = blk << 5;
    const width = min(32, outP - j0);
    // dz's block, example-major: d[b][q] = dz[j0 + q][b], 0 past the layer's outputs.
    const d = scratch + <usize>t * (<usize>bs << 7);
    const dzv = dz + v * sdz + <usize>j0 * row;
    for (let b = 0; b < bs; b++) {
      const to = d + (<usize>b << 7);
      for (let q = 0; q < 32; q++) store<f32>(to + (<usize>q << 2), q < width ? load<f32>(dzv + <usize>q * row + (<usize>b << 2)) : 0);
    }
    // S = Σ_b c_b · d[b], in registers for every pixel's sum below.
    const cols = v * sc;
    const bg = background + v * sl;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let s4 = f32x4.splat(0), s5 = f32x4.splat(0), s6 = f32x4.splat(0), s7 = f32x4.splat(0);
    for (let b = 0; b < n; b++) {
      const c = v128.load32_splat(bg + (<usize>b << 2));
      const q = d + (<usize>b << 7);
      s0 = madd(c, v128.load(q), s0);
      s1 = madd(c, v128.load(q, 16), s1);
      s2 = madd(c, v128.load(q, 32), s2);
      s3 = madd(c, v128.load(q, 48), s3);
      s4 = madd(c, v128.load(q, 64), s4);
      s5 = madd(c, v128.load(q, 80), s5);
      s6 = madd(c, v128.load(q, 96), s6);
      s7 = madd(c, v128.load(q, 112), s7);
    }
    const w0 = v * sw + <usize>blk * (784 << 7);
    const ptr = colPtr + cols;
    const cb = colB + cols;
    const cx = colVal + cols;
    let e0 = load<i32>(ptr);
    for (let p = 0; p < 784; p++) {
      const e1 = load<i32>(ptr + (<usize>(p + 1) << 2));
      let a0 = s0, a1 = s1, a2 = s2, a3 = s3, a4 = s4, a5 = s5, a6 = s6, a7 = s7;
      for (let e = e0; e < e1; e++) {
        const x = v128.load32_splat(cx + (<usize>e << 2));
        const q = d + (<usize>load<i32>(cb + (<usize>e << 2)) << 7);
        a0 = madd(x, v128.load(q), a0);
        a1 = madd(x, v128.load(q, 16), a1);
        a2 = madd(x, v128.load(q, 32), a2);
        a3 = madd(x, v128.load(q, 48), a3);
        a4 = madd(x, v128.load(q, 64), a4);
        a5 = madd(x, v128.load(q, 80), a5);
        a6 = madd(x, v128.load(q, 96), a6);
        a7 = madd(x, v128.load(q, 112), a7);
      }
      e0 = e1;
      const at = w0 + (<usize>p << 7);
      adam4(a0, at, wIn, m, vv, mask, b1, g1, b2, g2, al, ep);
      adam4(a1, at + 16, wIn, m, vv, mask, b1, g1, b2, g2, al, ep);
      adam4(a2, at + 32, wIn, m, vv, mask, b1, g1, b2, g2, al, ep);
      adam4(a3, at + 48, wIn, m, vv, mask, b1, g1, b2, g2, al, ep);
      if (width > 16) {
        adam4(a4, at + 64, wIn, m, vv, mask, b1, g1, b2, g2, al, ep);
        adam4(a5, at + 80, wIn, m, vv, mask, b1, g1, b2, g2, al, ep);
        adam4(a6, at + 96, wIn, m, vv, mask, b1, g1, b2, g2, al, ep);
        adam4(a7, at + 112, wIn, m, vv, mask, b1, g1, b2, g2, al, ep);
      }
    }
    // rowSum of the updated block, ascending p (the block is still in this core's cache).
    let r0 = f32x4.splat(0), r1 = f32x4.splat(0), r2 = f32x4.splat(0), r3 = f32x4.splat(0);
    let r4 = f32x4.splat(0), r5 = f32x4.splat(0), r6 = f32x4.splat(0), r7 = f32x4.splat(0);
    for (let p = 0; p < 784; p++) {
      const q = wIn + w0 + (<usize>p << 7);
      r0 = f32x4.add(r0, v128.load(q));
      r1 = f32x4.add(r1, v128.load(q, 16));
      r2 = f32x4.add(r2, v128.load(q, 32));
      r3 = f32x4.add(r3, v128.load(q, 48));
      r4 = f32x4.add(r4, v128.load(q, 64));
      r5 = f32x4.add(r5, v128.load(q, 80));
      r6 = f32x4.add(r6, v128.load(q, 96));
      r7 = f32x4.add(r7, v128.load(q, 112));
    }
    const rs = rowSum + v * (<usize>outP << 2) + (<usize>j0 << 2);
    v128.store(rs, r0);
    v128.store(rs, r1, 16);
    v128.store(rs, r2, 32);
    v128.store(rs, r3, 48);
    if (width > 16) {
      v128.store(rs, r4, 64);
      v128.store(rs, r5, 80);
      v128.store(rs, r6, 96);
      v128.store(rs, r7, 112);
    }
  }
}
