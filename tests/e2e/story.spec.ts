/**
 * Story mode (issue 15): opened by its link on a finished run, stepped with the arrows and a
 * clicker's PageUp/PageDown, closed with Escape; one figure beside its narration at 1280×720 and
 * 1920×1080, with nothing overlapping and no horizontal scroll.
 */
import { expect, openLab, test, type Page } from './fixtures';

const TINY =
  '#rounds=2&iterations=60&evalEvery=10&validation=300&test=300&controls=reinit,rearrange&backend=wasm';
const SHOTS = process.env.SCREENSHOTS_DIR ?? 'test-results';

const counter = (page: Page) => page.getByTestId('story-counter');
const title = (page: Page) => page.getByTestId('story-narration').getByRole('heading');

/** Figure and narration side by side, inside the window, and no page wider than the window. */
async function expectLaidOut(page: Page, width: number, height: number) {
  await page.setViewportSize({ width, height });
  const figure = (await page.getByTestId('story-figure').boundingBox())!;
  const text = (await page.getByTestId('story-text').boundingBox())!;
  expect(figure.x + figure.width, 'figure ends before the narration').toBeLessThanOrEqual(text.x);
  expect(text.x + text.width).toBeLessThanOrEqual(width);
  expect(figure.height, 'the figure fills the screen').toBeGreaterThan(height * 0.5);
  expect(figure.width).toBeGreaterThan(width * 0.5);
  const scroll = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    story: document.querySelector('[data-testid="story"]')!.scrollWidth,
  }));
  expect(scroll.page).toBeLessThanOrEqual(width);
  expect(scroll.story).toBeLessThanOrEqual(width);
  // The chart itself stays within its column.
  const chart = (await page.getByTestId('story-figure').locator('svg').first().boundingBox())!;
  expect(chart.x + chart.width).toBeLessThanOrEqual(text.x);
  expect(chart.y + chart.height).toBeLessThanOrEqual(height);
}

test('story mode steps through a finished run with the arrows and a clicker, and Escape closes it', async ({
  page,
}) => {
  const problems = await openLab(page, `/${TINY}`);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000,
  });

  // The link opens the story, with the keys in it.
  await page.evaluate(() => (window.location.hash += '&story=1'));
  const story = page.getByRole('dialog', { name: 'The dense net' });
  await expect(story).toBeVisible();
  await expect(story).toBeFocused();
  const steps = Number((await counter(page).textContent())!.match(/^Step 1 of (\d+)$/)![1]);
  // Dense, first prune, reset, round 2, controls, early stop, survivors, masks: all 2 rounds hold.
  expect(steps).toBe(8);
  const narration = page.getByTestId('story-narration');
  const dense = await narration.textContent();
  expect(dense).toMatch(/reaches \d+\.\d\d% at its early stop, iteration \d+/);

  await page.keyboard.press('ArrowRight');
  await expect(counter(page)).toHaveText(`Step 2 of ${steps}`);
  await expect(title(page)).toHaveText(/^The first prune: \d+\.\d% of the weights remain$/);
  await expect(narration).not.toHaveText(dense!);
  await page.keyboard.press('PageDown');
  await expect(counter(page)).toHaveText(`Step 3 of ${steps}`);
  await expect(title(page)).toHaveText('The reset to θ0');
  // One seed: a difference is never told apart from seed noise.
  await expect(narration).toContainText('seed noise');
  await page.keyboard.press('ArrowLeft');
  await expect(counter(page)).toHaveText(`Step 2 of ${steps}`);
  await page.keyboard.press('PageUp');
  await expect(counter(page)).toHaveText(`Step 1 of ${steps}`);
  await expect(narration).toHaveText(dense!);
  await page.keyboard.press('PageUp'); // the first step stays the first
  await expect(counter(page)).toHaveText(`Step 1 of ${steps}`);
  await page.keyboard.press('End');
  await expect(counter(page)).toHaveText(`Step ${steps} of ${steps}`);
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done'); // no run started

  await expectLaidOut(page, 1280, 720);
  await page.screenshot({ path: `${SHOTS}/story-tiny-run-1280x720.png` });
  await expectLaidOut(page, 1920, 1080);
  await page.screenshot({ path: `${SHOTS}/story-tiny-run-1920x1080.png` });
  await page.setViewportSize({ width: 1280, height: 720 });

  // The buttons, with a mouse: the keys still step after a click.
  await page.keyboard.press('Home');
  await page.getByTestId('story-next').click();
  await expect(counter(page)).toHaveText(`Step 2 of ${steps}`);
  await page.keyboard.press('ArrowRight');
  await expect(counter(page)).toHaveText(`Step 3 of ${steps}`);

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('story')).toHaveCount(0);
  await expect(page.getByTestId('story-toggle')).toBeFocused();
  expect(await page.evaluate(() => window.location.hash)).not.toContain('story');
  // Reopened from the header, it comes back at the same step.
  await page.getByTestId('story-toggle').click();
  await expect(counter(page)).toHaveText(`Step 3 of ${steps}`);
  await page.getByTestId('story-close').click();
  await expect(page.getByTestId('story')).toHaveCount(0);
  expect(problems).toEqual([]);
});
