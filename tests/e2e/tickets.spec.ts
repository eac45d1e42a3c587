/**
 * The paper's story in a real browser (issues 4 and 16): a ticket found headless by the CLI ("a
 * big machine") opens and trains here as it trained there, and on another task (a transfer:
 * Morcos et al. 2019) the lab says where its masks were found and where they train now.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, openLab, test } from './fixtures';

/** Round 2's ticket of a small CLI run (100 iterations a round, 200 test images). */
function cliTicket(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'lt-cli-'));
  const config = {
    data: { validationSize: 200, testSize: 200 },
    training: { iterations: 100, evalEvery: 25 },
    pruning: { rounds: 2, controls: ['reinit'] },
  };
  writeFileSync(join(dir, 'cfg.json'), JSON.stringify(config));
  execFileSync(
    'npx',
    ['tsx', 'cli/experiment.ts', '--config', join(dir, 'cfg.json'), '--tickets', dir, '--quiet'],
    { stdio: 'pipe' },
  );
  return readFileSync(join(dir, 'round-02.ticket'));
}

const ticketFile = (buffer: Buffer) => ({
  name: 'round-02.ticket',
  mimeType: 'application/octet-stream',
  buffer,
});

test('a ticket found headless by the CLI opens and trains in the browser', async ({ page }) => {
  const bytes = cliTicket();
  const problems = await openLab(page, '/#backend=wasm');
  await page.getByTestId('import-file').setInputFiles(ticketFile(bytes));
  await expect(page.getByTestId('imported-ticket')).toContainText('lottery-ticket-lab cli');
  await expect(page.getByTestId('imported-ticket')).toContainText('found on MNIST digits');
  await expect(page.getByTestId('ticket-task')).toHaveValue('mnist');
  await page.getByTestId('ticket-train').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000,
  });
  const verdict = await page.getByTestId('ticket-verdict').innerText();
  const [there, here] = [...verdict.matchAll(/(\d+\.\d+)% at iteration/g)].map((m) => Number(m[1]));
  console.log(`CLI ticket: ${verdict}`);
  // Node's wasm and the browser's run the same kernels on the same data order.
  expect(Math.abs(here! - there!)).toBeLessThan(1);
  expect(problems).toEqual([]);
});

test('a ticket found on MNIST trains on inverted digits, and every word says which is which', async ({
  page,
}) => {
  const problems = await openLab(page, '/#backend=wasm');
  await page.getByTestId('import-file').setInputFiles(ticketFile(cliTicket()));
  await page.getByTestId('ticket-task').selectOption('inverted');
  await expect(page.getByTestId('ticket-task-note')).toContainText(
    'masks found on MNIST digits, trained on inverted digits',
  );
  await page.getByTestId('ticket-train').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('ticket-verdict')).toContainText(
    /^Where it was found, on MNIST digits: \d+\.\d+% at iteration \d+; on this device, on inverted digits: \d+\.\d+% at iteration \d+\.$/,
  );
  await expect(page.getByTestId('history-row').first()).toContainText(
    'trained here on inverted digits (found on MNIST digits)',
  );
  expect(problems).toEqual([]);
});
