// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { START_SETTINGS } from '../settings/presets';
import { useLabStore } from '../state/lab-store';
import { startUrlSync } from './url-sync';

const initial = useLabStore.getState();
let stop: (() => void) | null = null;
beforeEach(() => {
  useLabStore.setState(initial, true);
  window.history.replaceState(null, '', '/');
});
afterEach(() => {
  stop?.();
  stop = null;
});

const withRounds = (rounds: number) => ({
  config: {
    ...useLabStore.getState().config,
    pruning: { ...useLabStore.getState().config.pruning, rounds },
  },
  backend: useLabStore.getState().backendChoice,
});

describe('URL sync', () => {
  it('an edit rewrites the link in place, and a reload from that link restores the setup', () => {
    stop = startUrlSync(window);
    expect(window.location.hash).toBe(''); // the start config is the default: a bare link
    const before = window.history.length;
    useLabStore.getState().settingsEdited(withRounds(9));
    useLabStore.getState().presenterToggled();
    useLabStore.getState().storyToggled(true);
    expect(window.location.hash).toContain('rounds=9');
    expect(window.location.hash).toContain('presenter');
    expect(window.location.hash).toContain('story=1');
    expect(window.history.length).toBe(before); // replaced, not pushed: Back leaves the lab
    const edited = useLabStore.getState().config;

    // Reload: a fresh store, the same address bar.
    stop();
    useLabStore.setState(initial, true);
    stop = startUrlSync(window);
    expect(useLabStore.getState().config).toEqual(edited);
    expect(useLabStore.getState().presenter).toBe(true);
    expect(useLabStore.getState().story).toBe(true);
    expect(useLabStore.getState().notices).toEqual([]);
  });

  it('closing the story takes story=1 out of the link, and a link edited to story=1 opens it', () => {
    window.history.replaceState(null, '', '/#story=1');
    stop = startUrlSync(window);
    expect(useLabStore.getState().story).toBe(true);
    useLabStore.getState().storyToggled(false);
    expect(window.location.hash).not.toContain('story');
    window.location.hash = '#rounds=4&story=1';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(useLabStore.getState().story).toBe(true);
  });

  it('a hand-edited link is repaired on load, with a notice, and the address bar shows the repaired one', () => {
    window.history.replaceState(null, '', '/#rounds=900&lr=abc&hide=seed');
    stop = startUrlSync(window);
    const s = useLabStore.getState();
    expect(s.config.pruning.rounds).toBeLessThanOrEqual(30);
    expect(s.config.training.learningRate).toBe(START_SETTINGS.config.training.learningRate);
    expect([...s.hidden]).toEqual(['seed']);
    expect(s.notices.length).toBeGreaterThanOrEqual(2);
    expect(s.notices.every((n) => n.startsWith('Link: '))).toBe(true);
    expect(window.location.hash).not.toContain('900');
    expect(window.location.hash).not.toContain('abc');
    expect(window.location.hash).toContain('hide=seed');
  });

  it('follows edits of the hash itself, and stops listening when stopped', () => {
    stop = startUrlSync(window);
    window.location.hash = '#rounds=4';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(useLabStore.getState().config.pruning.rounds).toBe(4);
    stop();
    stop = null;
    useLabStore.getState().settingsEdited(withRounds(6));
    expect(window.location.hash).toBe('#rounds=4');
    window.location.hash = '#rounds=5';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(useLabStore.getState().config.pruning.rounds).toBe(6);
  });
});
