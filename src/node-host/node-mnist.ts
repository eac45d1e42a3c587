/**
 * MNIST for Node (the CLI, the benchmark driver and the engine tests): the same prepared assets
 * the browser loads from public/data/, read from disk instead of fetched.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { type MnistFiles, checkMnistFiles } from '../engine/data';

const dataDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'public', 'data');

let cached: MnistFiles | null = null;

export function loadMnistFromDisk(): MnistFiles {
  if (cached) return cached;
  const read = (name: string) => {
    const path = join(dataDir, `mnist-${name}.u8-gzip.bin`);
    if (!existsSync(path))
      throw new Error(`${path} is missing: run \`npm run prepare-assets\` (npm install runs it)`);
    return new Uint8Array(gunzipSync(readFileSync(path)));
  };
  const files: MnistFiles = {
    trainImages: read('train-images'),
    trainLabels: read('train-labels'),
    testImages: read('test-images'),
    testLabels: read('test-labels'),
  };
  checkMnistFiles(files);
  cached = files;
  return files;
}
