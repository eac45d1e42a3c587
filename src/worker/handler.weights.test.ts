/**
 * Issue 16 through the worker's handler, on the lab's own SIMD kernels (Node's host) and real
 * MNIST: the weights kept as rounds end, the drawing pad's `classify`, and the supermask slider's
 * `supermask`, whose evaluations must not change a run's numbers.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mergeConfig } from '../engine/config';
import { splitMnist } from '../engine/data';
import { TrialSet } from '../engine/trial-set';
import type { RoundResult } from '../engine/experiment';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import { nodeKernels } from '../node-host/node-kernels';
import type { KernelCompute } from '../kernels/kernel-compute';
import { tinyTicket } from '../formats/formats.testing';
import { faultHarness, tinyConfig } from './handler.testing';
import type { HandlerDeps } from './handler';
import type { LabEvent, RoundSummary } from './protocol';
import { SWEEP_PMS } from './weights-desk';

const CONFIG = tinyConfig(150, 2, ['reinit', 'rearrange']);
let kernels: KernelCompute;
const onKernels: HandlerDeps['initBackend'] = async () => ({
  info: { backend: 'simd', adapter: 'node kernels', reason: 'test' },
  compute: kernels,
});

beforeAll(async () => {
  kernels = await nodeKernels(1);
});
afterAll(() => kernels?.dispose());

type Supermask = Extract<LabEvent, { type: 'supermask' }>;
const isDone = (e: Extract<LabEvent, { type: 'state' }>) => e.state === 'done';
/** What a round's numbers are, without the wall clock. */
const numbers = (s: RoundSummary | RoundResult) =>
  s.variants.map((v) => [v.variant, v.finalTestAccuracy, v.earlyStop, v.remainingByLayer]);

describe('kept weights, classify and the supermask slider', () => {
  it('answers from the kept weights and leaves the run exactly as it trains alone', async () => {
    const h = faultHarness({ initBackend: onKernels });
    h.send({ type: 'start', run: { kind: 'new', config: CONFIG }, backend: 'simd' });
    await h.next('weightsKept', (e) => e.rounds.length === 1);
    // As figure 8 asks once the dense round has trained: 100%, and the starting points after it.
    h.send({ type: 'supermask', requestId: 1, pm: 1, sweep: true });
    // Mid-run, while round 1 trains: the requests wait for the round's end, the latest wins.
    await h.next('roundStarted', (e) => e.round === 1);
    for (const pm of [0.9, 0.5, 0.3]) h.send({ type: 'supermask', requestId: pm * 10, pm });
    const late = (await h.next('supermask', (e) => e.requestId === 3)) as Supermask;
    expect('point' in late && late.point.when).toBe('betweenRounds');
    await h.next('state', isDone);
    expect(h.events.some((e) => e.type === 'supermask' && e.requestId === 9)).toBe(false);
    // The starting sweep, answered as requestId 0: one point between two rounds while the next
    // round waits (the dense round's end first), the rest once no round follows.
    const sweep = () => h.events.filter((e) => e.type === 'supermask' && e.requestId === 0);
    await vi.waitFor(() => expect(sweep().length).toBe(7), { timeout: 20_000 });
    expect(sweep().map((e) => 'point' in e && e.point.pm)).toEqual([...SWEEP_PMS]);

    // The same run through the engine alone, on kernels of the same build and thread count
    // (their own instance: the handler may be timing the device on its kernels between runs, and
    // the kernels hold one session at a time): identical numbers.
    const data = splitMnist(loadMnistFromDisk(), CONFIG.data);
    const own = await nodeKernels(1, kernels.arithmetic);
    const alone = new TrialSet(CONFIG, data, { compute: own });
    const expected: RoundResult[] = [];
    try {
      while (!alone.done) expected.push(...(await alone.runRound()));
    } finally {
      alone.dispose();
      own.dispose();
    }
    const summaries = h.events.flatMap((e) => (e.type === 'roundCompleted' ? [e.summary] : []));
    expect(summaries.map(numbers)).toEqual(expected.map(numbers));

    // P_m 100%: the supermask is θ0 itself (round 0's accuracy at iteration 0) and the pruned net
    // the dense net as trained (round 0's final test accuracy).
    h.send({ type: 'supermask', requestId: 100, pm: 1 });
    const full = (await h.next('supermask', (e) => e.requestId === 100)) as Supermask;
    if (!('point' in full)) throw new Error(full.error);
    const dense = expected[0]!.variants[0]!;
    expect(full.point.when).toBe('idle');
    expect(full.point.remaining).toBe(1);
    expect(full.point.prunedAccuracy).toBeCloseTo(dense.finalTestAccuracy, 6);
    expect(full.point.supermaskAccuracy).toBeCloseTo(dense.curve[0]!.testAccuracy, 6);
    expect(full.point.signs.dropped.of).toBe(0);

    // A low P_m: fewer weights, other accuracies; the kept weights kept θ0's sign more often.
    h.send({ type: 'supermask', requestId: 101, pm: 0.1 });
    const low = (await h.next('supermask', (e) => e.requestId === 101)) as Supermask;
    if (!('point' in low)) throw new Error(low.error);
    expect(low.point.remaining).toBeCloseTo(0.1, 3);
    expect(low.point.prunedAccuracy).not.toBe(full.point.prunedAccuracy);
    const { kept, dropped } = low.point.signs;
    expect(kept.same / kept.of).toBeGreaterThan(dropped.same / dropped.of);

    // Bad input: a clear message, nothing else.
    h.send({ type: 'supermask', requestId: 102, pm: 0 });
    const bad = (await h.next('supermask', (e) => e.requestId === 102)) as Supermask;
    expect('error' in bad && bad.error).toMatch(/P_m must be above 0%/);

    // Classify: real MNIST test digits the run was not tested on, through the handler.
    const files = loadMnistFromDisk();
    let right = 0;
    const n = 50;
    for (let i = 0; i < n; i++) {
      const at = 5000 + i;
      h.send({
        type: 'classify',
        requestId: i,
        round: 2,
        trial: 0,
        pixels: files.testImages.slice(at * 784, (at + 1) * 784),
      });
      const e = await h.next('classified', (x) => x.requestId === i);
      if ('error' in e) throw new Error(e.error);
      expect(e.answers.map((a) => a.network)).toEqual(['dense', 'ticket', 'reinit', 'rearrange']);
      const p = e.answers[0]!.probabilities;
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      if (p.indexOf(Math.max(...p)) === files.testLabels[at]) right++;
    }
    // 150 steps on 600 images of a 32-16 net: well above chance (10%).
    expect(right / n).toBeGreaterThan(0.6);

    h.send({ type: 'classify', requestId: 7, round: 5, trial: 0, pixels: new Uint8Array(784) });
    const missing = await h.next('classified', (x) => x.requestId === 7);
    expect('error' in missing && missing.error).toMatch(
      /^round 5's trained weights are not kept: this run's kept rounds are 0, 1, 2/,
    );
    h.send({ type: 'classify', requestId: 8, round: 1, trial: 0, pixels: new Uint8Array(10) });
    const short = await h.next('classified', (x) => x.requestId === 8);
    expect('error' in short && short.error).toMatch(/784 bytes \(28×28\), not 10 bytes/);
  }, 120_000);

  it('a stored run keeps its weights: reopened in a fresh worker, it answers as before', async () => {
    const config = tinyConfig(60, 1, ['reinit', 'rearrange']);
    const a = faultHarness({ initBackend: onKernels });
    a.send({ type: 'start', run: { kind: 'new', config }, backend: 'simd' });
    const { runId } = await a.next('runStarted');
    await a.next('state', isDone);
    const digit = loadMnistFromDisk().testImages.slice(9000 * 784, 9001 * 784);
    const ask = async (h: typeof a) => {
      h.send({ type: 'supermask', requestId: 5, pm: 0.3 });
      const p = (await h.next('supermask', (e) => e.requestId === 5)) as Supermask;
      h.send({ type: 'classify', requestId: 6, round: 1, trial: 0, pixels: digit });
      return { p, c: await h.next('classified', (e) => e.requestId === 6) };
    };
    const before = await ask(a);

    // Another worker (a reload): the run history is all it has.
    const b = faultHarness({ initBackend: onKernels, openHistory: () => a.db });
    b.send({ type: 'openWeights', runId: runId!, backend: 'simd' });
    const kept = await b.next('weightsKept');
    // Its own generation of weights: a page drops points of any other (review finding 3).
    expect(kept).toEqual({
      type: 'weightsKept',
      rounds: [0, 1],
      none: null,
      noDense: null,
      generation: 1,
    });
    const after = await ask(b);
    if (!('point' in after.p) || !('point' in before.p)) throw new Error('no point');
    const generations = (h: typeof a) =>
      h.events.flatMap((e) => (e.type === 'weightsKept' ? [e.generation] : []));
    expect(before.p.point.generation).toBe(generations(a).at(-1));
    expect(after.p.point.generation).toBe(generations(b).at(-1));
    expect(after.p.point.supermaskAccuracy).toBe(before.p.point.supermaskAccuracy);
    expect(after.p.point.prunedAccuracy).toBe(before.p.point.prunedAccuracy);
    expect(after.p.point.signs).toEqual(before.p.point.signs);
    expect(after.c).toEqual(before.c);

    // A run stored without weights (before they were kept): said in words, nothing breaks.
    const db = await a.db;
    const old = await db.createRun({ name: 'old', config, backend: 'cpu', origin: 'lab' });
    b.send({ type: 'openWeights', runId: old.id, backend: 'simd' });
    const none = await b.next('weightsKept');
    expect(none.none).toMatch(/stored before the lab kept trained weights/);
    expect(none.generation).toBe(2);
    b.send({ type: 'supermask', requestId: 7, pm: 0.5 });
    const refused = (await b.next('supermask', (e) => e.requestId === 7)) as Supermask;
    expect('error' in refused && refused.error).toMatch(
      /round 0's trained weights are not kept: this run was stored before/,
    );
  }, 120_000);

  it('answers a request on the first 2,000 test images, then on all, unless a newer one came', async () => {
    const lenet = (testSize: number) =>
      mergeConfig(tinyConfig(20, 1, []), {
        data: { testSize },
        model: { layers: [784, 300, 100, 10] },
      });
    const answers = async (testSize: number, pm: number, now?: () => number) => {
      const h = faultHarness({ initBackend: onKernels, ...(now ? { now } : {}) });
      h.send({ type: 'start', run: { kind: 'new', config: lenet(testSize) }, backend: 'simd' });
      await h.next('state', isDone);
      h.send({ type: 'supermask', requestId: 1, pm });
      const first = (await h.next('supermask', (e) => e.requestId === 1)) as Supermask;
      return { h, first };
    };
    const { h, first } = await answers(10_000, 1);
    if (!('point' in first)) throw new Error(first.error);
    expect(first.point).toMatchObject({ preview: true, testSize: 2000, remaining: 1 });
    const whole = (await h.next('supermask', (e) => e.requestId === 1)) as Supermask;
    if (!('point' in whole)) throw new Error(whole.error);
    expect(whole.point).toMatchObject({ preview: false, testSize: 10_000, pm: 1 });
    // The preview is the run's first 2,000 test images: the same run tested on 2,000 says so.
    const { first: small } = await answers(2000, 1);
    if (!('point' in small)) throw new Error(small.error);
    expect(small.point).toMatchObject({ preview: false, testSize: 2000 });
    expect(first.point.supermaskAccuracy).toBe(small.point.supermaskAccuracy);
    expect(first.point.prunedAccuracy).toBe(small.point.prunedAccuracy);

    // A newer request while the whole set is evaluated: that evaluation is given up. The clock
    // moves 30 ms a reading, so the evaluation looks for newer requests between every two of its
    // chunks however fast this machine is (on a real clock a fast machine could finish first).
    let t = 0;
    const { h: late } = await answers(10_000, 1, () => (t += 30));
    late.send({ type: 'supermask', requestId: 2, pm: 0.5 });
    const two = (await late.next(
      'supermask',
      (e) => e.requestId === 2 && 'point' in e && !e.point.preview,
    )) as Supermask;
    expect('point' in two && two.point.testSize).toBe(10_000);
    const one = late.events.filter((e) => e.type === 'supermask' && e.requestId === 1);
    expect(one.map((e) => 'point' in e && e.point.preview)).toEqual([true]);
  }, 120_000);

  it('a run trained from an imported ticket says it has no dense net, and the pad answers without one', async () => {
    const h = faultHarness({ initBackend: onKernels });
    const ticket = tinyTicket(2);
    h.send({
      type: 'start',
      run: { kind: 'importedTicket', ticket, controls: ['reinit'], task: 'mnist', name: 't' },
      backend: 'simd',
    });
    await h.next('state', isDone);
    const kept = h.events.filter((e) => e.type === 'weightsKept').at(-1)!;
    if (kept.type !== 'weightsKept') throw new Error('no weightsKept');
    expect(kept.rounds).toEqual([2]);
    expect(kept.none).toBeNull();
    expect(kept.noDense).toBe(
      'this run trained an imported ticket from round 2: it has no dense round, so no trained dense net; it holds round 2',
    );
    h.send({ type: 'supermask', requestId: 1, pm: 0.5 });
    const refused = (await h.next('supermask', (e) => e.requestId === 1)) as Supermask;
    expect('error' in refused && refused.error).toBe(kept.noDense);
    const digit = loadMnistFromDisk().testImages.slice(0, 784);
    h.send({ type: 'classify', requestId: 2, round: 2, trial: 0, pixels: digit });
    const c = await h.next('classified', (e) => e.requestId === 2);
    if ('error' in c) throw new Error(c.error);
    expect(c.answers.map((a) => a.network)).toEqual(['ticket', 'reinit']);
    h.send({ type: 'classify', requestId: 3, round: 0, trial: 0, pixels: digit });
    const none = await h.next('classified', (e) => e.requestId === 3);
    expect('error' in none && none.error).toBe(
      `round 0's trained weights are not kept: ${kept.noDense}`,
    );

    // Reopened from the history in a fresh worker: the same words, from the stored run.
    const { runId } = h.events.find((e) => e.type === 'runStarted') as Extract<
      LabEvent,
      { type: 'runStarted' }
    >;
    const b = faultHarness({ initBackend: onKernels, openHistory: () => h.db });
    b.send({ type: 'openWeights', runId: runId!, backend: 'simd' });
    const reopened = await b.next('weightsKept');
    expect(reopened).toMatchObject({ rounds: [2], none: null, noDense: kept.noDense });
  }, 120_000);

  it('says why before any run has trained', async () => {
    const h = faultHarness({ initBackend: onKernels });
    h.send({ type: 'supermask', requestId: 1, pm: 0.5 });
    const e = (await h.next('supermask')) as Supermask;
    expect('error' in e && e.error).toMatch(/not kept: no run has trained in this tab yet/);
    h.send({ type: 'classify', requestId: 2, round: 0, trial: 0, pixels: new Uint8Array(784) });
    const c = await h.next('classified');
    expect('error' in c && c.error).toMatch(/round 0's trained weights are not kept/);
  });
});
