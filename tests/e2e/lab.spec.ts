/**
 * The whole vertical slice in a real browser: the page starts the worker, the worker loads real
 * MNIST from the app's origin, trains on a real backend (tfjs's or the lab's kernels) and streams
 * curves and round results back to the page.
 */
import { type Page, expect, test } from './fixtures';
import { initialParams } from '../../src/engine/init';
import { fingerprint } from '../../src/engine/rng';

/** θ0 of LeNet-300-100 with seed 0 as Node draws it: the browser must draw the same bits. */
const NODE_THETA0 = fingerprint(initialParams([784, 300, 100, 10], 0).weights);

/** Every request is held to the app's origin by the guard every test runs under (fixtures.ts). */
async function openLab(page: Page, url = '/') {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Lottery Ticket Lab' })).toBeVisible();
  return { problems };
}

/**
 * A tiny experiment (2 rounds of a few iterations, small evaluation sets), set up through the URL
 * hash.
 */
async function openTiny(page: Page, backend: string, iterations = 20) {
  const watch = await openLab(
    page,
    `/#iterations=${iterations}&rounds=1&evalEvery=10&validation=200&test=200&controls=reinit&backend=${backend}`,
  );
  await expect(page.getByTestId('value-iterations')).toHaveText(iterations.toLocaleString('en-US'));
  return watch;
}

for (const backend of ['webgpu', 'auto'] as const) {
  test(`runs a tiny experiment in the worker on ${backend === 'auto' ? 'the auto fallback' : backend}`, async ({
    page,
  }) => {
    const { problems } = await openTiny(page, backend);
    await page.getByTestId('run').click();

    const badge = page.getByTestId('backend');
    if (backend === 'webgpu') {
      await expect(badge).toContainText(/^webgpu · \S/);
    } else {
      // auto measures the candidates and keeps the fastest; a software adapter is no candidate
      // (headless Chromium without a GPU offers only SwiftShader).
      await expect(badge).toContainText(/^(gpu|webgpu|simd|wasm|webgl|cpu) · /);
      const reason = (await page.locator('.reason').textContent()) ?? '';
      const chosen = (await badge.textContent())!.split(' · ')[0];
      const rates =
        /fastest measured here: ([^(]+) examples\/s/.exec(reason)?.[1]?.split(', ') ?? [];
      expect(rates.length, reason).toBeGreaterThanOrEqual(2);
      expect(rates[0]).toMatch(new RegExp(`^${chosen} \\d+\\.\\dk$`));
      if (/WebGPU adapter is .*software fallback/.test(reason))
        expect(rates.some((r) => /^(gpu|webgpu) /.test(r))).toBe(false);
      // The lab's kernels take a thread per core (up to 4) on an isolated page.
      const cores = await page.evaluate(() =>
        self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency) : 1,
      );
      if (chosen === 'simd')
        await expect(badge).toContainText(cores > 1 ? `${cores} threads` : 'one thread');
    }
    await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
      timeout: 150_000,
    });

    // Curve points reached the page: round 0 (ticket) and round 1 (ticket + reinit), 3 points each.
    await expect(page.getByTestId('figure-accuracy')).toHaveAttribute('data-points', String(3 * 3));
    // Round results: one row per variant per round, with accuracies far above chance.
    const rows = page.getByTestId('round-row');
    await expect(rows).toHaveCount(3);
    const accuracies = await rows.locator('td:nth-child(5)').allTextContents();
    for (const a of accuracies) expect(parseFloat(a)).toBeGreaterThan(30);
    await expect(rows.nth(1)).toContainText('80.0%');
    // θ0 is bit-identical to Node's draw, and survives the round trip through the backend.
    await expect(page.getByTitle(/θ0 fingerprint/)).toHaveText(`θ0 ${NODE_THETA0}`);

    expect(problems).toEqual([]);
    if (backend === 'auto') {
      // The verdict is cached: a new worker (a reload) starts the same backend without measuring.
      await page.reload();
      await page.getByTestId('run').click();
      await expect(page.locator('.reason')).toContainText('measured on this device earlier');
      await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
        timeout: 150_000,
      });
    }
  });
}

test('pause holds, resume continues, stop ends the run', async ({ page }) => {
  await openTiny(page, 'wasm', 2000);
  await page.getByTestId('run').click();
  const state = page.getByTestId('state');
  await expect(state).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await expect(page.getByTestId('progress')).toBeVisible();
  // Cross-origin isolated, so tfjs-wasm may start its threaded build; the badge says how many
  // threads XNNPACK reports (tfjs 4.22 reports one here even when asked for two).
  expect(
    await page.evaluate(() => self.crossOriginIsolated),
    'the lab must be cross-origin isolated',
  ).toBe(true);
  await expect(page.getByTestId('backend')).toHaveText(
    /^wasm · tfjs wasm, (single thread|\d+ threads)$/,
  );

  const pausedAt = Date.now();
  await page.getByTestId('pause').click();
  await expect(state).toHaveAttribute('data-state', 'paused');
  expect(Date.now() - pausedAt).toBeLessThan(1000);
  const held = await page.getByTestId('progress').textContent();
  await page.waitForTimeout(800);
  await expect(page.getByTestId('progress')).toHaveText(held!);

  await page.getByTestId('resume').click();
  await expect(state).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('progress')).not.toHaveText(held!);

  const stoppedAt = Date.now();
  await page.getByTestId('stop').click();
  await expect(state).toHaveAttribute('data-state', 'stopped');
  expect(Date.now() - stoppedAt).toBeLessThan(1000);
  await expect(page.getByTestId('run')).toBeEnabled();
});

test('step runs one round and pauses', async ({ page }) => {
  await openTiny(page, 'wasm');
  await page.getByTestId('step').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'paused', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('round-row')).toHaveCount(1);
  await page.getByTestId('step').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('round-row')).toHaveCount(3);
});
