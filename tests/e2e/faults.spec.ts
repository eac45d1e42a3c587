/**
 * Issue 6 in a real browser: faults injected through the test build's hooks (src/testing/),
 * and what the user sees. A crashed or terminated worker, a lost WebGPU device, a backend that
 * will not start and an allocation that fails must each end in words on the page, a fallback
 * or an offer to continue, and no completed round lost.
 */
import type { Fault, TestCommand, TestReply } from '../../src/testing/protocol';
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
    await page.getByTestId('run').click();
    // Rounds 0 and 1 done (rows: round 0's ticket, round 1's ticket and reinit), round 2 training.
    await expect(page.getByTestId('round-row')).toHaveCount(3, { timeout: 120_000 });
    await expect(page.getByTestId('history-status').first()).toContainText('2 rounds');
    await expect(page.getByTestId('progress')).toContainText('round 2');
    const before = await roundRows(page);

    if (fault === 'terminate() from outside')
      expect(await page.evaluate(() => window.__lab!.terminateWorker())).toBe(true);
    else expect(await inject(page, { kind: 'crash' })).toMatchObject({ ok: true });

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
    expect(await page.evaluate(() => window.__lab!.workersStarted())).toBe(2); // the dead one and its successor
    expect(page.workers().filter((w) => !w.url().startsWith('blob:'))).toHaveLength(1); // only the successor lives
    expect(problems).toEqual([]);
  });
}

test('a backend that fails to initialise: the next one takes the run, and the page says so', async ({
  page,
}) => {
  const problems = await open(
    page,
    run('iterations=20&rounds=1&evalEvery=10&controls=reinit&backend=webgpu'),
  );
  await arm(page, { kind: 'breakBackend', backend: 'webgpu' });
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
  await page.getByTestId('run').click();
  await expect(page.getByTestId('round-row')).toHaveCount(1, { timeout: 120_000 });
  await expect(page.getByTestId('progress')).toContainText('round 1');
  expect(await inject(page, { kind: 'outOfMemory' })).toMatchObject({ ok: true });
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
  expect(problems).toEqual([]);
});

test('a lost WebGPU device: the lab notices, falls back, says so, and trains the round again from its start', async ({
  page,
}) => {
  const problems = await open(
    page,
    run('iterations=20&rounds=1&evalEvery=10&controls=reinit&backend=webgpu'),
  );
  await page.getByTestId('run').click();
  await expect(page.getByTestId('backend')).toContainText(/^webgpu · /, { timeout: 60_000 });
  await expect(page.getByTestId('round-row')).toHaveCount(1, { timeout: 150_000 });
  const round0 = await roundRows(page);
  await expect(page.getByTestId('progress')).toContainText('round 1');
  const lost: TestReply = await inject(page, { kind: 'loseDevice' });
  expect(lost).toMatchObject({ ok: true });
  await expect(page.getByTestId('notice')).toContainText(
    /The webgpu backend failed \(the WebGPU device was lost: destroyed.*\): the lab switched to simd; round 1 trains again from its start/,
  );
  await expect(page.getByTestId('backend')).toContainText(/^simd · /);
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
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
  // Round 1 must outlast the 2 s in which a silent thread gives itself away (~6 s on the one
  // thread left); on tfjs-wasm, where it then trains again, it takes about half a minute.
  const problems = await open(
    page,
    run('iterations=1000&rounds=1&evalEvery=250&controls=reinit&backend=simd'),
  );
  test.skip(
    (await page.evaluate(() => navigator.hardwareConcurrency)) < 2,
    'one core: the kernels run on one thread, with no helper to lose',
  );
  await page.getByTestId('run').click();
  await expect(page.getByTestId('backend')).toContainText(/^simd · .* threads/, {
    timeout: 60_000,
  });
  await expect(page.getByTestId('round-row')).toHaveCount(1, { timeout: 120_000 });
  const round0 = await roundRows(page);
  await expect(page.getByTestId('progress')).toContainText('round 1');
  expect(await inject(page, { kind: 'killKernelThread' })).toMatchObject({ ok: true });
  // A thread ended from outside sends no error: the one left takes every unit, and the dead one,
  // seeing no job for 2 s, gives itself away.
  await expect(page.getByTestId('notice')).toContainText(
    /The simd backend failed \(a kernel thread stopped answering.*\): the lab switched to wasm; round 1 trains again from its start/,
    { timeout: 30_000 },
  );
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
