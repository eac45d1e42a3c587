/** Which run a shared link asks for (issue 15): the config it sets, or none. */
import { describe, expect, it } from 'vitest';
import { mergeConfig } from '../engine/config';
import { START_SETTINGS } from './presets';
import { encodeHash, linkedConfig } from './url-hash';

describe('linkedConfig', () => {
  it('is the config a link sets, as the page reads it', () => {
    const config = mergeConfig(START_SETTINGS.config, {
      training: { iterations: 200 },
      pruning: { rounds: 3, controls: ['reinit'] },
    });
    const link = encodeHash(
      { settings: { config, backend: 'wasm' }, hidden: new Set(), presenter: true, story: false },
      START_SETTINGS,
    );
    expect(linkedConfig(link, START_SETTINGS)).toEqual(config);
    expect(linkedConfig('#rounds=3', START_SETTINGS)?.pruning.rounds).toBe(3);
  });

  it('is null for a link that leaves the run at the defaults: the run on screen stays', () => {
    for (const hash of ['', '#', '#backend=wasm', '#presenter=1&story=1', '#hide=seed', '#bogus=1'])
      expect(linkedConfig(hash, START_SETTINGS), hash).toBeNull();
    // A value it cannot read is kept at the default: no settings either.
    expect(linkedConfig('#iterations=abc', START_SETTINGS)).toBeNull();
  });
});
