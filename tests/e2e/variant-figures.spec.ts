/**
 * Figures 5 and 6 for any variant of the shown round (issue 16): the engine bins each variant's
 * own starting values at its own mask, and a select picks which one the figures draw. On a tiny
 * run: random reinit's blue bars are a fresh draw (not the ticket's), rearranged connections'
 * are the ticket's values at other positions (the same bars, another pixel map), and every word
 * on the figures, the exported file's title included, names the variant shown.
 */
import type { Locator } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect, test, runToEnd } from './fixtures';

const TINY =
  '#rounds=2&iterations=60&evalEvery=10&validation=300&test=300&controls=reinit,rearrange&backend=wasm';

/** Figure 5's blue bars, per layer panel: each bar's position and count. */
function blueBars(figure: Locator): Promise<string[][]> {
  return figure
    .getByTestId('histogram-layer')
    .evaluateAll((panels) =>
      panels.map((p) =>
        Array.from(
          p.querySelectorAll('[data-testid="bar-surviving"]'),
          (b) => `${b.getAttribute('x')}:${b.getAttribute('data-count')}`,
        ),
      ),
    );
}

/** Figure 6's 28×28 canvas, as its RGBA bytes. */
function pixels(figure: Locator): Promise<number[]> {
  return figure
    .getByTestId('pixel-map-canvas')
    .evaluate((c: HTMLCanvasElement) =>
      Array.from(c.getContext('2d')!.getImageData(0, 0, 28, 28).data),
    );
}

test('Figures 5 and 6 show the variant picked: reinit’s own draw, rearranged’s moved θ0, named everywhere', async ({
  page,
}) => {
  const errors = await runToEnd(page, `/${TINY}`);
  const fig5 = page.getByTestId('figure-histograms');
  const fig6 = page.getByTestId('figure-pixels');
  const pick = fig5.getByLabel('variant');
  const caption = fig5.getByTestId('histogram-caption');
  await expect(page.getByTestId('scrub-label')).toContainText('round 2');
  // The round's variants, the ticket first and shown by default.
  await expect(pick.locator('option')).toHaveText([
    'winning ticket',
    'random reinit',
    'rearranged connections',
  ]);
  await expect(pick).toHaveValue('ticket');
  await expect(caption).toContainText('the survivors of the winning ticket (θ0 at its mask)');
  const ticket = await blueBars(fig5);
  const ticketPixels = await pixels(fig6);
  expect(ticket.flat().length).toBeGreaterThan(0);

  // Random reinit: the ticket's mask, a fresh Glorot draw: other bars, the same pixel map.
  await pick.selectOption('reinit');
  await expect(fig5.locator('h2')).toContainText('· random reinit');
  await expect(caption).toContainText(
    'blue: the starting values of the survivors of random reinit (a fresh Glorot draw, not θ0)',
  );
  await expect(fig5.getByTestId('histogram-chart')).toContainText(
    'the survivors of random reinit: a fresh Glorot draw',
  );
  await expect(caption).not.toContainText('θ0 at its mask');
  const reinit = await blueBars(fig5);
  expect(reinit.map((p) => p.length).reduce((a, b) => a + b)).toBeGreaterThan(0);
  expect(reinit).not.toEqual(ticket);
  // The select is one choice for both figures.
  await expect(fig6.getByLabel('variant')).toHaveValue('reinit');
  await expect(fig6.getByTestId('pixel-map-caption')).toContainText(
    /^Random reinit: the ticket’s mask\. Connections kept per pixel/,
  );
  expect(await pixels(fig6)).toEqual(ticketPixels);

  // Rearranged: the ticket's values at other positions: the same bars, another pixel map.
  await pick.selectOption('rearrange');
  await expect(caption).toContainText(
    'the survivors of rearranged connections (the ticket’s θ0 values at other positions)',
  );
  await expect(fig6.getByTestId('pixel-map-canvas')).toHaveAttribute(
    'aria-label',
    /per input pixel under rearranged connections/,
  );
  expect(await blueBars(fig5)).toEqual(ticket);
  expect(await pixels(fig6)).not.toEqual(ticketPixels);

  // The exported file's title names the variant.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-histograms-svg').click(),
  ]);
  const svg = readFileSync((await download.path())!, 'utf8');
  const title = [...svg.matchAll(/data-export="title">([^<]*)</g)].map((m) => m[1]).join(' ');
  expect(title).toMatch(/^5 · Initial weights of the survivors .* · rearranged connections$/);

  // Round 0 has only the ticket: the figures fall back to it, and the choice returns after.
  await page.getByTestId('scrub-round').fill('0');
  await expect(pick.locator('option')).toHaveText(['winning ticket']);
  await expect(fig5.locator('h2')).toContainText('· winning ticket');
  await expect(caption).toContainText('the survivors of the winning ticket');
  await page.getByTestId('scrub-round').fill('2');
  await expect(pick).toHaveValue('rearrange');
  expect(errors).toEqual([]);
});
