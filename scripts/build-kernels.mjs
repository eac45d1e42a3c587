#!/usr/bin/env node
// Compiles the lab's own kernels (assembly/lenet.ts, AssemblyScript) to WebAssembly SIMD, twice:
//   public/kernels/lenet.wasm          memory imported, not shared (one thread; any page)
//   public/kernels/lenet-threads.wasm  memory imported and shared (threads; needs cross-origin
//                                      isolation, which the lab's servers set)
// and each again with relaxed SIMD (lenet-fma.wasm, lenet-threads-fma.wasm): fused multiply-add,
// taken by a host whose engine validates it (src/kernels/kernel-files.ts).
// Run by prepare-assets.mjs at install, start and build; the compiler is the `assemblyscript`
// dev dependency, so a fresh machine needs nothing beyond npm. Idempotent: a stamp of the
// source's and the compiler's hash skips an unchanged build.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const source = join(root, 'assembly', 'lenet.ts');
const outDir = join(root, 'public', 'kernels');

/**
 * The largest memory the threaded module accepts, in 64 KiB pages (1 GiB; the host asks for less
 * where it must).
 */
export const MAX_PAGES = 16384;

const COMMON = [
  '--runtime',
  'stub',
  '--optimizeLevel',
  '3',
  '--shrinkLevel',
  '0',
  '--noAssert',
  '--importMemory',
  '--initialMemory',
  '1',
];
const SHARED = ['--sharedMemory', '--maximumMemory', String(MAX_PAGES)];
/** Each kernel file with and without relaxed SIMD (`-fma`: fused multiply-add in the sums). */
const BUILDS = [
  { file: 'lenet.wasm', flags: ['--enable', 'simd'] },
  { file: 'lenet-threads.wasm', flags: ['--enable', 'simd,threads', ...SHARED] },
  { file: 'lenet-fma.wasm', flags: ['--enable', 'simd,relaxed-simd'] },
  { file: 'lenet-threads-fma.wasm', flags: ['--enable', 'simd,threads,relaxed-simd', ...SHARED] },
];

export async function buildKernels({ quiet = false } = {}) {
  const log = (...args) => {
    if (!quiet) console.log('[build-kernels]', ...args);
  };
  const ascVersion = JSON.parse(
    readFileSync(require.resolve('assemblyscript/package.json'), 'utf8'),
  ).version;
  const stamp = createHash('sha256')
    .update(readFileSync(source))
    .update(ascVersion)
    .update(JSON.stringify([COMMON, BUILDS]))
    .digest('hex');
  const stampPath = join(outDir, 'stamp.json');
  const fresh =
    existsSync(stampPath) &&
    JSON.parse(readFileSync(stampPath, 'utf8')).stamp === stamp &&
    BUILDS.every((b) => existsSync(join(outDir, b.file)));
  if (fresh) return;
  mkdirSync(outDir, { recursive: true });
  const { default: asc } = await import('assemblyscript/asc');
  const files = {};
  for (const build of BUILDS) {
    const out = join(outDir, build.file);
    const stderr = asc.createMemoryStream();
    const { error } = await asc.main([source, ...COMMON, ...build.flags, '--outFile', out], {
      stderr,
    });
    if (error)
      throw new Error(`compiling ${build.file} failed: ${error.message}\n${stderr.toString()}`);
    const bytes = readFileSync(out);
    files[build.file] = {
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
    log(`wrote public/kernels/${build.file} (${bytes.length} bytes)`);
  }
  writeFileSync(
    stampPath,
    JSON.stringify({ stamp, assemblyscript: ascVersion, files }, null, 2) + '\n',
  );
}

if (import.meta.url === `file://${process.argv[1]}`)
  await buildKernels({ quiet: process.argv.includes('--quiet') });
