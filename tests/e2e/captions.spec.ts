/**
 * Figures 1 and 4–7 say what their data shows (issue 15): captions computed from the run on
 * screen, a colour scale that fits the counts, and readouts the keyboard reaches.
 */
import { type Page, expect, test } from './fixtures';

/** Two pruned rounds of a tiny run, pruned globally: the layers keep different shares. */
const GLOBAL =
  '#rounds=2&iterations=60&evalEvery=10&validation=300&test=300&controls=reinit&scope=global&backend=wasm';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function runToEnd(page: Page, hash: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`/${hash}`);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000,
  });
}

/** The rounds table's early-stop iteration of each variant at `round`. */
async function earlyStops(page: Page, round: number): Promise<Record<string, number>> {
  const rows = await page
    .getByTestId('round-row')
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
    );
  return Object.fromEntries(
    rows.filter((r) => r[0] === String(round)).map((r) => [r[2]!, Number(r[3]!.replace(/,/g, ''))]),
  );
}

const word = (a: number, b: number) => (a < b ? 'sooner' : a > b ? 'later' : 'at the same');

test('captions state the run’s own numbers: global pruning’s shares, the early stops, the pixel scale', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await runToEnd(page, GLOBAL);

  // Figure 4: no layer-wise 20%/10% under global pruning; the latest round's shares, as drawn.
  const fig4 = page.getByTestId('figure-remaining').locator('figcaption');
  await expect(fig4).toContainText('Global pruning removes 20% of all remaining weights');
  await expect(fig4).not.toContainText(/layer-wise|10%/i);
  const bars = await page
    .getByTestId('figure-remaining')
    .getByTestId('layer-bar')
    .evaluateAll((rs) => rs.map((r) => r.querySelector('title')!.textContent!));
  const latest = bars.filter((t) => t.startsWith('round 2,'));
  expect(latest).toHaveLength(3);
  for (const t of latest) {
    const [, layer, share] = t.match(/^round 2, (.+): ([\d.]+%)$/)!;
    await expect(fig4).toContainText(`${layer} ${share}`);
  }

  // Figure 7: each variant's early stop as the rounds table has it, and the word its numbers say.
  const stops = await earlyStops(page, 2);
  const fig7 = page.getByTestId('figure-loss').locator('figcaption');
  await expect(fig7).toContainText(
    `at iteration: winning ticket ${stops['winning ticket']!.toLocaleString('en-US')}, random reinit ${stops['random reinit']!.toLocaleString('en-US')}.`,
  );
  await expect(fig7).toContainText(
    `The ticket gets there ${word(stops['winning ticket']!, stops['random reinit']!)}`,
  );
  await expect(fig7).toContainText('One seed: a difference may be seed noise.');

  // Figure 1: a comparison word only where its own iterations differ, and then the right one.
  const fig1 = (await page.getByTestId('figure-accuracy').locator('figcaption').textContent())!;
  expect(fig1).not.toContain('Sparse tickets climb faster');
  expect(fig1).toContain('One seed: a difference may be seed noise.');
  const num = (v: string | undefined) => Number(v!.replace(/,/g, ''));
  const apart = fig1.match(
    /at iteration ([\d,]+)(?:, before any training)?, the dense net at ([\d,]+): the sparse ticket gets there (sooner|later|at the same)/,
  );
  if (apart) expect(apart[3]).toBe(word(num(apart[1]), num(apart[2])));
  else expect(fig1).toMatch(/and the dense net both first reach \d+% test accuracy at iteration/);

  // Figure 6: the colour scale tops at the most any pixel keeps, and that pixel is painted in
  // the scale's top colour (viridis' yellow), which on a 0–300 scale none reached.
  const map = page.getByTestId('pixel-map');
  const top = Number(await page.getByTestId('pixel-map-scale-max').textContent());
  expect(top).toBeGreaterThan(0);
  expect(top).toBeLessThan(300);
  await expect(map).toHaveAttribute('data-scale-max', String(top));
  const yellow = await page.getByTestId('pixel-map-canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, 28, 28).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] === 253 && d[i + 1] === 231) n++;
    return n;
  });
  expect(yellow).toBeGreaterThan(0);
  await expect(page.getByTestId('pixel-map-caption')).toContainText(
    `The colour scale runs from 0 to ${top}, the most any pixel keeps.`,
  );

  // Round 0 is the dense net: no bimodal survivors, no centre kept over the border.
  await page.getByTestId('scrub-round').fill('0');
  await expect(page.getByTestId('scrub-label')).toContainText('round 0 · 100.0%');
  await expect(page.getByTestId('figure-histograms').locator('figcaption').last()).toContainText(
    'Every weight survives',
  );
  await expect(page.getByTestId('figure-histograms')).not.toContainText(/bimodal/i);
  await expect(page.getByTestId('pixel-map-caption')).toHaveText(
    'The dense net: every pixel keeps all 300 connections.',
  );
  expect(errors).toEqual([]);
});

test('the keyboard reaches every mask figure’s readout, with a visible focus, and starts no run', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await runToEnd(page, GLOBAL);
  const state = page.getByTestId('state');

  // Figure 4: focus the chart, the arrows read the latest round's bars; → starts no new run.
  const chart = page.getByTestId('figure-remaining').getByRole('img');
  await chart.focus();
  await page.keyboard.press('ArrowDown');
  const title = await page
    .getByTestId('figure-remaining')
    .getByTestId('layer-bar')
    .nth(6)
    .locator('title')
    .textContent();
  await expect(page.getByTestId('layer-bars-readout')).toHaveText(
    `${title!.replace(/: ([\d.]+%)$/, ': $1')} of its weights remain`,
  );
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('layer-bars-readout')).toContainText('round 1, layer 1');
  await expect(state).toHaveAttribute('data-state', 'done');
  expect(await chart.evaluate((e) => getComputedStyle(e).outlineStyle)).toBe('solid');

  // Figure 5: a panel's bins, from the middle.
  const panel = page.getByTestId('histogram-layer').first();
  await panel.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('histogram-readout')).toHaveText(
    /^layer 1 \(784→300\), θ0 from -?[\d.e-]+ to [\d.e-]+: [\d,]+ of all θ0, [\d,]+ survive$/,
  );

  // Figure 6: a pixel, from the centre.
  const canvas = page.getByTestId('pixel-map-canvas');
  await canvas.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('pixel-map-readout')).toHaveText(
    /^pixel \(row 15, col 15\): \d+ of 300 connections kept$/,
  );
  await expect(state).toHaveAttribute('data-state', 'done');
  expect(errors).toEqual([]);
});
