/**
 * The lab's interface in a real browser: sliders → config → URL hash → reload, every figure
 * fed by a real run, the side-by-side view, classroom links, keyboard, presenter mode, and a
 * fuzzed hash that must never break the page. `npm run screenshots` saves the pictures in docs/.
 */
import { mkdirSync } from 'node:fs';
import { type Page, expect, test } from './fixtures';
import { Rng } from '../../src/engine/rng';
import { FIELDS } from '../../src/settings/fields';
import { longTasksSince, pageNow, pauseLatency, watchResponsiveness } from '../responsiveness';

const SHOTS = process.env.SCREENSHOTS_DIR ?? 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

const TINY =
  '#rounds=2&iterations=60&evalEvery=10&validation=300&test=300&controls=reinit,rearrange&backend=wasm';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('sliders set the config, the URL hash keeps it, and a reload restores it', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByTestId('setting-rounds').fill('12');
  await expect(page.getByTestId('planned-remaining')).toHaveText(
    'after 12 rounds: 7.0% of weights remain',
  );
  await page.getByTestId('setting-rounds').fill('7');
  await expect(page.getByTestId('planned-remaining')).toHaveText(
    'after 7 rounds: 21.1% of weights remain',
  );
  await page.getByTestId('setting-rate').fill('0.3');
  await expect(page.getByTestId('value-rate')).toHaveText('30%');
  await page.getByTestId('setting-scope').selectOption('global');
  await page.getByTestId('setting-controls-random').check();
  await expect.poll(() => new URL(page.url()).hash).toContain('rounds=7');
  const hash = new URL(page.url()).hash;
  expect(hash).toContain('rate=0.3');
  expect(hash).toContain('scope=global');
  expect(hash).toMatch(/controls=[a-z,]*random/);

  await page.reload();
  await expect(page.getByTestId('value-rounds')).toHaveText('7');
  await expect(page.getByTestId('value-rate')).toHaveText('30%');
  await expect(page.getByTestId('setting-scope')).toHaveValue('global');
  await expect(page.getByTestId('setting-controls-random')).toBeChecked();
  expect(errors).toEqual([]);
});

test('a run feeds every figure, the scrubber moves them, and the side-by-side view shows both variants', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`/${TINY}`);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000,
  });

  // 1: 7 evaluations × (1 + 3 + 3) variant-rounds; 2, 3: a line per variant; 4: 3 layers × 3
  // rounds.
  await expect(page.getByTestId('figure-accuracy')).toHaveAttribute('data-points', String(7 * 7));
  for (const id of ['early-stop', 'accuracy-pm'])
    await expect(page.getByTestId(`figure-${id}`).getByTestId('stream-line')).toHaveCount(3);
  await expect(page.getByTestId('figure-remaining').getByTestId('layer-bar')).toHaveCount(9);
  await expect(page.getByTestId('histogram-layer')).toHaveCount(3);
  expect(Number(await page.getByTestId('pixel-map').getAttribute('data-total'))).toBeGreaterThan(0);
  await expect(page.getByTestId('figure-loss').getByTestId('stream-line')).toHaveCount(6);
  await expect(page.getByTestId('figure-accuracy').getByTestId('stream-marker')).toHaveCount(3 + 2); // early stops: 3 tickets + the shown round's 2 controls

  // The scrubber: round 0 is the dense net, every weight survives.
  await page.getByTestId('scrub-round').fill('0');
  await expect(page.getByTestId('scrub-label')).toContainText('round 0 · 100.0%');
  await expect(page.getByTestId('histogram-layer').first()).toHaveAttribute(
    'data-surviving',
    String(784 * 300),
  );
  await page.getByTestId('scrub-round').fill('2');
  await expect(page.getByTestId('histogram-layer').first()).toHaveAttribute(
    'data-surviving',
    String(Math.round(0.8 * Math.round(0.8 * 784 * 300))),
  );

  // Side by side, at the same P_m, in words too.
  await expect(page.getByTestId('compare-ticket')).toBeVisible();
  await expect(page.getByTestId('compare-reinit')).toBeVisible();
  // One seed: the difference in pp, the test set's error, and a word that one seed is not enough.
  await expect(page.getByTestId('compare-verdict')).toContainText(
    /^At 64\.\d% of weights \(round 2, the latest finished with random reinit\): the winning ticket is (ahead of|behind) random reinit by \d+\.\d pp \(the test set alone varies by ±\d+\.\d pp\); one seed: run 3 or more to tell this from seed noise\.$/,
  );
  await page.getByTestId('compare-with').selectOption('rearrange');
  await expect(page.getByTestId('compare-rearrange')).toBeVisible();
  await expect(page.getByTestId('compare-verdict')).toContainText('rearranged');
  expect(errors).toEqual([]);
});

test('keys act on the focused control and start nothing; with no control focused they drive the run', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/#hide=lr,seed,batch&iterations=2000&validation=200&test=200&backend=wasm');
  await expect(page.getByTestId('setting-rate')).toBeVisible();
  for (const k of ['lr', 'seed', 'batch'])
    await expect(page.getByTestId(`setting-${k}`)).toHaveCount(0);
  const state = page.getByTestId('state');
  const idle = await state.getAttribute('data-state');

  // A focused slider moves with → as with ←; a checkbox ticks and a preset button presses with
  // space; held keys repeat on the control. None of them starts a run (issue 15).
  const rate = page.getByTestId('setting-rate');
  await rate.focus();
  const before = Number(await rate.inputValue());
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => Number(await rate.inputValue())).toBeGreaterThan(before);
  const random = page.getByTestId('setting-controls-random');
  const ticked = await random.isChecked();
  await random.focus();
  await page.keyboard.press(' ');
  await expect(random).toBeChecked({ checked: !ticked });
  await page.getByTestId('preset-quick').focus();
  await page.keyboard.down(' ');
  await page.keyboard.down(' '); // a repeat
  await page.keyboard.up(' ');
  await expect(page.getByTestId('value-iterations')).not.toHaveText('2,000');
  await page.getByTestId('run').focus();
  await page.keyboard.press('p');
  await expect(page.getByTestId('lab')).toHaveAttribute('data-presenter', 'true');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('lab')).toHaveAttribute('data-presenter', 'false');
  await page.waitForTimeout(500); // a run would have started by now
  await expect(state).toHaveAttribute('data-state', idle!);
  await expect(page.getByTestId('round-row')).toHaveCount(0);

  // Presenter mode by mouse hands the keys back to the lab: space runs, pauses and resumes.
  await page.getByTestId('presenter-toggle').click();
  await expect(page.getByTestId('lab')).toHaveAttribute('data-presenter', 'true');
  await expect(page.getByRole('region', { name: 'Settings' })).toHaveCount(0);
  await expect.poll(() => new URL(page.url()).hash).toContain('presenter=1');
  await page.keyboard.press(' ');
  await expect(state).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await page.keyboard.press(' ');
  await expect(state).toHaveAttribute('data-state', 'paused');
  await page.keyboard.press(' ');
  await expect(state).toHaveAttribute('data-state', 'running');
  await page.getByTestId('stop').click();
  await expect(state).toHaveAttribute('data-state', 'stopped');
  await page.keyboard.press('p');
  await expect(page.getByTestId('lab')).toHaveAttribute('data-presenter', 'false');
  expect(errors).toEqual([]);
});

test('a fuzzed URL hash never breaks the page: every link loads, with notices for what it changed', async ({
  page,
}) => {
  const errors = watchErrors(page);
  const rng = new Rng(2026, 'e2e-hash-fuzz');
  const keys = [...FIELDS.map((f) => f.key), 'hide', 'presenter', 'bogus', ''];
  const junk = [
    '',
    'NaN',
    '-1',
    '1e999',
    'abc',
    '%E0%A4%A',
    '0.5',
    '99999999',
    'reinit,,zzz',
    '<script>',
    '&&',
    '=',
    'global',
    'rewind',
    '1,2,3',
  ];
  const links = [
    '#iterations=abc',
    '#rate=7&rounds=-3',
    '#' + 'x'.repeat(6000),
    '#%%%',
    '#hide=everything&presenter=maybe',
  ];
  for (let i = 0; i < 15; i++) {
    const n = 1 + rng.int(6);
    links.push(
      '#' +
        Array.from(
          { length: n },
          () => `${keys[rng.int(keys.length)]}=${junk[rng.int(junk.length)]}`,
        ).join('&'),
    );
  }
  for (const link of links) {
    await page.goto(`/${link}`);
    await expect(page.getByRole('heading', { name: 'Lottery Ticket Lab' })).toBeVisible();
    await expect(page.getByTestId('run')).toBeEnabled();
    // The page rewrote the link into a valid one that reloads without complaint.
    const canonical = new URL(page.url()).hash;
    await page.goto(`/${canonical}`);
    await page.reload();
    await expect(page.getByTestId('notice')).toHaveCount(0);
  }
  await page.goto('/#iterations=abc');
  await expect(page.getByTestId('notice').first()).toContainText('iterations');
  expect(errors).toEqual([]);
});

test('the main thread stays responsive while a run streams to every chart', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await watchResponsiveness(page);
  await page.goto(
    '/#rounds=3&iterations=300&evalEvery=20&validation=500&test=500&controls=reinit,rearrange&backend=wasm',
  );
  await page.getByTestId('run').waitFor();
  const runFrom = await pageNow(page); // loading the page is not the run
  // The run is stepped: each round holds at its end until the test lets it go on, so each pause
  // is clicked in a round that has most of its 300 steps ahead, however fast this machine trains.
  // Round 0 trains the dense net alone (shorter steps than rounds 1–2's three variants), so the
  // median of the three pauses leans a little towards the faster rounds: read it as such.
  const state = page.getByTestId('state');
  const pauses: number[] = [];
  await page.getByTestId('step').click(); // starts the run: round 0, then hold
  for (let round = 0; round < 3; round++) {
    await expect(page.getByTestId('progress')).toContainText(`round ${round} · `, {
      timeout: 120_000,
    }); // training, past the round's start
    pauses.push(await pauseLatency(page));
    if (round === 2) break;
    await page.getByTestId('step').click(); // on to this round's end, and hold there
    await expect(state).toHaveText(`paused (after round ${round})`, { timeout: 120_000 });
    await page.getByTestId('step').click(); // the next round, then hold
  }
  await page.getByTestId('resume').click(); // round 2 goes on, and round 3 after it
  // Screenshots and the presenter toggle re-lay out the whole page: not chart updates, so the
  // tasks they cause are left out of the count below.
  const shotFrom = await pageNow(page);
  await page.screenshot({ path: `${SHOTS}/lab-midrun-1280x720.png` });
  await page.keyboard.press('p'); // presenter mode's pictures come from layout.spec.ts
  await page.keyboard.press('p');
  await page.waitForTimeout(200);
  const shotTo = await pageNow(page);
  const pauseMs = [...pauses].sort((a, b) => a - b)[1]!;
  await expect(state).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const longTasks = await longTasksSince(page, runFrom, [[shotFrom, shotTo]]);
  const worst = Math.max(0, ...longTasks);
  const said = `${longTasks.length} tasks over 50 ms, longest ${worst.toFixed(0)} ms; Pause shown ${pauses.map((p) => p.toFixed(0)).join(', ')} ms after the click`;
  test.info().annotations.push({ type: 'main thread', description: said });
  console.log(`main thread during the run: ${said}`);
  // Issue 3: Pause answers within 200 ms, from the click to the page showing it (the worker
  // holds at its next checkpoint: a step of three variants on tfjs-wasm takes ~60 ms here).
  expect(pauseMs).toBeLessThan(200);
  // Measured in the page since the load is left out: 0 to 2 long tasks a run, the longest 74 ms
  // (with a second test run on the same two cores), Pause 15–143 ms. The README says the same.
  // The bounds leave room for a noisy CI machine and catch a regression (recharts' line charts
  // once caused 42 a run, the longest 127 ms).
  expect(longTasks.length).toBeLessThanOrEqual(2);
  expect(worst).toBeLessThan(100);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: `${SHOTS}/lab-done-1920x1080.png` });
});
