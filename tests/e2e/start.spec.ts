/**
 * `npm start` (issue 15): the command users run serves the lab under the production policy. These
 * tests run `npm start` itself, beside the test build's server, and hold what it serves to
 * csp.config.ts's CSP: the page and the lab's worker carry it, and a whole run works under it.
 *
 * The production policy has no report-uri (only the test build's does), so nothing reports a
 * violation to the origin guard: the browser's console is where one shows. A violation in the page
 * is logged there by Chromium itself; one in a worker is only an event in that worker, so each
 * worker gets a listener that logs it to the console, which Playwright hands to the page. The
 * listener lands once Playwright reaches the worker: the lab's worker fetches nothing before Run,
 * and a worker it starts that the policy refused would be refused in the lab's worker, watched.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { CSP } from '../../csp.config';
import { TEST_PORT } from '../browser';
import type { Response } from '@playwright/test';
import { type Page, expect, test } from './fixtures';

/** Beside the test build's server (LAB_TEST_PORT keeps checkouts apart; this one follows it). */
const PORT = TEST_PORT + 1;
const ORIGIN = `http://localhost:${PORT}`;
const TINY = '#rounds=2&iterations=60&evalEvery=10&validation=300&test=300&controls=reinit';
const LAB_WORKER = /\/assets\/lab\.worker-[\w-]+\.js$/;
/** What Chromium logs for anything a policy blocks, and what the worker listener logs. */
const BLOCKED = /Content Security Policy|Refused to/i;

test.use({ baseURL: `${ORIGIN}/` }); // the origin guard allows this origin, and only it

let server: ChildProcess | undefined;
let output = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // What `npm start` runs, in a process group of its own so that it ends whole.
  server = spawn('npm', ['start', '--', '--port', String(PORT)], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'], // an open stdin: Vite's server ends when its stdin does
  });
  const ready = new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += stripVTControlCharacters(chunk.toString()); // colours split the URL
      if (output.includes(`${ORIGIN}/`)) resolve();
    };
    server!.stdout!.on('data', read);
    server!.stderr!.on('data', read);
    server!.once('exit', (code) => reject(new Error(`npm start ended (${code}):\n${output}`)));
  });
  await ready;
});

test.afterAll(async () => {
  if (server?.exitCode === null && server.signalCode === null) {
    const ended = new Promise((resolve) => server!.once('exit', resolve));
    process.kill(-server.pid!, 'SIGKILL');
    await ended;
  }
});

/** Everything the policy blocked in the page or its workers, and the page's uncaught errors. */
function watchPolicy(page: Page): string[] {
  const seen: string[] = [];
  page.on('pageerror', (e) => seen.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (BLOCKED.test(m.text())) seen.push(`${m.worker() ? 'worker' : 'page'}: ${m.text()}`);
  });
  page.on('worker', (w) => {
    w.evaluate(() =>
      self.addEventListener('securitypolicyviolation', (e) =>
        console.error(`Content Security Policy: ${e.effectiveDirective} blocked ${e.blockedURI}`),
      ),
    ).catch(() => undefined); // a worker that already ended has nothing left to block
  });
  return seen;
}

test('npm start serves the page and the lab worker with the production policy', async ({
  page,
}) => {
  const seen = watchPolicy(page);
  const workerScripts: Response[] = [];
  page.on('response', (r) => void (LAB_WORKER.test(r.url()) && workerScripts.push(r)));
  const response = await page.goto('/');
  expect(response?.headers()['content-security-policy']).toBe(CSP);
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
    'content',
    CSP,
  );
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true); // COOP + COEP, for threads

  await page.getByTestId('setting-backend').selectOption('cpu'); // starts the lab's worker
  await expect(page.getByTestId('backend')).toContainText(/^cpu · /);
  expect(workerScripts.map((r) => r.headers()['content-security-policy'])).toEqual([CSP]);
  expect(seen).toEqual([]);
});

for (const backend of ['wasm', 'auto'] as const) {
  test(`a whole run on the ${backend} backend works under npm start's policy, and nothing is blocked`, async ({
    page,
  }) => {
    const seen = watchPolicy(page);
    const response = await page.goto(`/${TINY}&backend=${backend}`);
    expect(response?.headers()['content-security-policy']).toBe(CSP); // under the policy, then
    await page.getByTestId('run').click();
    await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
      timeout: 150_000,
    });
    // Round 0's ticket, then the ticket and its reinit control in rounds 1 and 2.
    await expect(page.getByTestId('round-row')).toHaveCount(5);
    if (backend === 'wasm') await expect(page.getByTestId('backend')).toContainText(/^wasm · /);
    expect(seen).toEqual([]);
  });
}

test('the watch sees what the policy blocks, in the page and in a worker', async ({ page }) => {
  const seen = watchPolicy(page);
  await page.goto('/');
  const away = 'http://127.0.0.2:9';
  await page.evaluate((url) => fetch(url).catch(() => undefined), `${away}/page`);
  await page.evaluate(
    (url) =>
      new Promise<void>((done) => {
        // It fetches on its first message, once the watch has had time to reach it.
        const source = `onmessage = () => fetch(${JSON.stringify(url)}).catch(() => 0).then(() => postMessage(0))`;
        const w = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
        w.onmessage = () => done();
        setTimeout(() => w.postMessage(0), 500);
      }),
    `${away}/worker`,
  );
  await expect
    .poll(() => seen.some((s) => s.startsWith('page:') && s.includes('/page')))
    .toBe(true);
  await expect
    .poll(() => seen.some((s) => s.startsWith('worker:') && s.includes('/worker')))
    .toBe(true);
});

test('Ctrl-C ends npm start whole: no server, no watcher left', async () => {
  const ended = new Promise((resolve) => server!.once('exit', resolve));
  process.kill(-server!.pid!, 'SIGINT'); // what a terminal sends the foreground group
  await ended;
  await expect
    .poll(() => {
      try {
        process.kill(-server!.pid!, 0); // throws once no process of the group is left
        return 'still running';
      } catch {
        return 'gone';
      }
    })
    .toBe('gone');
  await expect(fetch(`${ORIGIN}/`)).rejects.toThrow();
});
