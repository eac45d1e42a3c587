// The URL hash's keys for the page itself, beside the settings: hide (a classroom's hidden
// controls), presenter and story. Settings: url-hash.test.ts.
import { describe, expect, it } from 'vitest';
import { D, KEYS, settingsOf, state } from './url-hash.testing';
import { encodeHash, HIDE_KEY, parseHash, PRESENTER_KEY, STORY_KEY } from './url-hash';

describe('the page keys of a link: hide, presenter, story', () => {
  it('reads hide and presenter', () => {
    const r = parseHash('#hide=rate,seed,nope,rate&presenter=1', D);
    expect(r.hidden).toEqual(new Set(['rate', 'seed']));
    expect(r.presenter).toBe(true);
    expect(r.notices).toEqual(['hide: ignored unknown setting "nope"']);
    expect(parseHash('#presenter=0&hide=', D)).toMatchObject({
      presenter: false,
      hidden: new Set(),
      notices: [],
    });
    const bad = parseHash('#presenter=yes', D);
    expect(bad.presenter).toBe(false);
    expect(bad.notices).toEqual(['presenter: "yes" is not 1 or 0; presenter mode stays off']);
  });

  it('reads story=1 as story mode open, round trip with presenter and settings beside it', () => {
    const s = settingsOf({ pruning: { rounds: 2 } });
    const hash = encodeHash(state(s, ['seed'], true, true), D);
    expect(hash).toBe('#rounds=2&hide=seed&presenter=1&story=1');
    expect(parseHash(hash, D)).toEqual({
      settings: s,
      hidden: new Set(['seed']),
      presenter: true,
      story: true,
      notices: [],
    });
    expect(encodeHash(state(D, [], false, true), D)).toBe('#story=1');
    expect(parseHash('#story=1', D).story).toBe(true);
    expect(parseHash('#story=0', D)).toMatchObject({ story: false, notices: [] });
    const bad = parseHash('#story=yes', D);
    expect(bad.story).toBe(false);
    expect(bad.notices).toEqual(['story: "yes" is not 1 or 0; story mode stays off']);
  });

  it('reserves hide, presenter and story: no setting uses those keys', () => {
    expect(KEYS).not.toContain(HIDE_KEY);
    expect(KEYS).not.toContain(PRESENTER_KEY);
    expect(KEYS).not.toContain(STORY_KEY);
  });
});
