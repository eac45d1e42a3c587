/**
 * `npm run bench` (issue 5): the lab measured where it runs — headless Chromium (the browser the
 * tests drive), in the worker, on real MNIST — with a textbook tfjs reference measured in the
 * same run, so every figure is also a ratio. Writes bench/results.json and docs/benchmarks.md
 * and prints a table. Flags: --lecture also times the lecture-scale experiment (≈10 min here),
 * in the browser and through the CLI; --cli-lecture only through the CLI; --only simd,wasm
 * measures only those backends (name gpu for the GPU stack of issue 17); --first-load measures
 * only the first load (bench/first-load.ts) and --gpu only the GPU stack, each keeping every
 * other figure of bench/results.json (a GPU machine's figures beside this machine's).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { type Browser, type Page, chromium } from 'playwright-core';
import { build, preview } from 'vite';
import type {
  BenchReply,
  BenchRequest,
  EvalShareReply,
  LectureReply,
  MemoryReply,
  MnistReply,
  ReferenceReply,
  TrainReply,
} from './page/protocol';
import { firstLoadFigures, firstLoadLine, keepFirstLoad } from './first-load';
import { benchmarksMarkdown } from './report';
import type { BackendFigures, BenchResults, MemoryFigures } from './results';
import { nodeFigures, threadLossFigures } from './node';
import { gpuStackFigures } from './gpu';
import { supermaskFigures } from './supermask';
import { cpuPathFigures, lectureCliFigures } from './cpu-path';
import { LENET_300_100 } from '../src/engine/config';
import { weightSizes } from '../src/engine/init';
import type { BackendChoice } from '../src/worker/protocol';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/browser';
import {
  longTasksSince,
  pageNow,
  pauseLatency,
  watchResponsiveness,
} from '../tests/responsiveness';

const APP_PORT = 4190;
const PAGE_PORT = 4191;
const BACKENDS = ['webgpu', 'simd', 'wasm', 'webgl', 'cpu'] as const;
/**
 * Time per throughput figure (5 windows); the slow backends get longer windows, not more of them.
 */
const BUDGET_MS = 2500;

const args = process.argv.slice(2);
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const withLecture = args.includes('--lecture');
const firstLoadOnly = args.includes('--first-load');
const gpuOnly = args.includes('--gpu');
const withCliLecture = withLecture || args.includes('--cli-lecture');
const log = (...a: unknown[]) => console.log('[bench]', ...a);

type Bench = {
  ask(r: BenchRequest): Promise<BenchReply>;
  reference(b: string): Promise<ReferenceReply>;
};

async function benchPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (e) => log('bench page error:', e.message));
  await page.goto(`http://localhost:${PAGE_PORT}/`);
  await page.waitForFunction(() => 'bench' in window);
  return page;
}

const ask = <T extends BenchReply>(page: Page, r: BenchRequest) =>
  page.evaluate((req) => (window as unknown as { bench: Bench }).bench.ask(req), r) as Promise<T>;

async function backendFigures(
  page: Page,
  name: (typeof BACKENDS)[number],
  notes: string[],
): Promise<BackendFigures | null> {
  const train = (batch: number, k: number) =>
    ask<TrainReply>(page, { type: 'train', backend: name, batch, k, budgetMs: BUDGET_MS });
  let k1: TrainReply;
  try {
    k1 = await train(60, 1);
  } catch (e) {
    notes.push(`${name}: did not start (${(e as Error).message.split('\n')[0]})`);
    return null;
  }
  const figures: BackendFigures = {
    adapter: k1.adapter,
    batch60: k1.examplesPerSecond,
    batch600: (await train(600, 1)).examplesPerSecond,
    lockstep: {
      k1: k1.examplesPerSecond,
      k2: (await train(60, 2)).examplesPerSecond,
      k3: (await train(60, 3)).examplesPerSecond,
      k4: (await train(60, 4)).examplesPerSecond,
    },
  };
  log(
    `${name} (${figures.adapter}): batch 60 ${Math.round(figures.batch60)}, batch 600 ${Math.round(figures.batch600)}; lockstep per variant K=2 ${Math.round(figures.lockstep.k2)}, K=3 ${Math.round(figures.lockstep.k3)}, K=4 ${Math.round(figures.lockstep.k4)} examples/s`,
  );
  return figures;
}

/** Run-click → first curve point, timed in the page: cold (fresh profile) and warm (second run). */
async function firstPoint(browser: Browser): Promise<{ cold: number; warm: number }> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://localhost:${APP_PORT}/`);
  await page.getByTestId('run').waitFor();
  // No named functions inside: tsx's helpers for them do not exist in the page.
  const timeRun = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const figure = document.querySelector('[data-testid="figure-accuracy"]')!;
          const t0 = performance.now();
          new MutationObserver((_, obs) => {
            if (Number(figure.getAttribute('data-points') ?? 0) > 0) {
              obs.disconnect();
              resolve(performance.now() - t0);
            }
          }).observe(figure, { attributes: true });
          (document.querySelector('[data-testid="run"]') as HTMLButtonElement).click();
        }),
    );
  const cold = await timeRun();
  await page.getByTestId('stop').click();
  await page.locator('[data-testid="state"][data-state="stopped"]').waitFor();
  const warm = await timeRun();
  await page.getByTestId('stop').click();
  await page.context().close();
  return { cold, warm };
}

/** Long main-thread tasks while a run streams to every figure (as the UI test's run), and Pause. */
async function mainThread(
  browser: Browser,
): Promise<{ longestTaskMs: number; tasksOver50ms: number; pauseMs: number }> {
  const page = await (
    await browser.newContext({ viewport: { width: 1280, height: 720 } })
  ).newPage();
  await watchResponsiveness(page);
  await page.goto(
    `http://localhost:${APP_PORT}/#rounds=3&iterations=300&evalEvery=20&validation=500&test=500&controls=reinit,rearrange`,
  );
  await page.getByTestId('run').waitFor();
  const runFrom = await pageNow(page);
  await page.getByTestId('run').click();
  await page.getByTestId('round-row').nth(3).waitFor({ timeout: 300_000 });
  const pauseMs = await pauseLatency(page);
  await page.getByTestId('resume').click();
  await page.locator('[data-testid="state"][data-state="done"]').waitFor({ timeout: 300_000 });
  const tasks = await longTasksSince(page, runFrom);
  await page.context().close();
  return { longestTaskMs: Math.max(0, ...tasks), tasksOver50ms: tasks.length, pauseMs };
}

function memoryAt(reply: MemoryReply, round: number): MemoryFigures {
  const r = reply.rounds.find((x) => x.round === round)!;
  return {
    backend: reply.backend,
    tensors: r.tensors,
    gpuBytes: r.gpuBytes,
    heapBytes: r.heapBytes,
  };
}

async function main(): Promise<void> {
  log('building the lab and the benchmark page');
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
  await build({ configFile: 'bench/vite.config.ts', logLevel: 'warn' });
  const servers = [
    await preview({
      configFile: 'vite.config.ts',
      preview: { port: APP_PORT, strictPort: true, host: 'localhost' },
      logLevel: 'warn',
    }),
    await preview({
      configFile: 'bench/vite.config.ts',
      preview: { port: PAGE_PORT, strictPort: true, host: 'localhost' },
      logLevel: 'warn',
    }),
  ];
  const browser = await chromium.launch({
    executablePath: await chromiumPath(),
    args: CHROMIUM_ARGS,
    headless: true,
  });
  const notes: string[] = [];
  try {
    if (gpuOnly) {
      const page = await benchPage(browser);
      const gpuStack = await gpuStackFigures(page, ask, BUDGET_MS, notes, log);
      if (!gpuStack) throw new Error(`no GPU stack could be measured: ${notes.join('; ')}`);
      const kept = JSON.parse(readFileSync('bench/results.json', 'utf8')) as BenchResults;
      const results: BenchResults = { ...kept, gpuStack };
      writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
      writeFileSync('docs/benchmarks.md', benchmarksMarkdown(results));
      log('wrote the GPU stack into bench/results.json and docs/benchmarks.md');
      return;
    }
    // First, before anything else has loaded the machine.
    const firstLoad = await firstLoadFigures(browser, `http://localhost:${APP_PORT}`);
    log(firstLoadLine(firstLoad));
    if (firstLoadOnly) return keepFirstLoad(firstLoad);
    const page = await benchPage(browser);
    const mnistCold = await ask<MnistReply>(page, { type: 'mnist', cold: true });
    const mnistWarm = await ask<MnistReply>(page, { type: 'mnist', cold: false });
    log(
      `MNIST: ${(mnistCold.transferredBytes / 1e6).toFixed(1)} MB over the network in ${mnistCold.ms.toFixed(0)} ms; from Cache Storage ${mnistWarm.ms.toFixed(0)} ms`,
    );

    const backends: BenchResults['backends'] = {};
    for (const name of BACKENDS) {
      if (only && !only.includes(name)) continue;
      const f = await backendFigures(page, name, notes);
      if (f) backends[name] = f;
    }
    const gpuStack =
      !only || only.includes('gpu')
        ? await gpuStackFigures(page, ask, BUDGET_MS, notes, log)
        : null;
    // The lecture's pruned rounds: hidden layers keep 0.8^r, the output layer 0.9^r.
    const pruned: BenchResults['pruned'] = { backend: '', rounds: [] };
    for (const round of [3, 7, 12]) {
      const densities = [0.8 ** round, 0.8 ** round, 0.9 ** round];
      const reply = await ask<TrainReply>(page, {
        type: 'train',
        backend: 'auto',
        batch: 60,
        k: 3,
        budgetMs: BUDGET_MS,
        densities,
      });
      const sizes = weightSizes(LENET_300_100);
      const remaining =
        sizes.reduce((a, n, l) => a + Math.round(densities[l]! * n), 0) /
        sizes.reduce((a, n) => a + n, 0);
      pruned.backend = reply.backend;
      pruned.rounds.push({ round, remaining, k3: reply.examplesPerSecond });
      log(
        `K=3 at round ${round}'s masks (P_m ${(100 * remaining).toFixed(1)}%) on ${reply.backend}: ${Math.round(reply.examplesPerSecond)} examples/s per variant`,
      );
    }
    const one = async (k: number) =>
      (
        await ask<TrainReply>(page, {
          type: 'train',
          backend: 'simd',
          threads: 1,
          batch: 60,
          k,
          budgetMs: BUDGET_MS,
        })
      ).examplesPerSecond;
    const simdOneThread = { batch60: await one(1), k3: await one(3) };
    // auto in a fresh profile, so it measures rather than reuse the verdict cached above.
    const freshPage = await benchPage(browser);
    const auto = await ask<TrainReply>(freshPage, {
      type: 'train',
      backend: 'auto',
      batch: 60,
      k: 1,
      budgetMs: BUDGET_MS,
    });
    await freshPage.context().close();
    log(
      `auto chose ${auto.backend}: ${Math.round(auto.examplesPerSecond)} examples/s (${auto.reason})`,
    );

    const shares = [
      await ask<EvalShareReply>(page, { type: 'evalShare', backend: 'auto', k: 1 }),
      await ask<EvalShareReply>(page, { type: 'evalShare', backend: 'auto', k: 3 }),
    ];
    log(
      `evaluation on ${shares[0]!.backend}: ${shares[0]!.evalMs.toFixed(0)} ms for 15k held-out examples, ${(100 * shares[0]!.share).toFixed(0)}% of a round at K=1, ${(100 * shares[1]!.share).toFixed(0)}% at K=3`,
    );
    const memoryBackends = ['auto', ...(only ?? ['webgpu', 'wasm'])].filter(
      (b, i, all) => all.indexOf(b) === i && b !== 'cpu' && b !== 'webgl',
    );
    const byBackend: BenchResults['memory']['byBackend'] = {};
    for (const b of memoryBackends) {
      const reply = await ask<MemoryReply>(page, {
        type: 'memory',
        backend: b as BackendChoice,
        rounds: 10,
      }).catch((e: Error) => {
        notes.push(`memory on ${b}: ${e.message.split('\n')[0]}`);
        log(`memory on ${b} failed:`, e.message);
        return null;
      });
      if (reply)
        log(
          `memory on ${reply.backend}: ${reply.rounds
            .map(
              (x) =>
                `round ${x.round} ${x.tensors} tensors, ${(x.gpuBytes / 1e6).toFixed(1)} MB GPU, ${(x.heapBytes / 1e6).toFixed(1)} MB heap`,
            )
            .filter((_, i) => i === 1 || i === 10)
            .join('; ')}`,
        );
      if (reply)
        byBackend[b === 'auto' ? `auto (${reply.backend})` : b] = {
          round1: memoryAt(reply, 1),
          round10: memoryAt(reply, 10),
        };
    }
    const autoMemory = Object.entries(byBackend).find(([k]) => k.startsWith('auto'))?.[1];
    if (!autoMemory) throw new Error(`the memory run on auto failed: ${notes.join('; ')}`);

    const references: ReferenceReply[] = [];
    for (const b of ['webgl', 'wasm'] as const) {
      const fresh = await benchPage(browser);
      references.push(
        await fresh.evaluate((x) => (window as unknown as { bench: Bench }).bench.reference(x), b),
      );
      await fresh.context().close();
    }
    const reference = [...references].sort((a, b) => b.batch60 - a.batch60)[0]!;
    log(
      `reference (textbook tf.sequential + model.fit): ${references.map((r) => `${r.backend} ${Math.round(r.batch60)}`).join(', ')} examples/s`,
    );

    const first = await firstPoint(browser);
    log(
      `first curve point after Run: cold ${first.cold.toFixed(0)} ms, warm ${first.warm.toFixed(0)} ms`,
    );
    const thread = await mainThread(browser);
    log(
      `main thread during a streaming run: ${thread.tasksOver50ms} tasks over 50 ms, longest ${thread.longestTaskMs.toFixed(0)} ms; Pause shown ${thread.pauseMs.toFixed(0)} ms after the click`,
    );

    let lecture: LectureReply | undefined;
    const lecturePreset: LectureReply[] = [];
    if (withLecture) {
      log(
        'the lecture-scale experiment (12 rounds × 3,000 iterations, ticket + reinit + rearrange)…',
      );
      lecture = await ask<LectureReply>(page, {
        type: 'lecture',
        backend: 'auto',
        preset: 'scale',
        trials: 1,
      });
      log(`lecture-scale run: ${(lecture.wallMs / 60000).toFixed(1)} min on ${lecture.backend}`);
      // The Lecture preset with one seed and with five, in the same page: what seeds cost.
      for (const trials of [1, 5]) {
        const reply = await ask<LectureReply>(page, {
          type: 'lecture',
          backend: 'auto',
          preset: 'lecture',
          trials,
        });
        lecturePreset.push(reply);
        log(
          `the Lecture preset, ${trials} seed${trials > 1 ? 's' : ''}: ${(reply.wallMs / 60000).toFixed(1)} min on ${reply.backend}`,
        );
      }
    }

    // The Node figures share the machine with nothing: the page and its worker go first.
    await page.context().close();
    const node = await nodeFigures();
    const threadLoss = await threadLossFigures();
    const supermask = await supermaskFigures();
    const cpuPath = await cpuPathFigures();
    const lectureCli = withCliLecture ? lectureCliFigures() : undefined;
    const results: BenchResults = {
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        platform: process.platform,
        browser: `Chromium ${browser.version()}`,
      },
      measuredAt: new Date().toISOString(),
      backends,
      pruned,
      simdOneThread,
      auto: { backend: auto.backend, batch60: auto.examplesPerSecond, reason: auto.reason },
      reference,
      references,
      firstPointMs: first,
      mainThread: thread,
      data: { bytes: mnistCold.transferredBytes, loadMs: mnistCold.ms, cachedLoadMs: mnistWarm.ms },
      memory: { round1: autoMemory.round1, round10: autoMemory.round10, byBackend },
      evaluation: {
        backend: shares[0]!.backend,
        k1Share: shares[0]!.share,
        k3Share: shares[1]!.share,
        evalMs: shares[0]!.evalMs,
        stepMs: shares[0]!.stepMs,
      },
      ...(lecture
        ? { lecture: { backend: lecture.backend, wallMs: lecture.wallMs, rounds: lecture.rounds } }
        : {}),
      ...(lecturePreset.length
        ? {
            lecturePreset: lecturePreset.map((x) => ({
              backend: x.backend,
              trials: x.trials,
              wallMs: x.wallMs,
            })),
          }
        : {}),
      node,
      threadLoss,
      firstLoad,
      ...(gpuStack ? { gpuStack } : {}),
      supermask,
      cpuPath,
      ...(lectureCli ? { lectureCli } : {}),
      notes,
    };
    mkdirSync('bench', { recursive: true });
    writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
    const markdown = benchmarksMarkdown(results);
    writeFileSync('docs/benchmarks.md', markdown);
    console.log('\n' + markdown.split('\n## ')[1]!.split('\n').slice(1).join('\n'));
    log('wrote bench/results.json and docs/benchmarks.md');
  } finally {
    await browser.close();
    for (const s of servers) await new Promise<void>((done) => s.httpServer.close(() => done()));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
