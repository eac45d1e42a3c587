/**
 * The CPU path (issue 17), in Node on every core: K = 3 at the lecture's round masks against the
 * same three variants forced dense, an evaluation of 15,000 held-out images through the lit pixels
 * against the tiles, and the lecture-scale experiment through the CLI, timed as a whole process.
 * Alternatives alternate window by window, so a machine that slows down slows both.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { defaultThreads } from '../src/node-host/node-backend';
import { nodeKernels } from '../src/node-host/node-kernels';
import { loadMnistFromDisk } from '../src/node-host/node-mnist';
import { BatchOrder, splitMnist } from '../src/engine/data';
import { DEFAULT_CONFIG, LENET_300_100 } from '../src/engine/config';
import { initialParams, ticketStart, weightSizes } from '../src/engine/init';
import { Mask } from '../src/engine/mask';
import { Rng } from '../src/engine/rng';
import type { KernelCompute } from '../src/kernels/kernel-compute';
import type { KernelTrainer } from '../src/kernels/kernel-trainer';
import type { LayerStorage } from '../src/kernels/layers';
import { benchmarksMarkdown } from './report';
import type { BenchResults } from './results';

const LAYERS = [...LENET_300_100];
const WINDOWS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const log = (...a: unknown[]) => console.log('[bench]', ...a);

/** The lecture's round r: hidden layers keep 0.8^r, the output layer 0.9^r (random masks). */
function roundMasks(round: number): { masks: Mask[]; remaining: number } {
  const rng = new Rng(1, 'cpu-path');
  const sizes = weightSizes(LAYERS);
  const masks = sizes.map((n, l) => {
    const d = (l === sizes.length - 1 ? 0.9 : 0.8) ** round;
    return new Mask(Uint8Array.from({ length: n }, () => (rng.uniform() < d ? 1 : 0)));
  });
  const remaining = masks.reduce((a, m) => a + m.count, 0) / sizes.reduce((a, n) => a + n, 0);
  return { masks, remaining };
}

type Setup = { storage: LayerStorage | LayerStorage[]; lit: boolean; round: number; k: number };

/** Median ms of a step (40 a window) or of one evaluation (validation + test) per setup. */
async function time(
  kernels: KernelCompute,
  setups: Setup[],
  what: 'step' | 'evaluation',
): Promise<number[]> {
  const data = splitMnist(loadMnistFromDisk(), DEFAULT_CONFIG.data);
  const order = new BatchOrder(data.train.size, 60, 0);
  const theta0 = initialParams(LAYERS, 0);
  const times: number[][] = setups.map(() => []);
  for (let w = 0; w < WINDOWS; w++) {
    for (const [i, s] of setups.entries()) {
      const session = kernels.open(data, LAYERS, { batchSize: 60 });
      const trainer: KernelTrainer = session.kernelTrainer(s.k, s.storage, false, s.lit);
      try {
        const { masks } = roundMasks(s.round);
        trainer.load(Array.from({ length: s.k }, () => ticketStart(theta0, masks)));
        for (let j = 0; j < 5; j++) trainer.step(order.indices(j), 1.2e-3);
        const t0 = performance.now();
        if (what === 'step') for (let j = 0; j < 40; j++) trainer.step(order.indices(j), 1.2e-3);
        else {
          await trainer.evaluate('validation');
          await trainer.evaluate('test');
        }
        times[i]!.push((performance.now() - t0) / (what === 'step' ? 40 : 1));
      } finally {
        trainer.dispose();
        session.dispose();
      }
    }
  }
  return times.map(median);
}

export async function cpuPathFigures(): Promise<NonNullable<BenchResults['cpuPath']>> {
  const threads = defaultThreads();
  const kernels = await nodeKernels(threads);
  try {
    const pruned: NonNullable<BenchResults['cpuPath']>['pruned'] = [];
    for (const round of [0, 3, 7, 12]) {
      const [autoMs, denseMs, k1Ms] = await time(
        kernels,
        [
          { storage: 'auto', lit: true, round, k: 3 },
          { storage: 'dense', lit: true, round, k: 3 },
          { storage: 'auto', lit: true, round: 0, k: 1 },
        ],
        'step',
      );
      const { remaining } = roundMasks(round);
      pruned.push({ round, remaining, autoMs: autoMs!, denseMs: denseMs!, k1Ms: k1Ms! });
      log(
        `K=3 step at round ${round}'s masks: ${autoMs!.toFixed(2)} ms as stored, ${denseMs!.toFixed(2)} ms all dense, dense K=1 ${k1Ms!.toFixed(2)} ms`,
      );
    }
    const evaluation: NonNullable<BenchResults['cpuPath']>['evaluation'] = [];
    // The first layer stored as the plain build would store it (a lit first layer has no tiles
    // to compare with): dense at round 0, sparse from round 3.
    for (const [round, k, storage] of [
      [0, 1, ['dense', 'dense', 'dense']],
      [3, 3, ['sparse', 'sparse', 'dense']],
      [7, 3, ['sparse', 'sparse', 'sparse']],
    ] as const) {
      const [litMs, tilesMs] = await time(
        kernels,
        [
          { storage: [...storage], lit: true, round, k },
          { storage: [...storage], lit: false, round, k },
        ],
        'evaluation',
      );
      evaluation.push({ round, k, litMs: litMs!, tilesMs: tilesMs! });
      log(
        `evaluation, K=${k} at round ${round}'s masks: ${litMs!.toFixed(0)} ms through the lit pixels, ${tilesMs!.toFixed(0)} ms through the tiles`,
      );
    }
    return { compute: kernels.name, pruned, evaluation };
  } finally {
    kernels.dispose();
  }
}

/** The lecture-scale experiment through the CLI, as a whole process. */
export const LECTURE_CLI =
  'npm run -s experiment -- --iterations 3000 --rounds 12 --eval-every 100 --controls reinit,rearrange --quiet';

export function lectureCliFigures(): NonNullable<BenchResults['lectureCli']> {
  log(`the lecture-scale experiment in the CLI: ${LECTURE_CLI}`);
  const t0 = performance.now();
  const run = spawnSync('sh', ['-c', LECTURE_CLI], { encoding: 'utf8' });
  const wallMs = performance.now() - t0;
  if (run.status !== 0) throw new Error(`the CLI failed: ${run.stderr || run.stdout}`);
  // Its first line names the model, the data and the compute: "LeNet … on MNIST, simd-fma, …".
  const compute = /on MNIST, (.*)$/m.exec(run.stdout)?.[1] ?? 'unknown';
  log(`lecture-scale CLI run: ${(wallMs / 1000).toFixed(1)} s on ${compute}`);
  return { command: LECTURE_CLI, compute, wallMs };
}

/**
 * `npx tsx bench/cpu-path.ts [--cli-lecture]`: these figures alone, merged into the last
 * bench/results.json (its other figures kept, a note saying when these were taken), and
 * docs/benchmarks.md written from it.
 */
async function main(): Promise<void> {
  const path = 'bench/results.json';
  const results = JSON.parse(readFileSync(path, 'utf8')) as BenchResults;
  const before = loadavg()[0]!;
  results.cpuPath = await cpuPathFigures();
  if (process.argv.includes('--cli-lecture')) results.lectureCli = lectureCliFigures();
  // The machine may be shared: its load says how much the wall times above can be trusted.
  const load = `load average ${before.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${cpus().length} cores`;
  const note = `the CPU path figures measured on their own (npx tsx bench/cpu-path.ts) ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${load}`;
  results.notes = [...results.notes.filter((n) => !n.startsWith('the CPU path figures')), note];
  writeFileSync(path, JSON.stringify(results, null, 2) + '\n');
  writeFileSync('docs/benchmarks.md', benchmarksMarkdown(results));
  log('wrote bench/results.json and docs/benchmarks.md');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
