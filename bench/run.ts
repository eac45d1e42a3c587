/**
 * `npm run bench`, the small first version: the engine's training step in Node, per backend,
 * batch 60 and 600, K = 1, 2, 4 variants in lockstep (examples/s per variant), each figure the
 * median of several timed windows. A reference measured in the same run: the naive batched
 * first layer ([K, B, 784] × [K, 784, 300]) that the engine's [in, K·out] layout replaces.
 * Writes bench/results.json and prints a table. The browser benchmark (every backend in
 * headless Chromium, main-thread tasks, memory) is issue 5's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { glorotNormal } from '../src/engine/init';
import { Mask } from '../src/engine/mask';
import { StackedMlp } from '../src/engine/model';
import { Rng } from '../src/engine/rng';
import { type NodeBackend, useNodeBackend } from '../cli/node-backend';

const LAYERS = [784, 300, 100, 10];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeSteps(run: () => tf.Tensor, examples: number, windows = 5, steps = 10): Promise<number> {
  for (let i = 0; i < 3; i++) {
    const warm = run(); // warm up
    await warm.data();
    warm.dispose();
  }
  const rates: number[] = [];
  for (let w = 0; w < windows; w++) {
    const t0 = performance.now();
    for (let i = 0; i < steps - 1; i++) run().dispose();
    const last = run();
    await last.data();
    last.dispose();
    rates.push((steps * examples) / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

async function trainRate(k: number, batch: number): Promise<number> {
  const params = glorotNormal(LAYERS, new Rng(0, 'bench'));
  const model = new StackedMlp(LAYERS, k);
  model.load(Array.from({ length: k }, () => ({ masks: params.weights.map((w) => Mask.ones(w.length)), params })));
  const x = tf.randomNormal([batch, 784]) as tf.Tensor2D;
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32') as tf.Tensor1D, 10) as tf.Tensor2D);
  try {
    return await timeSteps(() => model.trainStep(x, y, 1e-3), batch); // examples/s per variant
  } finally {
    model.dispose();
    tf.dispose([x, y]);
  }
}

/** The first layer's forward + weight gradient as naive batched matmuls, for comparison. */
async function naiveFirstLayerRate(k: number, batch: number): Promise<number> {
  const xs = tf.randomNormal([k, batch, 784]);
  const w = tf.randomNormal([k, 784, 300]);
  const dz = tf.randomNormal([k, batch, 300]);
  try {
    return await timeSteps(() => tf.tidy(() => tf.addN([tf.sum(tf.matMul(xs, w)), tf.sum(tf.matMul(xs, dz, true, false))])), batch);
  } finally {
    tf.dispose([xs, w, dz]);
  }
}

async function firstLayerRate(k: number, batch: number): Promise<number> {
  const x = tf.randomNormal([batch, 784]);
  const w = tf.randomNormal([784, k * 300]);
  const dz = tf.randomNormal([batch, k * 300]);
  try {
    return await timeSteps(() => tf.tidy(() => tf.addN([tf.sum(tf.matMul(x, w)), tf.sum(tf.matMul(tf.transpose(x), dz))])), batch);
  } finally {
    tf.dispose([x, w, dz]);
  }
}

interface BackendFigures {
  adapter: string;
  batch60: number;
  batch600: number;
  lockstep: { k1: number; k2: number; k4: number };
  firstLayerK3: { stacked: number; naiveBatched: number };
}

async function main() {
  const backends: Record<string, BackendFigures> = {};
  const only = process.argv.slice(2).filter((a) => a === 'wasm' || a === 'cpu') as NodeBackend[];
  for (const name of only.length ? only : (['wasm', 'cpu'] as NodeBackend[])) {
    const adapter = await useNodeBackend(name);
    console.log(`${name}: ${adapter}`);
    const k1 = await trainRate(1, 60);
    const figures: BackendFigures = {
      adapter,
      batch60: k1,
      batch600: await trainRate(1, 600),
      lockstep: { k1, k2: await trainRate(2, 60), k4: await trainRate(4, 60) },
      firstLayerK3: { stacked: await firstLayerRate(3, 60), naiveBatched: await naiveFirstLayerRate(3, 60) },
    };
    backends[name] = figures;
    console.log(`  batch 60: ${Math.round(figures.batch60)} ex/s; batch 600: ${Math.round(figures.batch600)} ex/s`);
    console.log(`  lockstep per variant: K=1 ${Math.round(k1)}, K=2 ${Math.round(figures.lockstep.k2)}, K=4 ${Math.round(figures.lockstep.k4)} ex/s`);
    const fl = figures.firstLayerK3;
    console.log(`  first layer, K=3: stacked [in, K·out] ${Math.round(fl.stacked)} vs naive batched ${Math.round(fl.naiveBatched)} ex/s (${(fl.stacked / fl.naiveBatched).toFixed(1)}×)`);
  }
  const results = {
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
    where: 'node (engine only; the browser benchmark is issue 5)',
    backends,
    measuredAt: new Date().toISOString(),
  };
  mkdirSync('bench', { recursive: true });
  writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
  console.log('wrote bench/results.json');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
