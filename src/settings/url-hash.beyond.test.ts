// Issue 16's settings in a link: read, written back, and bad values refused one by one.
import { describe, expect, it } from 'vitest';
import { D, state, valid } from './url-hash.testing';
import { encodeHash, parseHash } from './url-hash';

describe('the experiments beyond the paper, in the URL hash', () => {
  it('reads criterion, init, task, inputs and the signed control, and writes them back', () => {
    const r = parseHash(
      '#criterion=snip&init=bimodal&task=permuted&inputs=l2&controls=reinit,signed',
      D,
    );
    expect(r.notices).toEqual([]);
    valid(r.settings);
    const c = r.settings.config;
    expect(c.pruning.criterion).toBe('snip');
    expect(c.model.init).toBe('bimodal');
    expect(c.data).toMatchObject({ task: 'permuted', inputs: 'l2' });
    expect(c.pruning.controls).toEqual(['reinit', 'signed']);
    const again = parseHash(encodeHash(state(r.settings), D), D);
    expect(again.settings).toEqual(r.settings);
    // At their defaults they stay out of a link: old links and new ones read the same.
    expect(encodeHash(state(D), D)).not.toMatch(/criterion|init|task|inputs/);
  });

  it('refuses an unknown value with a notice naming the key and keeps everything else', () => {
    const r = parseHash('#task=fashion&criterion=large_final&rounds=3', D);
    expect(r.notices).toEqual([
      'criterion: "large_final" is not one of magnitude, magnitude_increase, movement, large_init, snip, synflow; kept magnitude',
      'task: "fashion" is not one of mnist, permuted, rotated, inverted; kept mnist',
    ]);
    expect(r.settings.config.pruning.rounds).toBe(3);
    expect(r.settings.config.data.task).toBe('mnist');
  });
});
