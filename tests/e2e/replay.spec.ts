/**
 * Issue 15, "Also seen": a replay shows its own settings and its own time left and ends by
 * itself; examples/s survive a pause; a shared link opens the stored run it describes.
 */
import { type Page, expect, openLab, test } from './fixtures';

/** The whole-run row of the run bar, as a user reads it. */
const runRow = (page: Page) => page.getByTestId('run-progress').locator('xpath=..');

test('a replay shows the replayed run’s settings and its own time left, and ends by itself with Run back', async ({
  page,
}) => {
  // The page's own settings differ from the recorded run's (3,000 iterations, 12 rounds).
  const problems = await openLab(page, '/#iterations=500&rounds=2');
  await expect(page.getByTestId('value-iterations')).toHaveText('500');
  await page.getByTestId('recorded-play').click();
  await expect(page.getByTestId('replay-controls')).toBeVisible();
  // 10×: the recorded run's first seed trained for 6–7 min, so this replay takes about 40 s.
  await page.getByTestId('replay-speed-10').click();
  await expect(page.getByTestId('replayed-settings')).toContainText(
    'Settings of the replayed run “',
  );
  await expect(page.getByTestId('value-iterations')).toHaveText('3,000');
  await expect(page.getByTestId('value-rounds')).toHaveText('12');
  await expect(page.getByTestId('setting-iterations')).toBeDisabled();
  // Its time left is the replay's at 10× (under a minute), never a training estimate (it said
  // "27 min left"), and its rate is the recorded run's, said so.
  await expect(runRow(page)).toContainText(/replay at 10×, \d+ s left/);
  const row = await runRow(page).innerText();
  expect(row).toMatch(/recorded at [\d,]+ examples\/s/);
  expect(row).not.toMatch(/min left|h left/);
  const left = Number(/(\d+) s left/.exec(row)![1]);
  expect(left).toBeLessThanOrEqual(60);

  await page.getByTestId('replay-speed-100').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 90_000,
  });
  // Over by itself: Run is back with no "Stop replay", the figures stay, the page's settings too.
  await expect(page.getByTestId('run')).toBeEnabled();
  await expect(page.getByTestId('replay-controls')).toHaveCount(0);
  await expect(page.getByTestId('round-row')).toHaveCount(1 + 12 * 3);
  await expect(page.getByTestId('replayed-settings')).toHaveCount(0);
  await expect(page.getByTestId('value-iterations')).toHaveText('500');
  await expect(page.getByTestId('setting-iterations')).toBeEnabled();
  expect(problems).toEqual([]);
});

/** The examples/s and the iteration the run bar shows now. */
async function rateShown(page: Page): Promise<{ rate: number; iteration: number }> {
  const text = await page.getByTestId('progress').innerText();
  const rate = /([\d,]+) examples\/s/.exec(text)![1]!;
  const iteration = /iteration ([\d,]+)\//.exec(text)![1]!;
  return { rate: Number(rate.replace(/,/g, '')), iteration: Number(iteration.replace(/,/g, '')) };
}

test('examples/s after Pause and Resume are measured over time spent training, not the pause', async ({
  page,
}) => {
  // One long dense round: the pause falls inside it, whatever this machine's speed.
  const problems = await openLab(
    page,
    '/#rounds=0&iterations=50000&evalEvery=5000&validation=300&test=300&backend=wasm',
  );
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'running', {
    timeout: 120_000,
  });
  // About a second of training, then a pause several times as long: a rate over a window that
  // counts the pause falls far below the rate before it.
  await expect.poll(async () => (await rateShown(page)).iteration).toBeGreaterThan(40);
  const before = await rateShown(page);
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'paused');
  await page.waitForTimeout(8_000);
  await page.getByTestId('resume').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'running');
  const resumedAt = (await rateShown(page)).iteration;
  await expect.poll(async () => (await rateShown(page)).iteration).toBeGreaterThan(resumedAt + 40);
  const after = await rateShown(page);
  console.log(`examples/s before the pause ${before.rate}, after it ${after.rate}`);
  expect(after.rate).toBeGreaterThan(before.rate / 3);
  expect(after.rate).toBeLessThan(before.rate * 3);
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'stopped');
  expect(problems).toEqual([]);
});

test('a shared link opens the stored run with its settings, or none; a link without settings the last run', async ({
  page,
}) => {
  const link = (iterations: number) =>
    `/#iterations=${iterations}&rounds=0&evalEvery=20&validation=200&test=200&backend=wasm`;
  /** Opens `url` as a new page load (a link followed, not an edit of the hash). */
  const follow = async (url: string) => {
    await page.goto('about:blank');
    await openLab(page, url);
  };
  const problems = await openLab(page, link(60));
  for (const url of [link(60), link(80)]) {
    if (url !== link(60)) await follow(url);
    await page.getByTestId('run').click();
    await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
      timeout: 120_000,
    });
  }
  // Curve points of one dense round, evaluated every 20 iterations from 0: 60 → 4, 80 → 5.
  const points = page.getByTestId('figure-accuracy');
  await expect(points).toHaveAttribute('data-points', '5');

  // The link of the older run opens it, not the last one, and says which it opened.
  await follow(link(60));
  await expect(page.getByTestId('notice')).toContainText(
    /Opened the stored run ".+" \(.+\): it has the link's settings\./,
  );
  await expect(points).toHaveAttribute('data-points', '4');
  await expect(page.getByTestId('state')).toContainText('opened');
  await expect(page.getByTestId('value-iterations')).toHaveText('60');

  // Settings no stored run has: nothing opened, the link's settings in the panel.
  await follow(link(100));
  await expect(page.getByTestId('notice')).toContainText(
    "None of the 2 stored runs has the link's settings",
  );
  await expect(page.getByTestId('value-iterations')).toHaveText('100');
  await expect(page.getByTestId('round-row')).toHaveCount(0);
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'idle');

  // No settings in the link: the run last worked on, as before.
  await follow('/#backend=wasm');
  await expect(points).toHaveAttribute('data-points', '5');
  await expect(page.getByTestId('notice')).toHaveCount(0);

  // A reload is not a link: with a slider moved since, the address bar holds settings no stored
  // run has, and the page still reopens the run last worked on.
  await page.getByTestId('setting-rate').fill('0.3');
  await expect.poll(() => new URL(page.url()).hash).toContain('rate=0.3');
  await page.reload();
  await expect(points).toHaveAttribute('data-points', '5');
  await expect(page.getByTestId('notice')).toHaveCount(0);
  await expect(page.getByTestId('value-rate')).toHaveText('30%');
  expect(problems).toEqual([]);
});
