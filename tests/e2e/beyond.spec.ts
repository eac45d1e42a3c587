/**
 * Issue 16's settings in the lab, through a link: a run with a criterion chosen at init, the
 * signed control, a bimodal init, a permuted task and per-image L2 inputs trains on the lab's own
 * kernels (whose gather now scales each image) and lists what it trained; bad values in a link are
 * refused one by one, with a notice, and change nothing else.
 */
import { expect, test } from './fixtures';

const TINY =
  '#rounds=1&iterations=40&evalEvery=20&validation=300&test=300&backend=simd' +
  '&controls=reinit,signed&criterion=snip&init=bimodal&task=permuted&inputs=l2';

test('a link with every new setting trains what it names, on the kernels', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/${TINY}`);
  await expect(page.getByTestId('notice')).toHaveCount(0);
  const chosen: [string, string][] = [
    ['criterion', 'snip'],
    ['init', 'bimodal'],
    ['task', 'permuted'],
    ['inputs', 'l2'],
  ];
  for (const [key, value] of chosen)
    await expect(page.getByTestId(`setting-${key}`)).toHaveValue(value);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000,
  });
  const rows = await page
    .getByTestId('round-row')
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
    );
  // Round 0 the dense net; round 1 the ticket, its two controls and the two dense bimodal nets.
  expect(rows.map((r) => `${r[0]} ${r[1]} ${r[2]}`)).toEqual([
    '0 100.0% winning ticket',
    '1 80.0% winning ticket',
    '1 80.0% random reinit',
    '1 80.0% reinit, θ0’s signs',
    '1 80.0% dense, bimodal init',
    '1 80.0% dense, bimodal at Glorot’s variance',
  ]);
  // Every net learned something on permuted, L2-scaled digits: above chance (10%) at the end.
  for (const r of rows) expect(parseFloat(r[5]!)).toBeGreaterThan(15);
  expect(errors).toEqual([]);
});

test('bad values of the new settings in a link: a notice each, nothing else changed', async ({
  page,
}) => {
  await page.goto('/#task=fashion&criterion=large_final&inputs=zscore&rounds=3');
  const notices = page.getByTestId('notice');
  await expect(notices).toHaveCount(3);
  await expect(notices.nth(0)).toContainText('criterion: "large_final" is not one of magnitude');
  await expect(page.getByTestId('setting-task')).toHaveValue('mnist');
  await expect(page.getByTestId('setting-criterion')).toHaveValue('magnitude');
  await expect(page.getByTestId('setting-inputs')).toHaveValue('meanstd');
  await expect(page.getByTestId('setting-rounds')).toHaveValue('3');
});
