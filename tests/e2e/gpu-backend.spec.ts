/**
 * The lab's own WebGPU step as the lab runs it (issue 17): chosen as the `gpu` backend, it trains
 * a run in the worker on real MNIST; when its device is lost or runs out of memory the run moves
 * to tfjs's webgpu (the next in the fallback order), says so, and trains the round again. On
 * SwiftShader here.
 */
import type { Fault, TestCommand } from '../../src/testing/protocol';
import { type Page, expect, test } from './fixtures';

const TINY = '/#iterations=20&rounds=1&evalEvery=10&validation=200&test=200&controls=reinit';

async function open(page: Page, url: string): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Lottery Ticket Lab' })).toBeVisible();
  return problems;
}

/** Arms `faults` to fire, in order, the moment round `round` starts in the lab worker. */
const armAtRoundStart = async (page: Page, round: number, ...faults: Fault[]) => {
  for (const fault of faults)
    await page.evaluate((c) => window.__lab!.arm(c), {
      type: 'test',
      kind: 'atRoundStart',
      round,
      fault,
    } as TestCommand);
};
const state = (page: Page) => page.getByTestId('state');

test("trains a run on the lab's own WebGPU step, and says where it ran", async ({ page }) => {
  const problems = await open(page, `${TINY}&backend=gpu`);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('backend')).toContainText(/^gpu · the lab's WGSL on \S/, {
    timeout: 60_000,
  });
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  // Round 0 (the ticket) and round 1 (ticket + reinit), 3 curve points each, far above chance.
  await expect(page.getByTestId('figure-accuracy')).toHaveAttribute('data-points', String(3 * 3));
  const rows = page.getByTestId('round-row');
  await expect(rows).toHaveCount(3);
  for (const a of await rows.locator('td:nth-child(5)').allTextContents())
    expect(parseFloat(a)).toBeGreaterThan(30);
  await expect(rows.nth(1)).toContainText('80.0%');
  expect(problems).toEqual([]);
});

/**
 * Arms `fault` at round 1 of a run on the GPU step, and checks the round moves to tfjs's webgpu
 * with the notice saying why (`why`), then finishes there.
 */
async function fallsBackToWebgpu(page: Page, fault: Fault, why: string) {
  const problems = await open(page, `${TINY}&backend=gpu`);
  await armAtRoundStart(page, 1, fault, { kind: 'pause' });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('backend')).toContainText(/^gpu · /, { timeout: 60_000 });
  await expect(page.getByTestId('notice')).toContainText(
    new RegExp(
      `The gpu backend failed \\(${why}\\): the lab switched to webgpu; round 1 trains again from its start`,
    ),
    { timeout: 150_000 },
  );
  await expect(page.getByTestId('backend')).toContainText(/^webgpu · /);
  await page.getByTestId('resume').click();
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  await expect(page.getByTestId('round-row')).toHaveCount(3);
  await expect(page.getByTestId('history-backend').first()).toContainText(/gpu · .* → webgpu · /);
  expect(problems).toEqual([]);
}

test("a lost device on the GPU step: the run moves to tfjs's webgpu, says so, and trains the round again", async ({
  page,
}) => fallsBackToWebgpu(page, { kind: 'loseDevice' }, 'the WebGPU device was lost: destroyed.*'));

test('out of memory on the GPU step (an uncaptured GPUOutOfMemoryError): the same, and the notice says so', async ({
  page,
}) =>
  fallsBackToWebgpu(
    page,
    { kind: 'outOfMemory' },
    'the GPU ran out of memory: injected fault: a buffer could not be allocated',
  ));
