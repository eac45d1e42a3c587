/**
 * The browser tests' `test`: Playwright's, with a guard on every test (issue 6, privacy). The
 * lab promises that MNIST, the wasm binaries and the recorded run all come from its own origin
 * and that nothing a user computes goes out; the guard fails any test in which something tried.
 *
 * Two ways out, two watches:
 * - a request that reaches the network (a navigation, say, which no CSP governs) passes the
 *   context's router, which sees the page's and its workers' requests alike: one for another
 *   origin is recorded and aborted, so it never leaves either;
 * - a request the Content-Security-Policy blocks never reaches the network, so no request event
 *   ever fires for it. The test build's policy reports each violation to the app's own origin
 *   (csp.config.ts), from the page and from workers, and the router records those reports.
 * Reports travel on their own, so the guard lets them land (`settle`) before it judges.
 */
import {
  type Browser,
  type BrowserContext,
  type Page,
  test as base,
  expect,
} from '@playwright/test';
import { appendFileSync, mkdirSync } from 'node:fs';
import { CSP_REPORT_PATH } from '../../csp.config';
import { TEST_ORIGIN } from '../browser';

/** In-page schemes that never reach a network. */
const LOCAL = ['data:', 'blob:', 'about:'];
/** Where each test's tally goes, for the issue note (test-results/ is cleared at every run). */
const TALLY = 'test-results/origin-guard.jsonl';

export class OriginGuard {
  /** Requests for another origin, aborted by the router. */
  readonly foreign: string[] = [];
  /** What the CSP blocked, from its reports. */
  readonly violations: string[] = [];
  /** Same-origin requests that went through the router. */
  requests = 0;
  private readonly expected: RegExp[] = [];
  private readonly contexts: BrowserContext[] = [];

  /** `origin`: the app's, the only one allowed (the test build's server unless a test says). */
  constructor(readonly origin: string = TEST_ORIGIN) {}

  private isLocal(url: string): boolean {
    return url.startsWith(`${this.origin}/`) || LOCAL.some((s) => url.startsWith(s));
  }

  async watch(context: BrowserContext): Promise<void> {
    this.contexts.push(context);
    await context.route('**/*', async (route) => {
      const request = route.request();
      const url = request.url();
      if (url === `${this.origin}${CSP_REPORT_PATH}`) {
        this.violations.push(describeReport(request.postData()));
        return route.fulfill({ status: 204 });
      }
      if (this.isLocal(url)) {
        this.requests++;
        return route.fallback();
      }
      this.foreign.push(`${request.method()} ${url} (${request.resourceType()})`);
      return route.abort('blockedbyclient');
    });
  }

  /** Everything that tried to leave, in words. */
  problems(): string[] {
    return [
      ...this.foreign.map((f) => `left the origin: ${f}`),
      ...this.violations.map((v) => `blocked by the CSP: ${v}`),
    ];
  }

  /**
   * For the guard's own tests: a problem this test provokes on purpose, which must then be seen.
   */
  expectCaught(pattern: RegExp): void {
    this.expected.push(pattern);
  }

  /** Lets reports in flight land: one round trip through every open page, then a short wait. */
  async settle(): Promise<void> {
    const pages = this.contexts.flatMap((c) => c.pages()).filter((p) => !p.isClosed());
    await Promise.all(pages.map((p) => p.evaluate(() => 0).catch(() => 0)));
    await new Promise((r) => setTimeout(r, 250));
  }

  /** The verdict: no unexpected problem, and every expected one seen. */
  judge(): void {
    const problems = this.problems();
    expect(
      problems.filter((p) => !this.expected.some((e) => e.test(p))),
      'requests that tried to leave the app origin',
    ).toEqual([]);
    for (const e of this.expected)
      expect(
        problems.some((p) => e.test(p)),
        `the guard saw nothing matching ${e}`,
      ).toBe(true);
  }
}

function describeReport(body: string | null): string {
  try {
    const r =
      (JSON.parse(body ?? '') as { 'csp-report'?: Record<string, string> })['csp-report'] ?? {};
    return `${r['effective-directive'] ?? r['violated-directive']} blocked ${r['blocked-uri']} (in ${r['document-uri']})`;
  } catch {
    return `an unreadable report: ${body?.slice(0, 200)}`;
  }
}

/** Every context the test opens is watched too, not just the default one. */
function watchNewContexts(browser: Browser, guard: OriginGuard): () => void {
  const original = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await original(options);
    await guard.watch(context);
    return context;
  };
  return () => void (browser.newContext = original);
}

export const test = base.extend<{ originGuard: OriginGuard }>({
  originGuard: [
    async ({ context, browser, baseURL }, use, testInfo) => {
      // The app's origin is the one the test opens: the test build's server (playwright.config.ts)
      // unless the test names another (`test.use({ baseURL })`, as start.spec.ts does).
      const guard = new OriginGuard(baseURL ? new URL(baseURL).origin : TEST_ORIGIN);
      await guard.watch(context);
      const restore = watchNewContexts(browser, guard);
      try {
        await use(guard);
      } finally {
        restore();
      }
      await guard.settle();
      mkdirSync('test-results', { recursive: true });
      appendFileSync(
        TALLY,
        `${JSON.stringify({ test: testInfo.titlePath.join(' › '), requests: guard.requests, foreign: guard.foreign.length, violations: guard.violations.length })}\n`,
      );
      guard.judge();
    },
    { auto: true },
  ],
});

export { expect };
export type { Page } from '@playwright/test';

/** Opens the lab at `url` once its heading shows; the page's uncaught errors, as they come. */
export async function openLab(page: Page, url: string): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Lottery Ticket Lab' })).toBeVisible();
  return problems;
}

/**
 * Opens the lab at `url` in a 1280×720 window, runs it and waits until it is done; the page's
 * uncaught errors, as they come.
 */
export async function runToEnd(page: Page, url: string, timeout = 120_000): Promise<string[]> {
  await page.setViewportSize({ width: 1280, height: 720 });
  const problems = await openLab(page, url);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', { timeout });
  return problems;
}
