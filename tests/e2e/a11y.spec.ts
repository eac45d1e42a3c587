/**
 * Accessible to every student (issue 15: course materials are held to WCAG 2.1 AA in many
 * universities). axe-core, the engine behind most accessibility checkers, runs in the real page
 * in the three ways a lecture uses the lab: mid-run, in presenter mode and in story mode. It is
 * evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
 * govern, so the lab's policy stays as strict as it is in production.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Page, expect, test } from './fixtures';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A run long enough to be looked at while it trains (paused, so the page holds still). */
const MID =
  '#rounds=5&iterations=400&evalEvery=20&validation=300&test=300&controls=reinit,rearrange&backend=wasm';

/** WCAG 2.1 A and AA violations on the page as it is, one line each with where. */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const result = await axe.run(document, {
      // WCAG 2.1 A and AA, and axe's best practices (heading order, empty headers) besides.
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
    });
    return result.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 4)
          .map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`)
          .join(' | ')}${v.nodes.length > 4 ? ` … ${v.nodes.length} in all` : ''}`,
    );
  });
  return found;
}

async function midRun(page: Page) {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`/${MID}`);
  await page.getByTestId('run').click();
  // Round 1 finished: every figure, the side-by-side and the rounds table have something.
  await expect(page.getByTestId('round-row')).toHaveCount(4, { timeout: 120_000 });
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'paused');
}

test('axe finds no WCAG 2.1 AA violation in the lab mid-run', async ({ page }) => {
  await midRun(page);
  expect(await violations(page)).toEqual([]);
});

test('axe finds no WCAG 2.1 AA violation in presenter mode', async ({ page }) => {
  await midRun(page);
  await page.keyboard.press('p');
  await expect(page.getByTestId('lab')).toHaveAttribute('data-presenter', 'true');
  expect(await violations(page)).toEqual([]);
});

test('axe finds no WCAG 2.1 AA violation in story mode', async ({ page }) => {
  await midRun(page);
  await page.evaluate(() => (window.location.hash += '&story=1'));
  await expect(page.getByTestId('story')).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.keyboard.press('End');
  expect(await violations(page)).toEqual([]);
});
