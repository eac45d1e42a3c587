/**
 * Charts that explain themselves (issue 15): every value drawn where it is (no floor that hides the
 * masks' accuracy before training), exact values read out by pointer and by keyboard, keys beside
 * the plots and never over them, and exports that keep the titles and the verdict.
 */
import { readFileSync } from 'node:fs';
import { type Page, expect, test } from './fixtures';

const TINY =
  '#rounds=2&iterations=60&evalEvery=10&validation=300&test=300&controls=reinit,rearrange&backend=wasm';

async function runTiny(page: Page, hash = TINY) {
  await page.goto(`/${hash}`);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000,
  });
}

/** Every y a chart's lines pass through, in its own coordinates, and the plot's bottom edge. */
async function lineYs(page: Page, testId: string) {
  return page.getByTestId(testId).evaluateAll((figures) =>
    figures.map((figure) => {
      const svg = figure.querySelector('svg.stream-lines')!;
      const height = Number(svg.getAttribute('viewBox')!.split(' ')[3]);
      const ys = Array.from(svg.querySelectorAll('[data-testid="stream-line"]')).flatMap((p) =>
        [...(p.getAttribute('d') ?? '').matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((m) =>
          Number(m[2]),
        ),
      );
      return { ys, bottom: height - 40, top: 10 };
    }),
  );
}

test('no accuracy chart draws a value on a floor it does not have; a focused chart reads out exact values', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await runTiny(page);
  // Iteration 0 is in every curve: the dense net near chance, the ticket (θ0 under its mask)
  // well above it. Each is drawn at its own height, none on the plot's bottom edge.
  for (const id of ['figure-accuracy', 'compare-ticket', 'compare-reinit']) {
    for (const { ys, bottom, top } of await lineYs(page, id)) {
      expect(ys.length, id).toBeGreaterThan(5);
      expect(Math.max(...ys), `${id}: a point on the floor`).toBeLessThan(bottom - 0.5);
      expect(Math.min(...ys), id).toBeGreaterThanOrEqual(top);
    }
  }
  // The lowest tick says how low the axis goes: under 50%, since the dense net starts near chance.
  const ticks = await page
    .getByTestId('figure-accuracy')
    .locator('svg.stream-lines .axis text')
    .allTextContents();
  expect(ticks.some((t) => /^([1-4]?\d)%$/.test(t))).toBe(true);

  // Chart 1's key: the P_m of each round's ticket, and what the dashes are.
  const key = page.getByTestId('accuracy-key');
  await expect(key).toContainText('100%');
  await expect(key).toContainText('64%');
  await expect(key).toContainText('dashed');

  // Keyboard: focus the chart (Tab reaches it), Home = iteration 0, → the next evaluation.
  const frame = page.getByTestId('figure-accuracy').locator('.chart-frame');
  await frame.focus();
  await page.keyboard.press('Home');
  const readout = page.getByTestId('figure-accuracy').getByTestId('readout');
  await expect(readout).toContainText(/^iteration 0: .*winning ticket \d+\.\d\d%/);
  await page.keyboard.press('ArrowRight');
  await expect(readout).toContainText(/^iteration 10: /);
  // The lab's → (step a round) did not fire: the chart kept its arrows.
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done');
  // The pointer too.
  await page.getByTestId('figure-loss').scrollIntoViewIfNeeded();
  const box = (await page.getByTestId('figure-loss').locator('svg.stream-lines').boundingBox())!;
  await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);
  await expect(page.getByTestId('figure-loss').getByTestId('readout')).toContainText(
    /^iteration 60: .*validation \d\.\d{3}/,
  );
});

test('the side-by-side exports with both panel titles and its verdict', async ({ page }) => {
  await runTiny(page);
  const verdict = await page.getByTestId('compare-verdict').innerText();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-side-by-side-svg').click(),
  ]);
  const svg = readFileSync((await download.path())!, 'utf8');
  expect(svg).toContain('data-export="panel-title">winning ticket<');
  expect(svg).toContain('data-export="panel-title">random reinit<');
  // The verdict's words, wrapped over lines: every word is in the file, in order.
  const exported = [...svg.matchAll(/data-export="verdict">([^<]*)</g)].map((m) => m[1]).join(' ');
  expect(exported.replace(/&amp;/g, '&')).toBe(verdict.replace(/\s+/g, ' ').trim());
  // The round is chosen in the side-by-side itself too, and it says the scrubber shares it.
  await page.getByTestId('compare-round').selectOption('1');
  await expect(page.getByTestId('compare-verdict')).toContainText('round 1');
  await expect(page.getByTestId('scrub-label')).toContainText('round 1');
});

test('the history overlay of two runs keeps its key off the plot, and no two lines look alike', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await runTiny(page);
  await page.getByTestId('setting-seed').fill('7');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('history-row')).toHaveCount(2, { timeout: 120_000 });
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000,
  });
  await page.getByTestId('history-compare').nth(0).check();
  await page.getByTestId('history-compare').nth(1).check();
  await page.getByTestId('history-compare-go').click();
  const overlay = page.getByTestId('runs-overlay');
  await expect(overlay.locator('.recharts-line')).toHaveCount(6);
  const plot = (await overlay.locator('.recharts-cartesian-grid').boundingBox())!;
  const key = (await page.getByTestId('overlay-key').boundingBox())!;
  const overlaps =
    key.x < plot.x + plot.width &&
    plot.x < key.x + key.width &&
    key.y < plot.y + plot.height &&
    plot.y < key.y + key.height;
  expect(overlaps, `key ${JSON.stringify(key)} over plot ${JSON.stringify(plot)}`).toBe(false);
  const looks = await overlay
    .locator('.recharts-line path.recharts-curve')
    .evaluateAll((paths) =>
      paths.map((p) => `${p.getAttribute('stroke')} ${p.getAttribute('stroke-dasharray') ?? ''}`),
    );
  expect(new Set(looks).size).toBe(6);
});

test('every streaming chart has its numbers as a table behind it', async ({ page }) => {
  await runTiny(page);
  const figure = page.getByTestId('figure-accuracy-pm');
  const table = figure.getByTestId('stream-table');
  await table.locator('summary').click();
  // One row per P_m reached (100%, 80%, 64%), one column per variant, the values as drawn.
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table.locator('thead th')).toHaveText([
    'P_m',
    'winning ticket',
    'random reinit',
    'rearranged connections',
  ]);
  const drawn = parseFloat(
    await table.locator('tbody tr').first().locator('td').first().innerText(),
  ); // rows run from the smallest P_m: round 2
  const tableRows = await page
    .getByTestId('round-row')
    .evaluateAll((rows) =>
      rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent ?? '')),
    );
  const round2 = tableRows.find((cells) => cells[0] === '2' && cells[2] === 'winning ticket')!;
  expect(Math.abs(parseFloat(round2[4]!) - drawn)).toBeLessThanOrEqual(0.05);
});
