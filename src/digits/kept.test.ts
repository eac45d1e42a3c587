import { describe, expect, it } from 'vitest';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import { KEPT_FORMAT, MAX_KEPT, decodeKept, encodeKept, mergeKept, type KeptDigit } from './kept';

const mnist = loadMnistFromDisk();
const real = (i: number, id = `d${i}`): KeptDigit => ({
  id,
  label: mnist.testLabels[i]!,
  keptAt: 1_700_000_000_000 + i,
  pixels: mnist.testImages.slice(i * 784, (i + 1) * 784),
});

const fileWith = (digits: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: KEPT_FORMAT, version: 1, digits, ...extra });

describe('kept digits file', () => {
  it('reads back what it wrote, byte for byte', () => {
    const digits = [real(0), real(1), real(2)];
    const back = decodeKept(encodeKept(digits));
    expect(back).toEqual({ ok: true, digits });
    if (back.ok) expect(Array.from(back.digits[1]!.pixels)).toEqual(Array.from(real(1).pixels));
  });

  it('names what is wrong with a bad file', () => {
    const good = JSON.parse(encodeKept([real(0)])).digits[0];
    const cases: [string, RegExp][] = [
      ['{not json', /not JSON/],
      ['[1,2]', /not a JSON object/],
      [JSON.stringify({ format: 'x', version: 1, digits: [] }), /format is not/],
      [fileWith([], { version: 2 }), /version 2: this lab reads version 1/],
      [JSON.stringify({ format: KEPT_FORMAT, version: 1 }), /without its list/],
      [fileWith([{ ...good, label: 10 }]), /digit 1 of 1: its label 10 is not a digit 0–9/],
      [fileWith([{ ...good, label: 2.5 }]), /label 2.5/],
      [fileWith([{ ...good, pixels: 'AAAA' }]), /3 bytes, expected 784/],
      [fileWith([{ ...good, pixels: '@@not base64' }]), /not base64/],
      [fileWith([{ ...good, keptAt: 'yesterday' }]), /time kept/],
      [fileWith([good, good]), /digit 2 of 2: its id is missing or not unique/],
      [fileWith([good, 7]), /digit 2 of 2 is not an object/],
      [fileWith(Array(MAX_KEPT + 1).fill(good)), /at most 500/],
    ];
    for (const [text, message] of cases) {
      const r = decodeKept(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(message);
    }
  });
});

describe('mergeKept', () => {
  it('adds new digits, skips ones already kept, renames a taken id', () => {
    let n = 0;
    const r = mergeKept(
      [real(0, 'a')],
      [real(0, 'z'), real(1, 'a'), real(2, 'b')],
      () => `new${n++}`,
    );
    expect('digits' in r).toBe(true);
    if (!('digits' in r)) return;
    expect(r.added).toBe(2);
    expect(r.digits.map((d) => d.id)).toEqual(['a', 'new0', 'b']);
  });

  it('refuses past MAX_KEPT and adds nothing', () => {
    const many = Array.from({ length: MAX_KEPT }, (_, i) => real(i));
    const r = mergeKept(many, [real(MAX_KEPT)], () => 'x');
    expect(r).toEqual({ message: expect.stringMatching(/501 digits: .* at most 500/) });
  });
});
