/**
 * A kernel helper thread that dies (issue 6, issue 13): the compute notices, says so in words,
 * and never hangs, however short the round it dies in.
 */
import { describe, expect, it } from 'vitest';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import { killKernelThread, nodeKernels } from '../node-host/node-kernels';
import { DEFAULT_CONFIG, mergeConfig } from '../engine/config';
import { BatchOrder, splitMnist } from '../engine/data';
import { Experiment } from '../engine/experiment';
import { BATCH, LAYERS, data, starts, useKernels } from './kernel-compute.testing';

useKernels();

describe('a kernel thread that dies', () => {
  it('is noticed: the compute says it is lost, steps go on without it, then fail in words instead of hanging', async () => {
    const doomed = await nodeKernels(2);
    try {
      const session = doomed.open(data, LAYERS, { batchSize: BATCH });
      const trainer = session.trainer(3);
      trainer.load(starts(13));
      const order = new BatchOrder(data.train.size, BATCH, 0);
      trainer.step(order.indices(0), 1e-3);
      await killKernelThread(doomed);
      const why = await doomed.lost; // the host saw the thread go
      expect(why).toMatch(/kernel thread 1 exited/);
      // The remaining thread takes every unit (it claims them as they come free), so the run goes
      // on; a helper that sees no job for 2 s of work is suspect, and a roll call it cannot answer
      // declares it gone, in words. (How soon: `npm run bench` measures it.)
      let steps = 0;
      const stepUntilRefused = () => {
        for (const t0 = performance.now(); performance.now() - t0 < 30_000; steps++)
          trainer.step(order.indices(1 + steps), 1e-3);
      };
      expect(stepUntilRefused).toThrow(
        /a kernel thread stopped answering \(thread 1 did not answer a roll call in 5 s; thread 1 had seen no job for 2 s\)/,
      );
      expect(steps).toBeGreaterThan(10);
    } finally {
      doomed.dispose();
    }
  }, 45_000);

  it('killed right before the last step of a short round: noticed when the round ends, in words, before its results are reported', async () => {
    const doomed = await nodeKernels(2);
    const config = mergeConfig(DEFAULT_CONFIG, {
      data: { trainSize: 600, validationSize: 200, testSize: 200 },
      model: { layers: LAYERS },
      training: { iterations: 20, evalEvery: 10, batchSize: BATCH, seed: 0 },
      pruning: { rounds: 0, controls: [] },
    });
    const e = new Experiment(config, splitMnist(loadMnistFromDisk(), config.data), {
      now: () => 0,
      compute: doomed,
    });
    try {
      let stepped = 0;
      let killed = false;
      const completed: number[] = [];
      const round = e.runRound({
        progress: (_, iteration) => void (stepped = iteration),
        // Awaited before each step: the one before the last ends the helper, and waits until it
        // has exited. The round then lasts a few milliseconds more, far less than a heartbeat.
        checkpoint: async () => {
          if (stepped !== 19 || killed) return;
          killed = true;
          await killKernelThread(doomed);
        },
        roundCompleted: (r) => void completed.push(r.round),
      });
      await expect(round).rejects.toThrow(
        'a kernel thread stopped answering (thread 1 did not answer a roll call in 5 s)',
      );
      expect([killed, stepped, completed]).toEqual([true, 20, []]);
    } finally {
      e.dispose();
      doomed.dispose();
    }
  }, 30_000);
});
