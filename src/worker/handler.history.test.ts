/**
 * LabHandler and the run history (issue 4): rounds saved as they complete, runs continued in a
 * new worker, tickets exported and retrained, and a history that is locked, full or unavailable.
 * Driven in Node through the same harness as handler.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import { initialParams } from '../engine/init';
import { tfCompute } from '../engine/tf-compute';
import { decodeTicket, encodeTicket } from '../formats/ticket';
import { ticketOfRound } from '../formats/ticket-run';
import { type HandlerDeps, LabHandler } from './handler';
import { type Harness, harness, isState, type Locks, onCpu, tiny } from './handler.testing';
import type { RunStore } from './run-plan';
import type { LabEvent } from './protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Ev<T extends LabEvent['type']> = Extract<LabEvent, { type: T }>;
const of = <T extends LabEvent['type']>(h: Harness, type: T) =>
  h.events.filter((x) => x.e.type === type).map((x) => x.e as Ev<T>);
/** What must match between two runs of the same rounds: everything but time. */
const science = (summaries: Ev<'roundCompleted'>[]) =>
  summaries.map(({ summary: { wallMs: _w, examplesPerSecond: _e, ...rest } }) => rest);
const curves = (h: Harness) => of(h, 'curvePoints').flatMap((c) => [...c.points]);

describe('LabHandler and the run history (issue 4)', () => {
  it('saves every completed round as it completes, and marks the run done', async () => {
    const h = harness();
    h.send({
      type: 'start',
      run: { kind: 'new', config: tiny(20, 2), name: 'saved run' },
      backend: 'cpu',
    });
    await h.next(isState('done'), 60_000);
    const started = of(h, 'runStarted')[0]!;
    expect(started.firstRound).toBe(0);
    const saved = of(h, 'runSaved').map((e) => e.run);
    expect(saved.map((r) => [r.roundsDone, r.status, r.continuable])).toEqual([
      [1, 'running', true],
      [2, 'running', true],
      [3, 'done', false],
    ]);
    expect(saved[0]!).toMatchObject({
      id: started.runId,
      name: 'saved run',
      origin: 'lab',
      backend: 'cpu · JavaScript on the CPU',
    });
    const db = await h.db;
    const stored = await db.rounds(started.runId!);
    expect(stored.map((r) => r.round)).toEqual([0, 1, 2]);
    expect(stored.map((r) => r.variants.map((v) => v.earlyStop.testAccuracy))).toEqual(
      of(h, 'roundCompleted').map((e) => e.summary.variants.map((v) => v.earlyStop.testAccuracy)),
    );
    // The masks kept with round 2 are its ticket's: as many survivors as its P_m says.
    const masks = (await db.roundMasks(started.runId!, 2))!;
    const kept = masks.reduce((n, m) => n + m.reduce((a, b) => a + b, 0), 0);
    const total = masks.reduce((n, m) => n + m.length, 0);
    expect(kept / total).toBeCloseTo(stored[2]!.remaining, 12);
    expect(await db.theta0(started.runId!)).toEqual(initialParams(tiny(20).model.layers, 0));
  });

  it('a run stopped after round 0 continues, in a new worker, with the same results as one never stopped', async () => {
    const config = tiny(20, 2);
    const whole = harness();
    whole.send({ type: 'start', run: { kind: 'new', config }, backend: 'cpu' });
    await whole.next(isState('done'), 60_000);

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
    const stopped = of(first, 'runSaved').at(-1)!.run;
    expect(stopped).toMatchObject({ status: 'stopped', roundsDone: 1, continuable: true });

    // A reload: a new worker, the same database; here it also runs on another device.
    const elsewhere: HandlerDeps['initBackend'] = async (...args) => ({
      ...(await onCpu(...args)),
      info: { backend: 'cpu', adapter: 'another device', reason: 'test' },
    });
    const second = harness(factory, undefined, undefined, elsewhere);
    second.send({ type: 'start', run: { kind: 'continue', runId: stopped.id }, backend: 'cpu' });
    await second.next(isState('done'), 60_000);
    expect(of(second, 'runStarted')[0]).toMatchObject({ runId: stopped.id, firstRound: 1 });
    expect(science([...of(first, 'roundCompleted'), ...of(second, 'roundCompleted')])).toEqual(
      science(of(whole, 'roundCompleted')),
    );
    expect([...curves(first), ...curves(second)]).toEqual(curves(whole));
    const db = await second.db;
    expect(await db.get(stopped.id)).toMatchObject({
      status: 'done',
      roundsDone: 3,
      continuable: false,
      backend: 'cpu · JavaScript on the CPU → cpu · another device',
    });
    expect((await db.rounds(stopped.id)).map((r) => r.round)).toEqual([0, 1, 2]);
  });

  it('refuses to continue a run that is not stored, or has nothing left to train, and writes nothing', async () => {
    const h = harness();
    h.send({ type: 'start', run: { kind: 'continue', runId: 'nope' }, backend: 'cpu' });
    expect((await h.next((e) => e.type === 'error')).e).toMatchObject({
      message: expect.stringMatching(/no longer in the history/),
    });
    await h.next(isState('failed'));
    h.send({
      type: 'start',
      run: { kind: 'new', config: tiny(10, 0), name: 'finished' },
      backend: 'cpu',
    });
    await h.next(isState('done'));
    const id = of(h, 'runStarted').at(-1)!.runId!;
    h.send({ type: 'start', run: { kind: 'continue', runId: id }, backend: 'cpu' });
    expect((await h.next((e) => e.type === 'error')).e).toMatchObject({
      message: '"finished" has no round left to train',
    });
    expect((await (await h.db).list()).map((r) => [r.name, r.status])).toEqual([
      ['finished', 'done'],
    ]);
  });

  it('an exported ticket, imported and trained, retraces its round of the run it came from', async () => {
    const source = harness();
    source.send({ type: 'start', run: { kind: 'new', config: tiny(20, 2) }, backend: 'cpu' });
    await source.next(isState('done'), 60_000);
    const db = await source.db;
    const id = of(source, 'runStarted')[0]!.runId!;
    const meta = (await db.get(id))!;
    const round2 = (await db.rounds(id))[2]!;
    const file = encodeTicket(
      ticketOfRound({
        config: meta.config,
        result: round2,
        masks: (await db.roundMasks(id, 2))!,
        theta0: (await db.theta0(id))!,
        rewindTo: null,
        createdBy: 'test',
      }),
    );

    const device = harness();
    device.send({
      type: 'start',
      run: {
        kind: 'importedTicket',
        ticket: decodeTicket(file),
        controls: ['reinit', 'rearrange'],
        task: 'mnist',
        name: 'imported',
      },
      backend: 'cpu',
    });
    await device.next(isState('done'), 60_000);
    expect(of(device, 'runStarted')[0]).toMatchObject({ firstRound: 2 });
    const trained = of(device, 'roundCompleted');
    expect(trained.map((e) => e.summary.round)).toEqual([2]);
    // Same backend, same θ0 and data order: the same round, point for point.
    expect(science(trained)).toEqual(science(of(source, 'roundCompleted').slice(2)));
    expect(of(device, 'runSaved').at(-1)!.run).toMatchObject({
      origin: 'ticket',
      name: 'imported',
      firstRound: 2,
      roundsDone: 1,
      status: 'done',
    });

    // On another task (a transfer), the same masks train on other images, and the stored run
    // says where they were found.
    const moved = harness();
    moved.send({
      type: 'start',
      run: {
        kind: 'importedTicket',
        ticket: decodeTicket(file),
        controls: ['reinit'],
        task: 'inverted',
        name: 'moved',
      },
      backend: 'cpu',
    });
    await moved.next(isState('done'), 60_000);
    const [stored] = await (await moved.db).list();
    expect(stored!.config.data.task).toBe('inverted');
    expect(stored!.config.pruning.foundOn).toBe('mnist');
    const [round] = of(moved, 'roundCompleted');
    expect(round!.summary.remaining).toBe(round2.remaining);
    expect(science([round!])).not.toEqual(science(of(source, 'roundCompleted').slice(2)));
  });

  it('a run stopped before its first round completes leaves nothing in the history', async () => {
    const h = harness();
    h.send({ type: 'start', run: { kind: 'new', config: tiny(100_000, 1) }, backend: 'cpu' });
    await h.next((e) => e.type === 'curvePoints');
    h.send({ type: 'stop' });
    await h.next(isState('stopped'));
    expect(await (await h.db).list()).toEqual([]);
  });

  it('a second tab continuing a run the first tab trains is refused, and writes nothing', async () => {
    const factory = new IDBFactory();
    const locks: Locks = new Set();
    const a = harness(factory, locks);
    a.send({
      type: 'start',
      run: { kind: 'new', config: tiny(20, 3) },
      backend: 'cpu',
      pauseAfterRound: true,
    });
    await a.next(isState('paused'), 60_000);
    const id = of(a, 'runStarted')[0]!.runId!;
    const b = harness(factory, locks);
    b.send({ type: 'start', run: { kind: 'continue', runId: id }, backend: 'cpu' });
    expect((await b.next((e) => e.type === 'error')).e).toMatchObject({
      message: 'this run is being trained in another tab',
    });
    await b.next(isState('failed'));
    expect(await (await a.db).get(id)).toMatchObject({ status: 'running', roundsDone: 1 });
    a.send({ type: 'resume' });
    await a.next(isState('done'), 60_000);
    expect(await (await a.db).get(id)).toMatchObject({ status: 'done', roundsDone: 4 });
    expect(locks.size).toBe(0);
  });

  it('a round that cannot be saved holds the run; Resume saves it and goes on', async () => {
    let failures = 1;
    const h = harness(new IDBFactory(), undefined, (db) => async (): Promise<RunStore> => ({
      createRun: (r) => db.createRun(r),
      saveRound: (...args) =>
        failures-- > 0 ? Promise.reject(new Error('QuotaExceededError')) : db.saveRound(...args),
      setStatus: (...args) => db.setStatus(...args),
      trainedOn: (...args) => db.trainedOn(...args),
      delete: (id) => db.delete(id),
      get: (id) => db.get(id),
      trialContinuations: (...args) => db.trialContinuations(...args),
      keptWeights: (id) => db.keptWeights(id),
    }));
    h.send({ type: 'start', run: { kind: 'new', config: tiny(20, 1) }, backend: 'cpu' });
    expect((await h.next((e) => e.type === 'error')).e).toMatchObject({
      message: expect.stringMatching(
        /^round 0 could not be saved to the run history \(QuotaExceededError\): the run holds/,
      ),
    });
    await h.next(
      (e) => e.type === 'state' && e.state === 'paused' && e.detail === 'round 0 not saved',
    );
    h.send({ type: 'resume' });
    await h.next(isState('done'), 60_000);
    const id = of(h, 'runStarted')[0]!.runId!;
    expect((await (await h.db).rounds(id)).map((r) => r.round)).toEqual([0, 1]);
  });

  it('still trains when the history cannot be opened, and says that runs will not be saved', async () => {
    const h = harness();
    // Swap in a history that fails to open, as IndexedDB does in some private windows.
    const failing = new LabHandler({
      post: (e) => h.events.push({ at: 0, e }),
      initBackend: async () => ({
        info: { backend: 'cpu', adapter: 'cpu', reason: 'test' },
        compute: tfCompute,
      }),
      loadData: async () => loadMnistFromDisk(),
      now: () => performance.now(),
      yieldToEvents: () => new Promise((r) => setImmediate(r)),
      openHistory: () => Promise.reject(new Error('blocked')),
    });
    failing.handle({ type: 'start', run: { kind: 'new', config: tiny(10, 0) }, backend: 'cpu' });
    await h.next(isState('done'));
    expect(of(h, 'error')[0]!.message).toBe(
      'runs will not be saved: the run history could not be opened (blocked)',
    );
    expect(of(h, 'runStarted')[0]!.runId).toBeNull();
    expect(of(h, 'roundCompleted')).toHaveLength(1);
  });
});
