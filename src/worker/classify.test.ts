import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type DataConfig } from '../engine/config';
import { CLASSES, IMAGE_SIZE, fillBatch, splitMnist } from '../engine/data';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import { encodePixels } from './classify';

describe("a drawn digit is encoded as the run's training images were", () => {
  const files = loadMnistFromDisk();
  for (const [task, inputs] of [
    ['mnist', 'meanstd'],
    ['permuted', 'l2'],
    ['rotated', 'unit'],
    ['inverted', 'meanstd'],
  ] as const) {
    it(`${task} task, ${inputs} inputs: the same floats as the training path`, () => {
      const data: DataConfig = { ...DEFAULT_CONFIG.data, testSize: 50, task, inputs };
      const { test } = splitMnist(files, data);
      const x = new Float32Array(IMAGE_SIZE);
      const y = new Float32Array(CLASSES);
      for (const i of [0, 7, 49]) {
        fillBatch(test, [i], x, y);
        const raw = files.testImages.slice(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);
        expect(encodePixels(raw, data)).toEqual(x);
      }
    });
  }
});
