/**
 * Figure 8 (issue 16, Zhou et al. 2019): test accuracy before training vs P_m. Its points are the
 * curves' own first evaluations (Figure 1's iteration 0, the rounds table's column), its caption
 * says those numbers, and on the recorded lecture run the ticket's masks alone classify far above
 * the controls, which sit near chance.
 */
import type { Locator } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { type Page, expect, test, runToEnd } from './fixtures';

const TINY =
  '#rounds=2&iterations=60&evalEvery=10&validation=300&test=300&controls=reinit,rearrange&backend=wasm';

/** A chart's data table, opened: its column heads and its rows (the row's head first). */
async function table(figure: Locator): Promise<{ head: string[]; rows: string[][] }> {
  const t = figure.getByTestId('stream-table');
  // From the keyboard: a pointer crossing the chart on its way changes the readout above the
  // summary, which can move it between aiming and clicking.
  await t.locator('summary').focus();
  await figure.page().keyboard.press('Enter');
  await expect(t.locator('tbody tr').first()).toBeVisible();
  const head = await t.locator('thead th').allTextContents();
  const rows = await t
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('th, td'), (c) => c.textContent ?? '')),
    );
  return { head, rows };
}

/** The rounds table's "before training" cell per "round|variant". */
async function roundsColumn(page: Page): Promise<Record<string, string>> {
  const rows = await page
    .getByTestId('round-row')
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
    );
  return Object.fromEntries(rows.map((r) => [`${r[1]}|${r[2]}`, r[6]!]));
}

test('a tiny run: Figure 8’s points are the curves’ iteration-0 test accuracies, and its caption says them', async ({
  page,
}) => {
  const errors = await runToEnd(page, `/${TINY}`);
  const fig8 = page.getByTestId('figure-before-training');
  await expect(fig8.getByTestId('stream-line')).toHaveCount(3);
  await expect(fig8.getByTestId('y-guide')).toHaveText('chance 10%');

  // Figure 1's table: its iteration-0 row holds each round's ticket and round 2's controls.
  const fig1 = await table(page.getByTestId('figure-accuracy'));
  const zero = fig1.rows.find((r) => r[0] === '0')!;
  const atZero = Object.fromEntries(fig1.head.map((h, i) => [h, zero[i]!]));

  // Figure 8's table: one row per P_m (ascending), one column per variant.
  const fig8Table = await table(fig8);
  expect(fig8Table.head).toEqual([
    'P_m',
    'winning ticket',
    'random reinit',
    'rearranged connections',
  ]);
  expect(fig8Table.rows).toHaveLength(3);
  const column = await roundsColumn(page);
  const compared: string[] = [];
  for (const [pm, ...values] of fig8Table.rows) {
    const p = `${parseFloat(pm!).toFixed(1)}%`;
    fig8Table.head.slice(1).forEach((variant, i) => {
      const value = values[i]!;
      // At 100% every line is the dense net: the controls' lines start at its point.
      const dense = p === '100.0%';
      const v = dense ? 'winning ticket' : variant;
      expect(value, `${p} ${variant}`).toMatch(/^\d+\.\d\d%$/);
      expect(value, `${p} ${variant}: the rounds table`).toBe(column[`${p}|${v}`]);
      const drawn = atZero[`${p} ${v}`];
      if (drawn !== undefined) {
        expect(value, `${p} ${variant}: Figure 1 at iteration 0`).toBe(drawn);
        compared.push(`${p} ${variant}`);
      }
    });
  }
  // Every round's ticket, and the shown round's two controls.
  expect(compared.length).toBeGreaterThanOrEqual(3 + 2);

  // The caption: the sparsest round's numbers as the table has them, one seed said to be one.
  const [sparsest] = fig8Table.rows;
  const one = (s: string) => `${parseFloat(s).toFixed(1)}%`;
  const caption = fig8.locator('figcaption');
  await expect(caption).toContainText(
    `winning ticket ${one(sparsest![1]!)}, random reinit ${one(sparsest![2]!)}, rearranged connections ${one(sparsest![3]!)}.`,
  );
  await expect(caption).toContainText('one seed: run 3 or more to tell this from seed noise');
  await expect(caption).toContainText(
    `The dense net at θ0 (100% of weights): ${one(fig8Table.rows[2]![1]!)}; chance is 10%.`,
  );

  // The readout: focused, ← → step through the P_m points with the exact values.
  await fig8.locator('.chart-frame').focus();
  await page.keyboard.press('End');
  await expect(fig8.getByTestId('readout')).toHaveText(
    new RegExp(`^P_m 100%: winning ticket ${fig8Table.rows[2]![1]!.replace('.', '\\.')}`),
  );
  await page.keyboard.press('Home');
  await expect(fig8.getByTestId('readout')).toContainText(`random reinit ${sparsest![2]!}`);
  expect(errors).toEqual([]);
});

test('filled in live: a round’s points appear as it starts, before it has finished', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(
    '/#rounds=2&iterations=1000&evalEvery=100&validation=300&test=300&controls=reinit&backend=wasm',
  );
  await page.getByTestId('run').click();
  // Round 1 is training: pause it, well before its 1,000 steps are done.
  await expect(page.getByTestId('progress')).toContainText('round 1 · ', { timeout: 120_000 });
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'paused');
  // Round 1 has no result yet (the rounds table holds round 0 alone), but Figure 8 has its points.
  await expect(page.getByTestId('round-row')).toHaveCount(1);
  const fig8 = page.getByTestId('figure-before-training');
  await expect(fig8.locator('figcaption')).toContainText('of weights (round 1): winning ticket');
  const { rows } = await table(fig8);
  expect(rows.map((r) => r[0])).toEqual(['80%', '100%']);
  expect(rows[0]![1]).toMatch(/^\d+\.\d\d%$/);
  expect(rows[0]![2]).toMatch(/^\d+\.\d\d%$/);
  await page.getByTestId('stop').click();
});

test('the recorded lecture run: before training, the ticket far above both controls, over five seeds', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await page.getByTestId('recorded-play').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 90_000,
  });
  const fig8 = page.getByTestId('figure-before-training');
  await expect(fig8.getByTestId('spread-key')).toHaveText(
    'line: mean of 5 seeds · band: ±1 sd · dots: each seed',
  );
  await expect(fig8.getByTestId('stream-band')).toHaveCount(3);
  await expect(fig8.getByTestId('stream-seed')).toHaveCount(5 * (13 + 12 + 12));
  const caption = fig8.locator('figcaption');
  await expect(caption).toContainText(
    /The winning ticket is ahead of random reinit by \d\d\.\d pp; all 5 seeds agree\./,
  );
  await expect(caption).toContainText(
    /The winning ticket is ahead of rearranged connections by \d\d\.\d pp; all 5 seeds agree\./,
  );
  // At every pruned P_m the ticket's mean is tens of points above each control's, which sit
  // near chance.
  const { rows } = await table(fig8);
  expect(rows).toHaveLength(13);
  for (const [pm, ticket, reinit, rearranged] of rows.slice(0, 12)) {
    const [t, r, a] = [ticket, reinit, rearranged].map((v) => parseFloat(v!));
    expect(t! - r!, `P_m ${pm}`).toBeGreaterThan(30);
    expect(t! - a!, `P_m ${pm}`).toBeGreaterThan(30);
    expect(Math.max(r!, a!), `P_m ${pm}`).toBeLessThan(20);
  }
  // The figure downloads as SVG with its title, its key and chance level.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-before-training-svg').click(),
  ]);
  const svg = readFileSync((await download.path())!, 'utf8');
  const title = [...svg.matchAll(/data-export="title">([^<]*)</g)].map((m) => m[1]).join(' ');
  expect(title).toBe('8 · Test accuracy before training vs weights remaining');
  expect(svg).toContain('rearranged connections');
  expect(svg).toContain('chance 10%');
  // The side-by-side says the same round's numbers before training.
  await expect(page.getByTestId('compare-before')).toContainText(
    /^Before training: winning ticket \d\d\.\d\d% ± \d\.\d\d pp; random reinit \d{1,2}\.\d\d% ± \d\.\d\d pp\.$/,
  );
});
