/**
 * LabHandler and a run's trials (issue 14): trial 0 streams as a one-seed run always did, each
 * round over every trial follows its end and is stored in one write, the progress bar hears which
 * seed trains, and a run of several trials stopped mid-run continues in a new worker exactly.
 */
import * as tf from '@tensorflow/tfjs-core';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compute, Trainer } from '../engine/compute';
import { mergeConfig } from '../engine/config';
import { Experiment } from '../engine/experiment';
import { splitMnist } from '../engine/data';
import { tfCompute } from '../engine/tf-compute';
import type { RunRound } from '../engine/trials';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import { FALLBACK_ORDER } from './fallback';
import { initialParams } from '../engine/init';
import { trialSeed } from '../engine/trial-seed';
import { ticketOfRound } from '../formats/ticket-run';
import {
  type Harness,
  fakeBackends,
  faultHarness,
  harness,
  isState,
  tiny,
} from './handler.testing';
import { leanRound } from './events';
import type { LabEvent } from './protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Ev<T extends LabEvent['type']> = Extract<LabEvent, { type: T }>;
const of = <T extends LabEvent['type']>(h: Harness, type: T) =>
  h.events.filter((x) => x.e.type === type).map((x) => x.e as Ev<T>);

/** A round over trials without its clock: what two runs of the same trials share. */
const science = (rounds: readonly RunRound[]) =>
  rounds.map((r) => ({
    ...r,
    trials: r.trials.map(({ wallMs: _w, examplesPerSecond: _e, ...t }) => t),
  }));

const withTrials = (trials: number) =>
  mergeConfig(tiny(10, 1), { training: { trials, evalEvery: 5 } });

describe('LabHandler and a run’s trials (issue 14)', () => {
  it('streams trial 0, then each round over every trial, and stores every trial', async () => {
    const config = withTrials(3);
    const h = harness();
    h.send({ type: 'start', run: { kind: 'new', config }, backend: 'cpu' });
    await h.next(isState('done'), 120_000);
    const rounds = of(h, 'trialsCompleted').map((e) => e.round);
    expect(rounds.map((r) => [r.round, r.trials.map((t) => t.trial)])).toEqual([
      [0, [0, 1, 2]],
      [1, [0, 1, 2]],
    ]);
    // Each round over trials comes after trial 0's own round, before the next round starts.
    const order = h.events
      .map((x) => x.e.type)
      .filter((t) => t === 'roundStarted' || t === 'roundCompleted' || t === 'trialsCompleted');
    expect(order.slice(0, 6)).toEqual([
      'roundStarted',
      'roundCompleted',
      'trialsCompleted',
      'roundStarted',
      'roundCompleted',
      'trialsCompleted',
    ]);
    // Trial 0 is what the page streamed; every trial is what the engine reaches alone.
    const completed = of(h, 'roundCompleted').map((e) => e.summary);
    for (const [i, r] of rounds.entries())
      expect(r.trials[0]!.variants.map((v) => v.earlyStop)).toEqual(
        completed[i]!.variants.map((v) => v.earlyStop),
      );
    const data = splitMnist(loadMnistFromDisk(), config.data);
    const e = new Experiment(config, data, { compute: tfCompute, trial: 2 });
    let alone;
    try {
      alone = (await e.run()).rounds;
      // The page gets each trial's curves and numbers; its histograms stay in the history.
      expect(rounds.map((r) => r.trials[2]!.variants)).toEqual(
        alone.map((r) => r.variants.map((v) => ({ ...v, histograms: [], pixelSurvivors: [] }))),
      );
    } finally {
      e.dispose();
    }
    // The bar hears which of the 3 seeds trains: on tfjs they take turns.
    const heard = new Set(
      of(h, 'curvePoints').map((c) => `${c.progress?.trial}/${c.progress?.trials}`),
    );
    expect([...heard].filter((x) => x !== 'undefined/undefined').sort()).toEqual([
      '0/3',
      '1/3',
      '2/3',
    ]);
    const id = of(h, 'runStarted')[0]!.runId!;
    const stored = await (await h.db).runRounds(id, config);
    expect(stored.map(leanRound)).toEqual(rounds);
    // The history keeps every trial whole: trial 2's pixel map is there.
    expect(stored[1]!.trials[2]!.variants[0]!.pixelSurvivors).toEqual(
      alone[1]!.variants[0]!.pixelSurvivors,
    );
  });

  it('a run of several trials stopped after round 0 continues in a new worker exactly', async () => {
    const config = withTrials(2);
    const whole = harness();
    whole.send({ type: 'start', run: { kind: 'new', config }, backend: 'cpu' });
    await whole.next(isState('done'), 120_000);

    const factory = new IDBFactory();
    const first = harness(factory);
    first.send({
      type: 'start',
      run: { kind: 'new', config },
      backend: 'cpu',
      pauseAfterRound: true,
    });
    await first.next(isState('paused'), 60_000);
    first.send({ type: 'stop' });
    await first.next(isState('stopped'));
    const id = of(first, 'runStarted')[0]!.runId!;
    // A reload: a new worker on the same database.
    const second = harness(factory);
    second.send({ type: 'start', run: { kind: 'continue', runId: id }, backend: 'cpu' });
    await second.next(isState('done'), 120_000);
    const rounds = (h: Harness) => of(h, 'trialsCompleted').map((e) => e.round);
    expect(science([...rounds(first), ...rounds(second)])).toEqual(science(rounds(whole)));
    expect(science((await (await second.db).runRounds(id, config)).map(leanRound))).toEqual(
      science(rounds(whole)),
    );
  });

  it('a backend that fails while trial 1 trains: every trial trains the round again on the next, and the run is the clean one', async () => {
    const config = withTrials(3);
    const clean = harness();
    clean.send({ type: 'start', run: { kind: 'new', config }, backend: 'cpu' });
    await clean.next(isState('done'), 120_000);
    let armed = false;
    let thrown = false;
    // The first training step after trial 0 finishes round 1 fails, as a GPU out of memory
    // would: that is trial 1's first step (the seeds take turns on tfjs), however fast the
    // machine; trial 0 has finished the round, trial 2 has not begun it.
    const failing: Compute = {
      ...tfCompute,
      open: (...args) => {
        const session = tfCompute.open(...args);
        return {
          trainer: (k, options): Trainer => {
            const t = session.trainer(k, options);
            return {
              k: t.k,
              load: (starts) => t.load(starts),
              step: (batch, lr) => {
                if (armed && !thrown) {
                  thrown = true;
                  throw new RangeError('out of memory');
                }
                return t.step(batch, lr);
              },
              takeTrainLoss: () => t.takeTrainLoss(),
              batchLoss: (batch) => t.batchLoss(batch),
              evaluate: (split, checkpoint) => t.evaluate(split, checkpoint),
              readParams: (v) => t.readParams(v),
              dispose: () => t.dispose(),
            };
          },
          dispose: () => session.dispose(),
        };
      },
    };
    const h = faultHarness(
      {
        fallbackOrder: FALLBACK_ORDER,
        openHistory: async () => null,
        initBackend: async (choice, base) => {
          const started = await fakeBackends(choice, base);
          return choice === 'wasm' ? { ...started, compute: failing } : started;
        },
      },
      (e) => {
        if (e.type === 'roundCompleted' && e.summary.round === 1) armed = true;
      },
    );
    h.send({ type: 'start', run: { kind: 'new', config }, backend: 'wasm' });
    expect(await h.next('fellBack')).toMatchObject({ from: 'wasm', round: 1 });
    await h.next('state', (e) => e.state === 'done');
    const rounds = h.events.flatMap((e) => (e.type === 'trialsCompleted' ? [e.round] : []));
    expect(science(rounds)).toEqual(science(of(clean, 'trialsCompleted').map((e) => e.round)));
  });

  it('a ticket of trial 1, imported and trained, retraces trial 1’s round as a one-trial run', async () => {
    const config = withTrials(2);
    const source = harness();
    source.send({ type: 'start', run: { kind: 'new', config }, backend: 'cpu' });
    await source.next(isState('done'), 120_000);
    const db = await source.db;
    const id = of(source, 'runStarted')[0]!.runId!;
    const kept = (await db.trialOfRound(id, 1, 1))!;
    const seed = trialSeed(config.training.seed, 1);
    // As the history panel exports it, but with the run's trials left in the config: a ticket is
    // one trial's, and trains as a one-trial run whatever its config says.
    const ticket = ticketOfRound({
      config: { ...config, training: { ...config.training, seed } },
      result: kept.result,
      masks: kept.masks!,
      theta0: initialParams(config.model.layers, seed),
      rewindTo: kept.rewindTo,
      createdBy: 'test',
    });
    const device = harness();
    device.send({
      type: 'start',
      run: {
        kind: 'importedTicket',
        ticket,
        controls: ['reinit', 'rearrange'],
        task: 'mnist',
        name: 't',
      },
      backend: 'cpu',
    });
    await device.next(isState('done'), 120_000);
    const [trained] = of(device, 'trialsCompleted').map((e) => e.round);
    expect(trained!.trials.map((t) => [t.trial, t.seed])).toEqual([[0, seed]]);
    const there = of(source, 'trialsCompleted')[1]!.round.trials[1]!;
    expect(trained!.trials[0]!.variants).toEqual(there.variants);
  });
});
