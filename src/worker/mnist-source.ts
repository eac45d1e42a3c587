/**
 * MNIST in the worker: the assets prepared at install time (public/data/, gzip), fetched from
 * the app's own origin, decompressed with the browser's DecompressionStream, and cached: in
 * memory for the worker's lifetime and in Cache Storage across reloads.
 */
import type { MnistFiles } from '../engine/data';
import { checkMnistFiles } from '../engine/data';

interface ManifestFile {
  path: string;
  bytes: number;
  compressedBytes: number;
  sha256: string;
}
interface Manifest {
  format: number;
  files: Record<'train-images' | 'train-labels' | 'test-images' | 'test-labels', ManifestFile>;
}

export type DataProgress = (loadedBytes: number, totalBytes: number, fromCache: boolean) => void;

/** Reads a response body, reporting bytes as they arrive. */
async function readAll(response: Response, onBytes: (n: number) => void): Promise<Uint8Array> {
  const reader = response.body!.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    total += value.length;
    onBytes(value.length);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * One file: from Cache Storage if it holds a copy that decompresses to the manifest's bytes and
 * hash, else from the network (progress as it downloads), checked the same way, then cached.
 * A bad cached copy is evicted and fetched again.
 */
async function loadFile(
  url: string,
  f: ManifestFile,
  cache: Cache | null,
  onBytes: (n: number, fromCache: boolean) => void,
): Promise<{ raw: Uint8Array; fromCache: boolean }> {
  const check = async (gz: Uint8Array) => {
    const raw = await gunzip(gz);
    if (raw.length !== f.bytes)
      throw new Error(`${f.path}: ${raw.length} bytes after decompression, expected ${f.bytes}`);
    if ((await sha256(raw)) !== f.sha256)
      throw new Error(`${f.path}: content does not match the manifest's sha256`);
    return raw;
  };
  const hit = await cache?.match(url).catch(() => undefined);
  if (hit) {
    try {
      return { raw: await check(await readAll(hit, (n) => onBytes(n, true))), fromCache: true };
    } catch {
      await cache?.delete(url).catch(() => false); // corrupt or stale: fetch it again below
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url}: HTTP ${response.status}`);
  const gz = await readAll(response, (n) => onBytes(n, false));
  const raw = await check(gz);
  await cache?.put(url, new Response(gz as BodyInit)).catch(() => undefined); // a full disk is not fatal
  return { raw, fromCache: false };
}

async function load(assetBase: string, onProgress: DataProgress): Promise<MnistFiles> {
  const manifestUrl = new URL('data/mnist.json', assetBase).href;
  const res = await fetch(manifestUrl, { cache: 'no-cache' });
  if (!res.ok)
    throw new Error(
      `could not load ${manifestUrl}: HTTP ${res.status} (run npm install, which prepares the data)`,
    );
  const manifest = (await res.json()) as Manifest;
  const entries = Object.entries(manifest.files) as [keyof Manifest['files'], ManifestFile][];
  const total = entries.reduce((a, [, f]) => a + f.compressedBytes, 0);
  const cache =
    typeof caches !== 'undefined'
      ? await caches.open(`mnist-v${manifest.format}`).catch(() => null)
      : null;
  let loaded = 0;
  let allCached = true;
  const out: Partial<Record<keyof Manifest['files'], Uint8Array>> = {};
  for (const [name, f] of entries) {
    // The content hash in the key: new data never meets a stale cache entry.
    const url = `${new URL(f.path, assetBase).href}?sha256=${f.sha256.slice(0, 16)}`;
    const before = loaded;
    const { raw, fromCache } = await loadFile(url, f, cache, (n, cached) => {
      loaded += n;
      onProgress(loaded, total, cached);
    });
    loaded = before + f.compressedBytes;
    allCached &&= fromCache;
    out[name] = raw;
  }
  const files: MnistFiles = {
    trainImages: out['train-images']!,
    trainLabels: out['train-labels']!,
    testImages: out['test-images']!,
    testLabels: out['test-labels']!,
  };
  checkMnistFiles(files);
  onProgress(total, total, allCached);
  return files;
}

let memory: Promise<MnistFiles> | null = null;

/** MNIST's files, loaded once per worker; a failed load is retried on the next call. */
export function loadMnist(assetBase: string, onProgress: DataProgress): Promise<MnistFiles> {
  if (!memory) {
    memory = load(assetBase, onProgress);
    memory.catch(() => {
      memory = null;
    });
  }
  return memory;
}
