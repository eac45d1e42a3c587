/**
 * Issue 14 in a real browser: a run of several seeds on the Quick look's settings draws every
 * seed, their mean and a ±1 sd band against P_m, and a verdict in pp that counts the seeds; a
 * reload in the middle of the run loses no seed's completed round and the run continues.
 */
import { type Page, expect, openLab, test } from './fixtures';

/** The Quick look preset's settings (src/settings/presets.ts), with 3 seeds and 2 pruned rounds. */
const QUICK_3_SEEDS =
  '/#rounds=2&iterations=250&evalEvery=50&validation=1000&test=1000&controls=reinit&trials=3&backend=simd';

/** Every seed's dot in the figure against P_m: seeds × points per variant's line. */
const seedDots = (page: Page) => page.getByTestId('figure-accuracy-pm').getByTestId('stream-seed');

test('three seeds on the Quick look: bands, every seed, a verdict over seeds; a reload mid-run continues', async ({
  page,
}) => {
  const problems = await openLab(page, QUICK_3_SEEDS);
  await expect(page.getByTestId('setting-trials')).toHaveValue('3');
  // Held as round 2 starts (a test hook): rounds 0 and 1 of every seed completed and stored.
  await page.evaluate(() =>
    window.__lab!.arm({ type: 'test', kind: 'atRoundStart', round: 2, fault: { kind: 'pause' } }),
  );
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'paused', {
    timeout: 180_000,
  });
  // Rounds 0 and 1: 3 seeds' dots at each of the ticket's 2 points and at reinit's 1 (its line
  // starts at the dense net, the ticket's point), and a band per variant.
  const figure = page.getByTestId('figure-accuracy-pm');
  await expect(figure.getByTestId('spread-key')).toHaveText(
    'line: mean of 3 seeds · band: ±1 sd · dots: each seed',
  );
  await expect(seedDots(page)).toHaveCount(3 * (2 + 1));
  await expect(figure.getByTestId('stream-band')).toHaveCount(2);
  const verdict = page.getByTestId('compare-verdict');
  await expect(verdict).toContainText(
    /^At 80\.\d% of weights \(round 1, the latest every seed has finished with random reinit\): /,
  );
  await expect(verdict).toContainText(/\d\.\d pp/);
  await expect(verdict).toContainText(/3 seeds|of 3 seeds/);
  await expect(verdict).not.toContainText(/by [\d.]+%/);
  await expect(page.getByTestId('compare-numbers')).toContainText('mean ± sd over 3 seeds');
  await expect(page.getByTestId('comparison').getByTestId('stream-band')).toHaveCount(2);
  await expect(page.getByTestId('seed-shown').first()).toContainText(
    'Trial 0 of trials 0–2 (seed 0)',
  );
  const before = await seedDots(page).evaluateAll((dots) =>
    dots.map((d) => d.querySelector('title')?.textContent),
  );

  // A reload while round 2 is in flight: the worker goes with the page.
  await page.reload();
  const offer = page.getByTestId('interrupted');
  await expect(offer).toContainText('was interrupted after round 1');
  await offer.getByTestId('interrupted-continue').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 180_000,
  });
  // Round 2 of every seed joined rounds 0 and 1, which are as they were.
  await expect(seedDots(page)).toHaveCount(3 * (3 + 2));
  const after = await seedDots(page).evaluateAll((dots) =>
    dots.map((d) => d.querySelector('title')?.textContent),
  );
  // Every dot of rounds 0 and 1 is still there, as many times as before (seeds may tie).
  const count = (xs: (string | null | undefined)[]) =>
    xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<unknown, number>());
  const was = count(before);
  const now = count(after);
  for (const [dot, n] of was) expect(now.get(dot) ?? 0).toBeGreaterThanOrEqual(n);
  await expect(verdict).toContainText(
    /^At 64\.\d% of weights \(round 2, the latest every seed has finished with random reinit\): /,
  );
  await expect(page.getByTestId('history-status').first()).toContainText('done · 3 rounds');
  expect(problems).toEqual([]);
});
