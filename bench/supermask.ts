/**
 * The supermask slider's latency (issue 16): how long one P_m takes while no run trains, on the
 * lab's kernels (two threads, as the CLI and a 2-core page run them) in Node, LeNet-300-100 and
 * MNIST's 10,000 test digits, the worker's own code path (supermask-eval.ts). Per P_m, medians of
 * 5: the first answer (the test set's first 2,000 digits, PREVIEW_IMAGES), the whole test set
 * (after the preview, as a slider request; and alone, as a starting point of the figure), and
 * what a sort of |w| per P_m cost before the ranking (oneShotMasks).
 * `npx tsx bench/supermask.ts` measures it alone; `npm run bench` writes it into the report.
 */
import { nodeKernels } from '../src/node-host/node-kernels';
import { loadMnistFromDisk } from '../src/node-host/node-mnist';
import { BatchOrder, splitMnist } from '../src/engine/data';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { initialParams, ticketStart } from '../src/engine/init';
import { Mask } from '../src/engine/mask';
import { oneShotMasks } from '../src/engine/supermask';
import { MagnitudeRanking } from '../src/engine/supermask-ranking';
import { PREVIEW_IMAGES, supermaskPoint, testSession } from '../src/worker/supermask-eval';
import { type SupermaskFigures, supermaskSection } from './supermask-report';

export const SLIDER_PMS = [1, 0.64, 0.21, 0.07, 0.02] as const;
const REPEATS = 5;
const THREADS = 2;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function supermaskFigures(): Promise<SupermaskFigures> {
  const compute = await nodeKernels(THREADS);
  const config = DEFAULT_CONFIG;
  const data = splitMnist(loadMnistFromDisk(), config.data);
  const layers = config.model.layers;
  try {
    // A dense net trained for 300 steps at batch 60: the slider's cost does not depend on how
    // well it was trained, only on its sizes and the mask's density.
    const theta0 = initialParams(layers, config.training.seed);
    const session = compute.open(data, layers, { batchSize: 60 });
    const trainer = session.trainer(1);
    trainer.load([
      ticketStart(
        theta0,
        theta0.weights.map((w) => Mask.ones(w.length)),
      ),
    ]);
    const order = new BatchOrder(data.train.size, 60, 0);
    for (let i = 0; i < 300; i++) await trainer.step(order.indices(i), 1.2e-3);
    const dense = await trainer.readParams(0);
    trainer.dispose();
    session.dispose();

    const run = { config, theta0, test: data.test, firstRound: 0, origin: 'lab' as const };
    let t = performance.now();
    const ranking = MagnitudeRanking.of(config, dense.weights);
    const rankingMs = performance.now() - t;
    const source = { run, dense, ranking, generation: 1 };
    const now = () => performance.now();
    const open: number[] = [];
    const points: SupermaskFigures['points'] = [];
    for (const pm of SLIDER_PMS) {
      const preview: number[] = [];
      const whole: number[] = [];
      const wholeOnly: number[] = [];
      const sort: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        t = performance.now();
        const idle = testSession(compute, run, 1000);
        open.push(performance.now() - t);
        try {
          const p = await supermaskPoint(idle, source, pm, now, 'idle', {
            preview: (x) => preview.push(x.ms),
          });
          whole.push(p.ms);
          wholeOnly.push((await supermaskPoint(idle, source, pm, now, 'idle')).ms);
        } finally {
          idle.dispose();
        }
        t = performance.now();
        oneShotMasks(config, dense.weights, pm);
        sort.push(performance.now() - t);
      }
      points.push({
        pm,
        previewMs: median(preview),
        wholeMs: median(whole),
        wholeOnlyMs: median(wholeOnly),
        sortMs: median(sort),
      });
      console.log(
        `[bench] supermask slider, P_m ${Math.round(pm * 100)}%: first 2,000 digits ${median(preview).toFixed(0)} ms, all 10,000 ${median(whole).toFixed(0)} ms after it (${median(wholeOnly).toFixed(0)} ms alone); a sort per P_m was ${median(sort).toFixed(0)} ms`,
      );
    }
    return {
      threads: THREADS,
      testImages: data.test.size,
      previewImages: Math.min(PREVIEW_IMAGES, data.test.size),
      openMs: median(open),
      rankingMs,
      points,
    };
  } finally {
    compute.dispose();
  }
}

if (process.argv[1]?.endsWith('supermask.ts'))
  void supermaskFigures().then((f) => console.log(supermaskSection(f)));
