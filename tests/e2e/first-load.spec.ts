/**
 * The first load (issue 17): the build is minified throughout, tfjs-wasm's thread workers
 * included, which run a copy of its emscripten factory that a minifier breaks (vite.config.ts,
 * tfjsWasmThreads). Checked here in the built app.
 */
import { expect, openLab, test } from './fixtures';

test('the minified lab trains on tfjs-wasm with its thread workers', async ({ page }) => {
  const workerErrors: string[] = [];
  page.on('console', (m) => {
    if (/worker sent an error|uncaught exception/i.test(m.text())) workerErrors.push(m.text());
  });
  const binaries: string[] = [];
  page.context().on('request', (r) => {
    if (r.url().endsWith('.wasm')) binaries.push(new URL(r.url()).pathname);
  });
  const problems = await openLab(
    page,
    '/#iterations=60&rounds=1&evalEvery=20&validation=200&test=200&controls=reinit&backend=wasm',
  );
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('backend')).toHaveText(/^wasm · tfjs wasm/);
  // The threaded build was the one started, and its threads (blob: workers, each running the
  // factory's own copy) loaded without an error: emscripten waits for every one before it starts.
  expect(binaries).toContain('/tfjs-wasm/tfjs-backend-wasm-threaded-simd.wasm');
  expect(page.workers().filter((w) => w.url().startsWith('blob:')).length).toBeGreaterThan(0);
  expect(workerErrors).toEqual([]);
  expect(problems).toEqual([]);
});
