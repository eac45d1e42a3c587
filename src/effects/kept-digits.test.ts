// @vitest-environment happy-dom
/**
 * The kept digits (issue 16) through the page's own effects: kept from the pad, stored in this
 * browser and read back by a fresh page, deleted, exported and imported; a bad file or a full
 * storage says so and changes nothing.
 */
import { describe, expect, it, vi } from 'vitest';
import { decodeKept, encodeKept } from '../digits/kept';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import { captureDownloads, fileOf, fx, reloadPage, state } from './effects.testing';

const mnist = loadMnistFromDisk();
const digit = (i: number) => mnist.testImages.slice(i * 784, (i + 1) * 784);

let kept: typeof import('./kept-digits');
async function page() {
  await reloadPage();
  kept = await import('./kept-digits');
  void fx;
}

const draw = (i: number) => state().padDrawn(digit(i));

describe('kept digits', () => {
  it('keeps the drawing with its label, and a reloaded page finds it', async () => {
    await page();
    kept.keepDigit(7);
    expect(state().keptDigits).toEqual([]);
    expect(state().digitsMessage?.text).toMatch(/Draw a digit first/);
    draw(0);
    kept.keepDigit(mnist.testLabels[0]!);
    draw(1);
    kept.keepDigit(mnist.testLabels[1]!);
    kept.keepDigit(mnist.testLabels[1]!);
    expect(state().digitsMessage?.text).toMatch(/already kept/);
    expect(state().keptDigits.map((d) => d.label)).toEqual([7, 2]);

    await page();
    expect(state().keptDigits).toEqual([]);
    kept.loadKeptDigits();
    expect(state().keptDigits.map((d) => d.label)).toEqual([7, 2]);
    expect(Array.from(state().keptDigits[1]!.pixels)).toEqual(Array.from(digit(1)));

    kept.deleteKeptDigit(state().keptDigits[0]!.id);
    expect(state().keptDigits.map((d) => d.label)).toEqual([2]);
    await page();
    kept.loadKeptDigits();
    expect(state().keptDigits.map((d) => d.label)).toEqual([2]);
  });

  it('exports the kept digits as a file that imports back into an empty browser', async () => {
    await page();
    for (const i of [0, 1, 2]) {
      draw(i);
      kept.keepDigit(mnist.testLabels[i]!);
    }
    const downloads = captureDownloads();
    kept.exportKeptDigits();
    expect(downloads.map((d) => d.name)).toEqual(['kept-digits.json']);
    const text = await downloads[0]!.blob.text();
    expect(decodeKept(text)).toEqual({ ok: true, digits: state().keptDigits });

    localStorage.clear();
    await page();
    kept.loadKeptDigits();
    expect(state().keptDigits).toEqual([]);
    await kept.importKeptDigits(fileOf(text, 'mine.json'));
    expect(state().keptDigits.map((d) => d.label)).toEqual([7, 2, 1]);
    expect(state().digitsMessage).toEqual({
      error: false,
      text: expect.stringMatching(/Imported 3 digits from “mine.json”/),
    });
    // Again: nothing new.
    await kept.importKeptDigits(fileOf(text, 'mine.json'));
    expect(state().keptDigits).toHaveLength(3);
    expect(state().digitsMessage?.text).toMatch(/Imported 0 digits .*\(3 already kept\)/);
  });

  it('a bad file says what is wrong and changes nothing, in the page or in storage', async () => {
    await page();
    draw(0);
    kept.keepDigit(7);
    const before = localStorage.getItem(kept.KEPT_KEY);
    const list = state().keptDigits;
    const bad = encodeKept(list).replace(/"label":7/, '"label":12');
    for (const [text, message] of [
      ['hello', /“bad.json” was not imported: not a kept-digits file: it is not JSON/],
      [bad, /its label 12 is not a digit 0–9/],
    ] as const) {
      await kept.importKeptDigits(fileOf(text, 'bad.json'));
      expect(state().digitsMessage).toEqual({ error: true, text: expect.stringMatching(message) });
      expect(state().keptDigits).toBe(list);
      expect(localStorage.getItem(kept.KEPT_KEY)).toBe(before);
    }
  });

  it('a full storage says so and keeps the list as it was', async () => {
    await page();
    draw(0);
    kept.keepDigit(7);
    const list = state().keptDigits;
    const full = vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    draw(1);
    kept.keepDigit(2);
    expect(state().keptDigits).toBe(list);
    expect(state().digitsMessage).toEqual({
      error: true,
      text: expect.stringMatching(/could not be stored .*QuotaExceededError.*nothing changed/),
    });
    full.mockRestore();
  });

  it('a damaged stored list is reported and left as it is', async () => {
    localStorage.setItem('lottery-ticket-lab:kept-digits', '{"format":"nope"}');
    await page();
    kept.loadKeptDigits();
    expect(state().keptDigits).toEqual([]);
    expect(state().digitsMessage?.text).toMatch(/could not be read \(not a kept-digits file/);
    expect(localStorage.getItem('lottery-ticket-lab:kept-digits')).toBe('{"format":"nope"}');
  });
});
