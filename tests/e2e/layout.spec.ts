/**
 * Issue 15: the lab on a phone and on a projector. At 390×844 Run is in the first screen, the page
 * never scrolls sideways (tables scroll inside their card) and every chart's text is readable; in
 * presenter mode at 1280×720 and 1920×1080 each figure fills a screen, its words are projector
 * size and no two texts in a figure overlap.
 */
import { mkdirSync } from 'node:fs';
import { type Page, expect, test } from './fixtures';

const SHOTS = process.env.SCREENSHOTS_DIR ?? 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

const TINY =
  '#rounds=2&iterations=60&evalEvery=10&validation=300&test=300&controls=reinit,rearrange&backend=wasm';

async function finishTinyRun(page: Page) {
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('history-row').first()).toBeVisible();
  await expect(page.getByTestId('histogram-layer').first()).toBeVisible();
}

/** Every SVG text the page draws, with its size on screen: font size × the SVG's own scale. */
function svgTextSizes(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<SVGTextElement>('svg text'))
      .filter((t) => (t.textContent ?? '').trim() !== '' && t.getClientRects().length > 0)
      .map((t) => {
        const m = t.getScreenCTM()!;
        const scale = Math.hypot(m.a, m.b);
        return { text: t.textContent!, px: parseFloat(getComputedStyle(t).fontSize) * scale };
      }),
  );
}

test('at 390×844 Run is in the first screen, nothing scrolls sideways and chart text is readable', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/${TINY}`);
  const run = await page.getByTestId('run').boundingBox();
  expect(run, 'Run is laid out').not.toBeNull();
  // Soft: a failure names each of the three promises it breaks.
  expect.soft(run!.y + run!.height, 'Run ends within the first screen').toBeLessThanOrEqual(844);
  await finishTinyRun(page);

  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect.soft(width, 'the page is no wider than the phone').toBeLessThanOrEqual(390);
  // Wide tables scroll inside their card: their last column is still reachable.
  await expect(page.getByTestId('history-delete').first()).toBeAttached();
  const sizes = await svgTextSizes(page);
  expect(sizes.length).toBeGreaterThan(20);
  const small = sizes.filter((s) => s.px < 11).map((s) => `${s.text} ${s.px.toFixed(1)}px`);
  expect.soft(small, 'chart text under 11 px').toEqual([]);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/phone-390x844.png` });
});

/** Text boxes inside one figure that overlap, by pairs, and those smaller than `minPx`. */
function presenterProblems(page: Page, selector: string, minPx: number) {
  return page.evaluate(
    ({ selector, minPx }) => {
      const el = document.querySelector(selector)!;
      const texts = Array.from(
        el.querySelectorAll<Element>(
          'svg text, .legend > span, figcaption, .caption, .verdict, h2, h3, .scrubber span',
        ),
      ).filter((t) => (t.textContent ?? '').trim() !== '' && t.getClientRects().length > 0);
      const boxes = texts.map((t) => ({ t, r: t.getBoundingClientRect() }));
      const overlaps: string[] = [];
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i]!, boxes[j]!];
          if (a.t.contains(b.t) || b.t.contains(a.t)) continue;
          const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
          const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
          if (w > 1 && h > 1) overlaps.push(`"${a.t.textContent}" × "${b.t.textContent}"`);
        }
      // Text an SVG cuts off at its edge (a title wider than its panel).
      const clipped = boxes
        .filter(({ t, r }) => {
          const svg = t.closest('svg')?.getBoundingClientRect();
          return svg && (r.left < svg.left - 1 || r.right > svg.right + 1);
        })
        .map(({ t }) => `"${t.textContent}"`);
      const size = (t: Element) => {
        const px = parseFloat(getComputedStyle(t).fontSize);
        if (!(t instanceof SVGGraphicsElement)) return px;
        const m = t.getScreenCTM()!;
        return px * Math.hypot(m.a, m.b);
      };
      const small = [
        ...texts,
        ...Array.from(
          el.querySelectorAll('.legend, .readout, .chart-readout, [data-testid=compare-numbers]'),
        ),
      ]
        .filter((t) => size(t) < minPx)
        .map((t) => `"${(t.textContent ?? '').slice(0, 40)}" ${size(t).toFixed(1)}px`);
      return { overlaps, small, clipped, height: el.getBoundingClientRect().height };
    },
    { selector, minPx },
  );
}

for (const [w, h] of [
  [1280, 720],
  [1920, 1080],
] as const) {
  test(`presenter mode at ${w}×${h}: a figure per screen, projector-size words, nothing overlapping`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: w, height: h });
    await page.goto(`/${TINY}`);
    await finishTinyRun(page);
    await page.keyboard.press('p');
    await expect(page.getByTestId('lab')).toHaveAttribute('data-presenter', 'true');
    const bar = (await page.locator('.runbar').boundingBox())!;
    const figures = await page.locator('[data-testid^="figure-"], [data-testid=comparison]').all();
    // The paper's seven, the comparison, before training, the supermask slider and the drawing
    // pad (issue 16).
    expect(figures.length).toBe(11);
    // Every figure's problems at once, so a failure names them all.
    const problems: Record<string, string[]> = {};
    for (const f of figures) {
      const id = (await f.getAttribute('data-testid'))!;
      const p = await presenterProblems(page, `[data-testid="${id}"]`, 20);
      const found = [
        ...(p.height >= h - bar.height - 1
          ? []
          : [`${p.height.toFixed(0)} px tall, under a screen below the run bar`]),
        ...p.small.map((s) => `under 20 px: ${s}`),
        ...p.overlaps.map((o) => `overlap: ${o}`),
        ...p.clipped.map((c) => `cut off at the chart's edge: ${c}`),
      ];
      if (found.length) problems[id] = found;
    }
    expect(problems).toEqual({});
    // The picture shows what a projector shows: one figure, from its top.
    await page.getByTestId('figure-accuracy').evaluate((f) => f.scrollIntoView());
    await page.screenshot({ path: `${SHOTS}/presenter-${w}x${h}.png` });
  });
}
