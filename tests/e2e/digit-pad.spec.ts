/**
 * Issue 16's drawing pad in a real browser: a tiny run trains on real MNIST, a digit drawn with
 * the mouse is classified in the lab's worker by the dense net, the ticket and a control at the
 * round shown, kept with its label as a private test set that is scored, exported, and still
 * there after a reload; a bad file changes nothing. Nothing leaves the origin (fixtures.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Page, expect, openLab, test } from './fixtures';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = process.env.SCREENSHOTS_DIR ?? 'test-results/screenshots';

/** WCAG 2.1 A and AA violations (and axe's best practices) inside the pad's figure. */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const result = await axe.run('[data-testid="figure-digit-pad"]', {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' | ')}`);
  });
}

/** The smallest font size of any text inside the pad's figure, in CSS pixels. */
const smallestText = (page: Page) =>
  page.evaluate(() => {
    const figure = document.querySelector('[data-testid="figure-digit-pad"]')!;
    let least = Infinity;
    for (const el of Array.from(figure.querySelectorAll('*')))
      if (Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim()))
        least = Math.min(least, parseFloat(getComputedStyle(el).fontSize));
    return least;
  });

const TINY =
  '/#iterations=200&rounds=1&evalEvery=100&validation=200&test=200&controls=reinit&backend=wasm';

/** A "1": one stroke down the middle of the pad, with the mouse (pointer events). */
async function drawOne(page: Page) {
  const pad = page.getByTestId('drawing-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  const x = box.x + box.width * 0.52;
  await page.mouse.move(x, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++)
    await page.mouse.move(x - i * 0.6, box.y + box.height * (0.15 + (0.7 * i) / 12));
  await page.mouse.up();
}

test('draw a digit: three networks answer, a kept digit is scored, exported and kept over a reload', async ({
  page,
}) => {
  await openLab(page, TINY);
  await page.getByTestId('run').click();
  // Rows: round 0's dense ticket, round 1's ticket and reinit.
  await expect(page.getByTestId('round-row')).toHaveCount(3, { timeout: 120_000 });
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done');

  const figure = page.getByTestId('figure-digit-pad');
  await expect(figure.getByTestId('pad-status')).toHaveText(/Draw a digit first/);
  await drawOne(page);
  for (const network of ['dense', 'ticket', 'reinit'])
    await expect(figure.getByTestId(`top-${network}`)).toHaveText(
      /^(zero|one|two|three|four|five|six|seven|eight|nine) \(\d\), \d+\.\d%$/,
    );
  await expect(figure.getByTestId('probability-bars')).toContainText(
    'What each network says at round 1',
  );
  await expect(figure.getByTestId('digit-overlay-caption')).toContainText(
    /Your digit inks \d+ of 784 pixels\. The winning ticket at \d+\.\d% of weights keeps/,
  );

  // The words name the number the bars print beside the top digit's bar.
  for (const network of ['dense', 'ticket', 'reinit']) {
    const said = /, (\d+\.\d%)$/.exec(await figure.getByTestId(`top-${network}`).innerText())![1]!;
    await expect(figure.getByTestId(`bars-${network}`).locator('.top')).toHaveText(said);
  }
  await figure.getByTestId('keep-label').selectOption('1');
  await figure.getByTestId('keep-digit').click();
  await expect(figure.getByTestId('kept-digit')).toHaveCount(1);
  await expect(figure.getByTestId('kept-score')).toHaveText(
    /^On your 1 kept digit at round 1: dense [01]\/1, winning ticket [01]\/1, random reinit [01]\/1$/,
  );

  expect(await violations(page)).toEqual([]);
  await figure.screenshot({ path: `${SHOTS}/digit-pad-1280x720.png` });

  // A phone: nothing scrolls sideways, the bars included.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
    .toBeLessThanOrEqual(390);
  await figure.screenshot({ path: `${SHOTS}/digit-pad-390x844.png` });
  // Presenter mode: every word at 20 px or more.
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByTestId('presenter-toggle').click();
  await expect(page.getByTestId('lab')).toHaveAttribute('data-presenter', 'true');
  expect(await smallestText(page)).toBeGreaterThanOrEqual(20);
  await figure.screenshot({ path: `${SHOTS}/digit-pad-presenter-1280x720.png` });
  await page.getByTestId('presenter-toggle').click();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    figure.getByTestId('kept-export').click(),
  ]);
  expect(download.suggestedFilename()).toBe('kept-digits.json');
  const file = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
    format: string;
    digits: { label: number; pixels: string }[];
  };
  expect(file.format).toBe('lottery-ticket-lab/kept-digits');
  expect(file.digits.map((d) => d.label)).toEqual([1]);
  expect(Buffer.from(file.digits[0]!.pixels, 'base64')).toHaveLength(784);

  // A bad file: a message, and the list as it was.
  await figure.getByTestId('kept-import-file').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format":"lottery-ticket-lab/kept-digits","version":1,"digits":[{}]}'),
  });
  await expect(figure.getByTestId('digits-message')).toHaveText(
    /“bad.json” was not imported: digit 1 of 1: its label undefined is not a digit 0–9\./,
  );
  await expect(figure.getByTestId('kept-digit')).toHaveCount(1);

  await figure.getByTestId('pad-clear').click();
  await expect(figure.getByTestId('pad-status')).toHaveText(/Draw a digit first/);

  await page.reload();
  await expect(page.getByTestId('figure-digit-pad').getByTestId('kept-digit')).toHaveCount(1);
  await expect(page.getByTestId('figure-digit-pad').getByTestId('kept-digit')).toHaveAttribute(
    'data-label',
    '1',
  );
  // The keyboard's way to draw: a kept digit used on the pad, which is asked about again.
  const after = page.getByTestId('figure-digit-pad');
  await expect(after.getByTestId('digit-overlay')).toHaveCount(0);
  await after.getByRole('button', { name: 'Use kept digit 1, a 1 on the pad' }).focus();
  await page.keyboard.press('Enter');
  await expect(after.getByTestId('digit-overlay')).toBeVisible();
  // The reopened run's trained networks come back from the history and answer again.
  for (const network of ['dense', 'ticket', 'reinit'])
    await expect(after.getByTestId(`top-${network}`)).toHaveText(/\(\d\), \d+\.\d%$/, {
      timeout: 30_000,
    });
  await expect(after.getByTestId('kept-score')).toHaveText(/^On your 1 kept digit at round 1: /);
});
