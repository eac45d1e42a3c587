/**
 * The instant supermask slider (issue 16) in a real browser on the lab's SIMD kernels: a tiny
 * run trains, the slider is dragged with the keyboard, both accuracies change, and at P_m 100%
 * they equal numbers shown elsewhere (the rounds table, figure 1's data table).
 */
import { type Page, expect, test } from './fixtures';

/** One pruned round, every one of MNIST's 10,000 test digits: the slider's own test set. */
const TINY =
  '#rounds=1&iterations=60&evalEvery=30&validation=300&test=10000&controls=reinit&backend=simd';

interface Readout {
  pm: string;
  supermask: string;
  pruned: string;
  ms: number;
}

async function readout(page: Page, pm: string): Promise<Readout> {
  const r = page.getByTestId('supermask-readout');
  await expect(r).toContainText(`At P_m ${pm}:`, { timeout: 20_000 });
  await expect(r).not.toContainText('Computing');
  // The test set's first 2,000 digits answer first while the slider may move; then all 10,000.
  await expect(r).toContainText('of 10,000 test digits', { timeout: 20_000 });
  const text = (await r.textContent())!;
  const [, supermask, pruned] = text.match(
    /classifies ([\d.]+%) of 10,000 test digits.*not retrained, ([\d.]+%)/,
  )!;
  return {
    pm,
    supermask: supermask!,
    pruned: pruned!,
    ms: Number(await r.getAttribute('data-ms')),
  };
}

test('the supermask slider answers both accuracies; at 100% they are the dense net’s own', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`/${TINY}`);
  const figure = page.getByTestId('figure-supermask');
  await expect(figure.getByTestId('supermask-none')).toContainText('no run has trained');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 180_000,
  });

  const slider = figure.getByTestId('supermask-pm');
  await slider.focus();
  await page.keyboard.press('Home');
  const low = await readout(page, '2.0%');
  await page.keyboard.press('End');
  const full = await readout(page, '100.0%');
  expect(low.supermask).not.toBe(full.supermask);
  expect(low.pruned).not.toBe(full.pruned);

  // At 100% the mask keeps everything: the pruned net is the dense net as trained (the rounds
  // table's final test accuracy of round 0) and the supermask is θ0 (figure 1 at iteration 0).
  const dense = page
    .getByTestId('round-row')
    .filter({ has: page.locator('td', { hasText: /^0$/ }) });
  await expect(dense.locator('td').nth(5)).toHaveText(full.pruned);
  const fig1 = page.getByTestId('figure-accuracy').getByTestId('stream-table');
  await fig1.locator('summary').click();
  const headers = await fig1.locator('thead th').allTextContents();
  const col = headers.findIndex((h) => h.startsWith('100.0%'));
  expect(col).toBeGreaterThan(0);
  const row0 = fig1.locator('tbody tr').filter({ has: page.locator('th', { hasText: /^0$/ }) });
  await expect(row0.locator('th, td').nth(col)).toHaveText(full.supermask);
  await expect(figure.getByTestId('supermask-signs')).toContainText('At P_m 100% the mask keeps');

  // A fast drag: twenty steps at once; the latest value is answered next, not the oldest first.
  await slider.focus();
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
  const dragged = (await figure.getByTestId('supermask-pm-value').textContent())!;
  await expect(page.getByTestId('supermask-readout')).toContainText(`At P_m ${dragged}:`, {
    timeout: 5_000,
  });

  // Arrow keys, one answer at a time: the evaluation's time on these kernels. Every answer the
  // readout shows is recorded as it lands: the preview (first 2,000 digits) and the whole set.
  await page.getByTestId('supermask-readout').evaluate((el) => {
    const seen: { preview: string | null; ms: string | null }[] = [];
    (window as unknown as { seen: typeof seen }).seen = seen;
    new MutationObserver(() =>
      seen.push({ preview: el.getAttribute('data-preview'), ms: el.getAttribute('data-ms') }),
    ).observe(el, { attributes: true, attributeFilter: ['data-ms'] });
  });
  const times: number[] = [];
  const pms: string[] = [];
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('ArrowLeft');
    const pm = (await figure.getByTestId('supermask-pm-value').textContent())!;
    expect(pm).not.toBe(dragged);
    pms.push(pm);
    times.push((await readout(page, pm)).ms);
  }
  times.sort((a, b) => a - b);
  console.log(
    `supermask evaluations (2 × 10,000 test images after the preview, P_m ${pms[0]} down to ${pms[14]}): median ${times[7]!.toFixed(0)} ms of ${times.map((t) => t.toFixed(0)).join(', ')}`,
  );
  const seen = await page.evaluate(
    () => (window as unknown as { seen: { preview: string | null; ms: string | null }[] }).seen,
  );
  const previews = seen.filter((x) => x.preview === 'true').map((x) => Number(x.ms));
  previews.sort((a, b) => a - b);
  console.log(
    `supermask previews (2 × 2,000 test images): ${previews.length} seen, median ${previews[Math.floor(previews.length / 2)]?.toFixed(0)} ms of ${previews.map((t) => t.toFixed(0)).join(', ')}`,
  );
  expect(previews.length).toBeGreaterThan(0);
  expect(new Set(times).size).toBeGreaterThan(1);
  await expect(figure.getByTestId('supermask-signs')).toContainText('kept their initial sign');
  expect(errors).toEqual([]);
});

test('dragging the slider mid-run leaves the run’s numbers as they are without it', async ({
  page,
}) => {
  const LIVE =
    '#rounds=2&iterations=400&evalEvery=100&validation=300&test=2000&controls=reinit&backend=simd';
  const table = () =>
    page.getByTestId('round-row').evaluateAll((trs) => trs.map((tr) => tr.textContent));
  const runToEnd = () =>
    expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`/${LIVE}`);
  await page.getByTestId('run').click();
  await runToEnd();
  const alone = await table();
  expect(alone).toHaveLength(5);

  await page.getByTestId('run').click();
  // The last run's slider goes as the new run starts, and comes back with its dense round.
  await expect(page.getByTestId('supermask-wait')).toBeVisible({ timeout: 30_000 });
  const slider = page.getByTestId('figure-supermask').getByTestId('supermask-pm');
  await expect(slider).toBeVisible({ timeout: 60_000 });
  await slider.focus();
  const readout = page.getByTestId('supermask-readout');
  let midRun = 0;
  while ((await page.getByTestId('state').getAttribute('data-state')) === 'running') {
    await page.keyboard.press('ArrowLeft');
    if (/between two rounds|waits for the round in flight/.test((await readout.textContent())!))
      midRun++;
    await page.waitForTimeout(150);
  }
  await runToEnd();
  expect(midRun).toBeGreaterThan(0);
  expect(await table()).toEqual(alone);
});
