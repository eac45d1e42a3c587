/**
 * Issue 15: before Run, the lab says how long a run would take on this device (from a short
 * measurement of its speed, before any run); a run estimated over 10 minutes asks first; the
 * wide-range settings take an exact value typed beside their slider.
 */
import { type Page, expect, test } from './fixtures';

/** "≈ 3 h 40 min on this device (simd, measured: …)": hours, or minutes. */
const ON_THIS_DEVICE = /^≈ (\d+ h( \d+ min)?|\d+ min|\d+ s) on this device \(\w+, measured: /;

async function estimateShown(page: Page): Promise<string> {
  const time = page.getByTestId('planned-time');
  await expect(time).toHaveText(ON_THIS_DEVICE);
  return (await time.textContent())!;
}

test('the Paper preset shows an estimate before any run, and Run asks before starting it', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByTestId('preset-paper').click();
  const words = await estimateShown(page);
  // Five seeds of 13 rounds of 50,000 iterations: hours on any machine these tests run on.
  expect(words).toMatch(/^≈ \d+ h/);
  const state = page.getByTestId('state');
  await expect(state).toHaveAttribute('data-state', 'idle');

  const dialog = page.getByTestId('run-confirm');
  await page.getByTestId('run').click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`estimated to take about ${words.split(' on ')[0]!.slice(2)}`);
  // Focus is in the question (on the dialog itself), and Cancel starts nothing.
  await expect(dialog).toBeFocused();
  await page.getByTestId('run-confirm-cancel').click();
  await expect(dialog).toHaveCount(0);
  await page.waitForTimeout(500);
  await expect(state).toHaveAttribute('data-state', 'idle');

  // The lab's space key asks too, and Escape cancels.
  await page.locator('#lab').focus();
  await page.keyboard.press(' ');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await page.waitForTimeout(500);
  await expect(state).toHaveAttribute('data-state', 'idle');

  // Run, answered Run, starts it.
  await page.getByTestId('run').click();
  await page.getByTestId('run-confirm-run').click();
  await expect(dialog).toHaveCount(0);
  await expect(state).not.toHaveAttribute('data-state', 'idle');
  await page.getByTestId('stop').click();
  await expect(state).toHaveAttribute('data-state', 'stopped');
});

test('Quick look starts at once, without a question', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('preset-quick').click();
  await estimateShown(page);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).not.toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('run-confirm')).toHaveCount(0);
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'stopped');
});

test('a number typed beside the iterations slider sets exactly that, and the link follows', async ({
  page,
}) => {
  await page.goto('/');
  const box = page.getByRole('spinbutton', { name: 'iterations per round, exact value' });
  await box.fill('12345');
  await box.press('Enter');
  await expect(page.getByTestId('value-iterations')).toHaveText('12,345');
  await expect(box).toHaveValue('12345');
  await expect.poll(() => new URL(page.url()).hash).toContain('iterations=12345');
  // Dragging the slider shows in the box.
  await page.getByTestId('setting-iterations').fill('3000');
  await expect(box).toHaveValue('3000');
  const seed = page.getByRole('spinbutton', { name: 'seed, exact value' });
  await seed.fill('98765');
  await seed.blur();
  await expect(page.getByTestId('value-seed')).toHaveText('98765');
  await expect.poll(() => new URL(page.url()).hash).toContain('seed=98765');
});
