/**
 * The first load (issue 17): what a first visit to the lab fetches, and how soon its first screen
 * can be used, measured in headless Chromium against the production build `npm run bench` serves.
 *
 * A visit is a fresh browser profile (no HTTP cache, no Cache Storage, no IndexedDB) opening the
 * lab's address. Its bytes are every response from the lab's origin from navigation until the
 * network has been quiet for a second after the first screen: the page's JavaScript, the
 * workers' JavaScript (the lab's worker and the chunks it imports), the document and its styles,
 * and the data the first screen fetches (JSON, binaries, wasm). Raw is what the server sent
 * decoded; gzip is the same bodies at gzip -9, what a host that compresses would send.
 *
 * Time to the first screen: from navigation start until the first animation frame in which the Run
 * button is laid out and enabled has been painted (what a visitor waits for before the lab can be used), read in
 * the page with `performance.now()`; first contentful paint beside it, from the Paint Timing API.
 * Medians over several visits, each in a fresh profile.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Browser, Response } from 'playwright-core';
import { benchmarksMarkdown } from './report';
import type { BenchResults } from './results';

/** Bytes of one kind of file, and which files they were (paths on the lab's origin). */
export interface LoadBytes {
  raw: number;
  gzip: number;
  files: string[];
}

export interface FirstLoadFigures {
  /** When, as an ISO date: `npm run bench -- --first-load` leaves the other figures as they were. */
  measuredAt: string;
  pageJs: LoadBytes;
  workerJs: LoadBytes;
  /** The HTML document and its stylesheets. */
  document: LoadBytes;
  /** Everything else the first visit fetches: JSON, binaries, wasm. */
  data: LoadBytes;
  /** Navigation start → the first frame with Run laid out and enabled painted, median of visits. */
  firstScreenMs: number;
  /** First contentful paint (Paint Timing API), median over the visits. */
  firstContentfulPaintMs: number;
  /** Each visit's figures, in order. */
  visits: { firstScreenMs: number; firstContentfulPaintMs: number }[];
}

type Kind = 'pageJs' | 'workerJs' | 'document' | 'data';

/**
 * Watches the first frame in which Run can be clicked. A string, not a function: tsx's helpers
 * for named functions do not exist in the page.
 */
const WATCH_RUN = `(() => {
  const tick = () => {
    const run = document.querySelector('[data-testid="run"]');
    if (run && !run.disabled && run.getClientRects().length > 0) {
      // A task queued in the frame's animation callbacks runs once the frame is painted.
      setTimeout(() => (window.__firstScreenMs = performance.now()));
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

/**
 * A worker's own script says so (Fetch Metadata), and so do the chunks it imports; a worker that
 * a worker starts (the kernels' threads) is known by its entry's name, `*.worker-<hash>.js`.
 */
async function kindOf(response: Response): Promise<Kind> {
  const type = response.headers()['content-type'] ?? '';
  const path = new URL(response.url()).pathname;
  if (type.includes('javascript') || path.endsWith('.js')) {
    const dest = (await response.request().allHeaders())['sec-fetch-dest'];
    return dest === 'worker' || /\.worker-[\w-]+\.js$/.test(path) ? 'workerJs' : 'pageJs';
  }
  return type.includes('text/html') || type.includes('text/css') ? 'document' : 'data';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One visit in a fresh profile: its responses by kind, and its two times. */
async function visit(browser: Browser, origin: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.addInitScript(WATCH_RUN);
  const bodies: Promise<{ kind: Kind; path: string; body: Buffer }>[] = [];
  let inFlight = 0;
  let lastActivity = Date.now();
  context.on('request', () => {
    inFlight++;
    lastActivity = Date.now();
  });
  const settled = () => {
    inFlight--;
    lastActivity = Date.now();
  };
  context.on('requestfailed', settled);
  context.on('requestfinished', (request) => {
    settled();
    const url = request.url();
    if (!url.startsWith(`${origin}/`)) return;
    bodies.push(
      request.response().then(async (response) => ({
        kind: await kindOf(response!),
        path: new URL(url).pathname,
        body: await response!.body(),
      })),
    );
  });
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => '__firstScreenMs' in window, null, { timeout: 120_000 });
  // The first load is over when nothing has been asked for or answered for a second.
  const quietSince = Date.now();
  while (inFlight > 0 || Date.now() - lastActivity < 1000) {
    if (Date.now() - quietSince > 60_000) break;
    await page.waitForTimeout(100);
  }
  const times = await page.evaluate(() => ({
    firstScreenMs: (window as unknown as { __firstScreenMs: number }).__firstScreenMs,
    firstContentfulPaintMs:
      performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
  }));
  const files = await Promise.all(bodies);
  await context.close();
  return { times, files };
}

const empty = (): LoadBytes => ({ raw: 0, gzip: 0, files: [] });

/** `visits` first visits to the lab at `origin`; bytes from the first, times over all. */
export async function firstLoadFigures(
  browser: Browser,
  origin: string,
  visits = 5,
): Promise<FirstLoadFigures> {
  const runs = [];
  for (let i = 0; i < visits; i++) runs.push(await visit(browser, origin));
  const bytes: Record<Kind, LoadBytes> = {
    pageJs: empty(),
    workerJs: empty(),
    document: empty(),
    data: empty(),
  };
  for (const { kind, path, body } of runs[0]!.files) {
    bytes[kind].raw += body.length;
    bytes[kind].gzip += gzipSync(body, { level: 9 }).length;
    bytes[kind].files.push(path);
  }
  const times = runs.map((r) => r.times);
  return {
    measuredAt: new Date().toISOString(),
    ...bytes,
    firstScreenMs: median(times.map((t) => t.firstScreenMs)),
    firstContentfulPaintMs: median(times.map((t) => t.firstContentfulPaintMs)),
    visits: times,
  };
}

const kB = (b: LoadBytes) =>
  `${Math.round(b.raw / 1000)} KB (${Math.round(b.gzip / 1000)} KB gzip)`;

/** The figures in one line, for the bench's log. */
export function firstLoadLine(f: FirstLoadFigures): string {
  return `first load: page JS ${kB(f.pageJs)}, workers' JS ${kB(f.workerJs)}, document ${kB(f.document)}, data ${kB(f.data)}; Run ready ${Math.round(f.firstScreenMs)} ms, first contentful paint ${Math.round(f.firstContentfulPaintMs)} ms (medians of ${f.visits.length} visits)`;
}

/**
 * `npm run bench -- --first-load`: the first load measured alone, written into the results (and
 * the page made from them) beside every other figure as it was.
 */
export function keepFirstLoad(firstLoad: FirstLoadFigures): void {
  const results = JSON.parse(readFileSync('bench/results.json', 'utf8')) as BenchResults;
  const updated: BenchResults = { ...results, firstLoad };
  writeFileSync('bench/results.json', JSON.stringify(updated, null, 2) + '\n');
  writeFileSync('docs/benchmarks.md', benchmarksMarkdown(updated));
  console.log('[bench] wrote the first load into bench/results.json and docs/benchmarks.md');
}
