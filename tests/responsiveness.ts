/**
 * What a user feels while a run streams, measured inside the page: the main thread's long tasks
 * and how long Pause takes to show. Shared by the interface's browser test and the benchmark.
 * Times are the page's own (performance.now()), so Playwright's round trips and polling do not
 * count; the page load before Run is not part of a run.
 */
import type { Page } from 'playwright-core';

interface Watched {
  longTasks: [start: number, duration: number][];
  pauseClicked: number | null;
  pausedShown: number | null;
}

const watched = (page: Page) => page.evaluate(() => (window as unknown as { lab: Watched }).lab);

/** Before the page loads: record every long task, and when Pause is clicked and when it shows. */
export async function watchResponsiveness(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { lab: Watched };
    w.lab = { longTasks: [], pauseClicked: null, pausedShown: null };
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => w.lab.longTasks.push([e.startTime, e.duration])),
    ).observe({ type: 'longtask', buffered: true });
    // Capture runs before React's own listener: from the input, not from its handler.
    document.addEventListener(
      'click',
      (e) =>
        (e.target as Element | null)?.closest('[data-testid="pause"]') &&
        (w.lab.pauseClicked = performance.now()),
      { capture: true },
    );
    new MutationObserver(() => {
      if (
        w.lab.pauseClicked !== null &&
        w.lab.pausedShown === null &&
        document.querySelector('[data-testid="state"][data-state="paused"]')
      )
        w.lab.pausedShown = performance.now();
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  });
}

/** The page's clock now. */
export const pageNow = (page: Page): Promise<number> => page.evaluate(() => performance.now());

/**
 * Clicks Pause and waits for the page to show it: milliseconds from the click to 'paused' in the
 * DOM.
 */
export async function pauseLatency(page: Page): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { lab: Watched };
    w.lab.pauseClicked = w.lab.pausedShown = null;
  });
  await page.getByTestId('pause').click();
  await page.locator('[data-testid="state"][data-state="paused"]').waitFor();
  const { pauseClicked, pausedShown } = await watched(page);
  if (pauseClicked === null || pausedShown === null)
    throw new Error('the pause was not seen in the page');
  return pausedShown - pauseClicked;
}

/** Durations of the long tasks that started after `since`, outside the windows `except`. */
export async function longTasksSince(
  page: Page,
  since: number,
  except: [from: number, to: number][] = [],
): Promise<number[]> {
  const { longTasks } = await watched(page);
  return longTasks
    .filter(
      ([start]) => start >= since && !except.some(([from, to]) => start >= from && start <= to),
    )
    .map(([, duration]) => duration);
}
