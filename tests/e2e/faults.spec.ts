/**
 * Issue 6 in a real browser: faults injected through the test build's hooks (src/testing/),
 * and what the user sees. A crashed or terminated worker, a lost WebGPU device, a backend that
 * will not start and an allocation that fails must each end in words on the page, a fallback
 * or an offer to continue, and no completed round lost.
 */
import type { Fault, TestCommand } from '../../src/testing/protocol';
import { type Page, expect, test } from './fixtures';

const run = (params: string) => `/#${params}&validation=200&test=200`;
/** Rounds long enough to inject a fault in the middle of one (wasm: a few seconds each). */
const WASM = run('iterations=100&rounds=3&evalEvery=50&controls=reinit&backend=wasm');

async function open(page: Page, url: string): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Lottery Ticket Lab' })).toBeVisible();
  return problems;
}

const inject = (page: Page, command: Fault) =>
  page.evaluate((c) => window.__lab!.send(c), { type: 'test', ...command } as TestCommand);
const arm = (page: Page, command: Fault) =>
  page.evaluate((c) => window.__lab!.arm(c), { type: 'test', ...command } as TestCommand);
/**
 * Arms `faults` to fire, in order, the moment round `round` starts in the lab worker: they
 * land in that round however fast this machine trains, with no polling to race it.
 */
const armAtRoundStart = async (page: Page, round: number, ...faults: Fault[]) => {
  for (const fault of faults) await arm(page, { kind: 'atRoundStart', round, fault });
};
/** The armed faults that fired, as [round, kind, injected], in the order they fired. */
const fired = (page: Page) =>
  page.evaluate(() =>
    window
      .__lab!.answers()
      .flatMap((r) => (r.fired ? [[r.fired.round, r.fired.kind, r.ok] as const] : [])),
  );
const roundRows = (page: Page) => page.getByTestId('round-row').allInnerTexts();
const state = (page: Page) => page.getByTestId('state');

for (const fault of [
  'an exception thrown inside the worker',
  'terminate() from outside',
] as const) {
  test(`a worker lost to ${fault}: the page says so, keeps every completed round, and Continue finishes the run`, async ({
    page,
  }) => {
    const problems = await open(page, WASM);
    // As round 2 starts, the run pauses (it cannot complete round 2), so the worker is in round 2
    // when the fault lands, however fast it trains; the crash comes first, then the pause. (A
    // pause, not a hold: a worker blocked in script outlives terminate() by a while in Chromium.)
    const crash = fault === 'terminate() from outside' ? [] : [{ kind: 'crash' } as const];
    await armAtRoundStart(page, 2, ...crash, { kind: 'pause' });
    await page.getByTestId('run').click();
    // Rounds 0 and 1 done (rows: round 0's ticket, round 1's ticket and reinit), round 2 started.
    await expect(page.getByTestId('round-row')).toHaveCount(3, { timeout: 120_000 });
    await expect(page.getByTestId('history-status').first()).toContainText('2 rounds');
    await expect
      .poll(() => fired(page))
      .toEqual([...crash.map(() => [2, 'crash', true]), [2, 'pause', true]]);
    const before = await roundRows(page);

    if (fault === 'terminate() from outside')
      expect(await page.evaluate(() => window.__lab!.terminateWorker())).toBe(true);

    const words =
      fault === 'terminate() from outside'
        ? /The lab's worker stopped \(it ended without a word/
        : /The lab's worker stopped \(it crashed: .*injected fault: an exception nobody caught/;
    await expect(page.getByRole('alert')).toContainText(words);
    await expect(page.getByRole('alert')).toContainText('Nothing computed is lost');
    await expect(state(page)).toHaveAttribute('data-state', 'failed');
    expect(await roundRows(page)).toEqual(before); // what the user computed is still on the page
    const offer = page.getByTestId('interrupted');
    await expect(offer).toContainText(
      'was interrupted after round 1: every completed round is kept',
    );

    await offer.getByTestId('interrupted-continue').click();
    await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
    const after = await roundRows(page);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(7); // rounds 0–3
    await expect(page.getByTestId('history-status').first()).toContainText('done · 4 rounds');
    // Two lab workers started, the dead one and its successor, and the dead one was ended
    // (terminate(): by the lab's client after a crash, or from outside): only the successor lives.
    // (Counted by the hooks: Chromium may list an ended worker for a while, once over 30 s.)
    expect(await page.evaluate(() => window.__lab!.workersStarted())).toBe(2);
    expect(await page.evaluate(() => window.__lab!.workersEnded())).toBe(1);
    expect((await inject(page, { kind: 'memory' })).ok).toBe(true); // the successor answers
    expect(problems).toEqual([]);
  });
}

test('a backend that fails to initialise: the next one takes the run, and the page says so', async ({
  page,
}) => {
  // Before the page loads: its worker starts when the page is idle, and times WebGPU at once.
  await page.addInitScript(() => {
    window.__labArmFirst = [{ type: 'test', kind: 'breakBackend', backend: 'webgpu' }];
  });
  const problems = await open(
    page,
    run('iterations=20&rounds=1&evalEvery=10&controls=reinit&backend=webgpu'),
  );
  await page.getByTestId('run').click();
  // The next in the order after webgpu: the lab's kernels.
  await expect(page.getByTestId('notice')).toContainText(
    'The webgpu backend failed (the WebGPU backend failed to start): the lab switched to simd; the run starts there.',
  );
  await expect(page.getByTestId('backend')).toContainText(/^simd · /);
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('round-row')).toHaveCount(3);
  expect(problems).toEqual([]);
});

test('an allocation that fails mid-round (out of memory): the round trains again on the next backend', async ({
  page,
}) => {
  const problems = await open(
    page,
    run('iterations=40&rounds=1&evalEvery=20&controls=reinit&backend=wasm'),
  );
  // Round 1's first upload (laying out its variants) fails, whatever this machine's speed.
  await armAtRoundStart(page, 1, { kind: 'outOfMemory' });
  await page.getByTestId('run').click();
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText(
    'The wasm backend failed (injected fault: out of memory (an allocation failed)): the lab switched to',
  );
  await expect(notice).toContainText(
    'round 1 trains again from its start, and every completed round is kept',
  );
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  await expect(page.getByTestId('round-row')).toHaveCount(3);
  await expect(page.getByTestId('history-status').first()).toContainText('done · 2 rounds');
  expect(await fired(page)).toEqual([[1, 'outOfMemory', true]]);
  expect(problems).toEqual([]);
});

test('a lost WebGPU device: the lab notices, falls back, says so, and trains the round again from its start', async ({
  page,
}) => {
  const problems = await open(
    page,
    run('iterations=20&rounds=1&evalEvery=10&controls=reinit&backend=webgpu'),
  );
  // Lost as round 1 starts, and the run held there: round 0's row is read before the fallback,
  // however fast the next backend would train round 1 (on simd, a fraction of a second).
  await armAtRoundStart(page, 1, { kind: 'loseDevice' }, { kind: 'pause' });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('backend')).toContainText(/^webgpu · /, { timeout: 60_000 });
  await expect(state(page)).toHaveAttribute('data-state', 'paused', { timeout: 150_000 });
  await expect(page.getByTestId('round-row')).toHaveCount(1);
  const round0 = await roundRows(page);
  // The loss is noticed while the run is held: the round in flight moves to the next backend.
  await expect(page.getByTestId('notice')).toContainText(
    /The webgpu backend failed \(the WebGPU device was lost: destroyed.*\): the lab switched to simd; round 1 trains again from its start/,
    { timeout: 60_000 },
  );
  await expect(page.getByTestId('backend')).toContainText(/^simd · /);
  await expect(state(page)).toHaveAttribute('data-state', 'paused');
  await expect(page.getByTestId('round-row')).toHaveCount(1);
  await page.getByTestId('resume').click();
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  expect(await fired(page)).toEqual([
    [1, 'loseDevice', true],
    [1, 'pause', true],
  ]);
  await expect(page.getByTestId('history-backend').first()).toContainText(/webgpu · .* → simd · /); // where the run trained, in turn
  const rows = await roundRows(page);
  expect(rows).toHaveLength(3);
  expect(rows.slice(0, 1)).toEqual(round0); // round 0, trained on the lost device, is kept as it was
  // Every evaluation of round 1 arrived once, from the attempt that finished: 3 per variant.
  await expect(page.getByTestId('figure-accuracy')).toHaveAttribute('data-points', String(3 * 3));
  const memory = (await inject(page, { kind: 'memory' })).memory!;
  expect(memory.now.numTensors).toBe(0); // nothing of the abandoned attempt is left behind
  expect(problems).toEqual([]);
});

test('a kernel thread ended from outside: the lab notices, falls back to tfjs, says so, and trains the round again', async ({
  page,
}) => {
  // A short round: the kernels notice a helper that is gone at every evaluation's roll call, so
  // at the latest when the round ends, however fast this machine trains it (on tfjs-wasm, where
  // it then trains again, it takes a few seconds).
  const problems = await open(
    page,
    run('iterations=300&rounds=1&evalEvery=100&controls=reinit&backend=simd'),
  );
  test.skip(
    (await page.evaluate(() => navigator.hardwareConcurrency)) < 2,
    'one core: the kernels run on one thread, with no helper to lose',
  );
  // Ended as round 1 starts. Chromium ends a worker that is running script (a helper always is)
  // only ~2 s after terminate(), so the run pauses there until the helper is really gone: round 1
  // then trains every step and evaluation without it, however short it is.
  await armAtRoundStart(page, 1, { kind: 'killKernelThread' }, { kind: 'pause' });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('backend')).toContainText(/^simd · .* threads/, {
    timeout: 60_000,
  });
  await expect(state(page)).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  await expect
    .poll(() => page.workers().filter((w) => w.url().includes('kernel-thread')))
    .toEqual([]);
  expect(await fired(page)).toEqual([
    [1, 'killKernelThread', true],
    [1, 'pause', true],
  ]);
  await page.getByTestId('resume').click();
  // A thread ended from outside sends no error: the one left takes every unit, and the dead one
  // gives itself away at the next roll call, which it cannot answer (5 s).
  await expect(page.getByTestId('notice')).toContainText(
    /The simd backend failed \(a kernel thread stopped answering.*\): the lab switched to wasm; round 1 trains again from its start/,
    { timeout: 30_000 },
  );
  // Round 0 completed before the fault: its row is there, and stays as it is.
  const round0 = (await roundRows(page)).slice(0, 1);
  expect(round0).toHaveLength(1);
  await expect(page.getByTestId('backend')).toContainText(/^wasm · /);
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  const rows = await roundRows(page);
  expect(rows).toHaveLength(3);
  expect(rows.slice(0, 1)).toEqual(round0);
  // The lost kernels were dropped (their threads ended), so nothing of them is held.
  expect((await inject(page, { kind: 'memory' })).memory!.now.kernelHeapBytes).toBeNull();
  expect(page.workers().filter((w) => w.url().includes('kernel-thread'))).toHaveLength(0);
  expect(problems).toEqual([]);
});
