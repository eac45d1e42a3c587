// The URL hash's reset and rewind settings: rewindAt depends on reset and on the iterations, in
// whatever order a link gives them. Other settings: url-hash.test.ts.
import { describe, expect, it } from 'vitest';
import { D, settingsOf } from './url-hash.testing';
import { parseHash } from './url-hash';

describe('reset and rewindAt in a link', () => {
  it('applies reset before rewindAt whatever their order in the link', () => {
    const want = { kind: 'rewind', iteration: 200 };
    expect(parseHash('#reset=rewind&rewindAt=200', D)).toMatchObject({
      settings: { config: { pruning: { reset: want } } },
      notices: [],
    });
    expect(parseHash('#rewindAt=200&reset=rewind', D)).toMatchObject({
      settings: { config: { pruning: { reset: want } } },
      notices: [],
    });
    expect(parseHash('#reset=rewind', D).settings.config.pruning.reset).toEqual({
      kind: 'rewind',
      iteration: 100,
    });
  });

  it('keeps θ0 when a link gives rewindAt without reset=rewind', () => {
    for (const h of ['#rewindAt=200', '#reset=init&rewindAt=200']) {
      const r = parseHash(h, D);
      expect(r.settings.config.pruning.reset).toEqual({ kind: 'init' });
      expect(r.notices).toEqual([
        'rewindAt: ignored, since survivors reset to θ0; add reset=rewind to rewind',
      ]);
    }
  });

  it('bounds the rewind iteration by the iterations the link sets', () => {
    const r = parseHash('#rewindAt=500&reset=rewind&iterations=100', D);
    expect(r.settings.config.pruning.reset).toEqual({ kind: 'rewind', iteration: 100 });
    expect(r.notices).toEqual(['rewindAt: 500 is out of range 0–100; using 100']);
  });

  it('keeps a rewinding default’s iteration when the link only repeats reset=rewind', () => {
    const d = settingsOf({ pruning: { reset: { kind: 'rewind', iteration: 500 } } });
    expect(parseHash('#reset=rewind', d)).toEqual({
      settings: d,
      hidden: new Set(),
      presenter: false,
      story: false,
      notices: [],
    });
  });
});
