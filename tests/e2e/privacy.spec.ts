/**
 * Privacy (issue 6): the policy the app is served with, and the same-origin guard itself
 * (fixtures.ts). Each test provokes one way out on purpose and checks the guard saw it: a fetch
 * the CSP blocks in the page, in a worker, in the lab's own worker, and a navigation the router
 * aborts. The last test leaks without telling the guard, and must fail for it.
 */
import { CSP, TEST_CSP } from '../../csp.config';
import { expect, test } from './fixtures';

const AWAY = 'http://127.0.0.2:9';

test('the app is served with its Content-Security-Policy, as a header and in the page', async ({
  page,
}) => {
  const response = await page.goto('/');
  expect(response?.headers()['content-security-policy']).toBe(TEST_CSP);
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
    'content',
    CSP,
  );
  expect(CSP).toContain("connect-src 'self'");
  expect(CSP).not.toMatch(/https?:\/\//); // no remote origin is allowed anything
});

test('a fetch from the page to another origin is blocked by the policy, and its report is caught', async ({
  page,
  originGuard,
}) => {
  originGuard.expectCaught(/blocked by the CSP: connect-src blocked http:\/\/127\.0\.0\.2:9\/page/);
  await page.goto('/');
  const outcome = await page.evaluate(
    (url) =>
      fetch(url).then(
        () => 'sent',
        (e: unknown) => String(e),
      ),
    `${AWAY}/page`,
  );
  expect(outcome).toContain('Failed to fetch');
  await expect.poll(() => originGuard.violations.length).toBe(1);
});

test('a fetch from a worker to another origin is blocked, and its report is caught', async ({
  page,
  originGuard,
}) => {
  originGuard.expectCaught(
    /blocked by the CSP: connect-src blocked http:\/\/127\.0\.0\.2:9\/worker/,
  );
  await page.goto('/');
  const outcome = await page.evaluate(
    (url) =>
      new Promise<string>((done) => {
        const source = `fetch(${JSON.stringify(url)}).then(() => postMessage('sent'), (e) => postMessage(String(e)))`;
        const w = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
        w.onmessage = (e: MessageEvent<string>) => done(e.data);
      }),
    `${AWAY}/worker`,
  );
  expect(outcome).toContain('Failed to fetch');
  await expect.poll(() => originGuard.violations.length).toBe(1);
});

test("a fetch from the lab's own worker to another origin is blocked by the policy it is served with", async ({
  page,
  originGuard,
}) => {
  originGuard.expectCaught(
    /blocked by the CSP: connect-src blocked http:\/\/127\.0\.0\.2:9\/lab-worker/,
  );
  await page.goto('/');
  await page.getByTestId('setting-backend').selectOption('cpu'); // starts the lab's worker
  await expect(page.getByTestId('backend')).toContainText(/^cpu · /);
  const reply = await page.evaluate(
    (url) => window.__lab!.send({ type: 'test', kind: 'fetch', url }),
    `${AWAY}/lab-worker`,
  );
  expect(reply.detail).toContain('Failed to fetch');
  await expect.poll(() => originGuard.violations.length).toBe(1);
});

test('a navigation to another origin (which no CSP governs) is aborted by the router, and recorded', async ({
  page,
  originGuard,
}) => {
  originGuard.expectCaught(/left the origin: GET http:\/\/127\.0\.0\.2:9\/away \(document\)/);
  await page.goto('/');
  await page.evaluate((url) => void (location.href = url), `${AWAY}/away`).catch(() => undefined);
  await expect.poll(() => originGuard.foreign).toEqual([`GET ${AWAY}/away (document)`]);
});

test('a leak the test did not announce fails the test', async ({ page }) => {
  test.fail(true, 'the guard must fail this test: its page fetches another origin');
  await page.goto('/');
  await page.evaluate((url) => fetch(url).catch(() => undefined), `${AWAY}/unannounced`);
});
