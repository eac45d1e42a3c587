/**
 * The first load (issue 17): the build is minified throughout, and what the first screen does not
 * need arrives on demand. Two things could silently undo that: tfjs-wasm's thread workers, which
 * run a copy of its emscripten factory that a minifier breaks (vite.config.ts,
 * tfjsWasmThreads), and an eager import that pulls recharts or a GPU backend back into the
 * first load. Both are checked here in the built app, as a first visit meets it.
 */
import type { Page, Response } from '@playwright/test';
import { expect, openLab, test } from './fixtures';

/**
 * Strings that only live in code the first screen must not fetch: recharts' class names (the one
 * recharts chart, the history overlay) and the GPU backends' flags (loaded when one starts).
 */
const LATER = {
  recharts: 'recharts-cartesian-grid',
  'tfjs webgl backend': 'WEBGL_VERSION',
  'tfjs webgpu backend': 'WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE',
};

/** Every script the page and its workers fetch, with its text. */
function collectScripts(page: Page): Map<string, Promise<string>> {
  const scripts = new Map<string, Promise<string>>();
  const keep = (response: Response) => {
    if (new URL(response.url()).pathname.endsWith('.js'))
      scripts.set(response.url(), response.text());
  };
  page.context().on('response', keep);
  return scripts;
}

async function laterCodeIn(scripts: Map<string, Promise<string>>): Promise<string[]> {
  const found: string[] = [];
  for (const [url, text] of scripts)
    for (const [what, marker] of Object.entries(LATER))
      if ((await text).includes(marker)) found.push(`${what} in ${new URL(url).pathname}`);
  return found;
}

test('a first visit fetches neither recharts nor a GPU backend, even once the worker has started', async ({
  page,
}) => {
  const scripts = collectScripts(page);
  const problems = await openLab(page, '/');
  await expect(page.getByTestId('run')).toBeEnabled();
  // The worker starts once the page is idle, to measure this device before Run (issue 15); its
  // measurement on auto starts the candidates it tries (a software GPU is none).
  await expect
    .poll(() => [...scripts.keys()].some((url) => /\/lab\.worker-[\w-]+\.js$/.test(url)), {
      timeout: 60_000,
    })
    .toBe(true);
  // Measured: the estimate before Run says so (the backends it started have been fetched).
  await expect(page.getByTestId('planned-time')).toContainText('on this device', {
    timeout: 120_000,
  });
  expect(scripts.size, 'the page and its worker fetched scripts').toBeGreaterThan(1);
  expect(await laterCodeIn(scripts)).toEqual([]);
  expect(problems).toEqual([]);
});

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
