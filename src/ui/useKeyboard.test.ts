// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useLabStore } from '../state/lab-store';
import { recordedRun, storyRunOf } from './story.testing';
import { handleKey } from './useKeyboard';

const initial = useLabStore.getState();
beforeEach(() => useLabStore.setState(initial, true));

function key(k: string, target: EventTarget | null, repeat = false) {
  const preventDefault = vi.fn();
  handleKey({
    key: k,
    target,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    repeat,
    preventDefault,
  });
  return preventDefault;
}

describe('lecture-hall keys', () => {
  it('p toggles presenter mode, also right after a button or a slider was used (neither uses p)', () => {
    const button = document.createElement('button');
    const slider = Object.assign(document.createElement('input'), { type: 'range' });
    key('p', button);
    expect(useLabStore.getState().presenter).toBe(true);
    key('p', slider);
    expect(useLabStore.getState().presenter).toBe(false);
  });

  it('leaves space and the arrows to a focused button, checkbox, slider or link', () => {
    const controls = [
      document.createElement('button'),
      Object.assign(document.createElement('input'), { type: 'range' }),
      Object.assign(document.createElement('input'), { type: 'checkbox' }),
      Object.assign(document.createElement('a'), { href: '#x' }),
    ];
    const button = controls[0]!;
    const inner = document.createElement('span');
    button.append(inner); // a click target inside a button is the button's too
    for (const target of [...controls, inner])
      for (const k of [' ', 'ArrowRight', 'ArrowLeft'])
        expect(key(k, target), `${k} on ${target.nodeName}`).not.toHaveBeenCalled();
    expect(useLabStore.getState().presenter).toBe(false);
  });

  it('a focused scrolling region (the settings panel, a wide table) scrolls with space and arrows', () => {
    const panel = document.createElement('section');
    panel.dataset.keys = 'scroll';
    for (const k of [' ', 'ArrowRight', 'ArrowDown', 'PageDown', 'End'])
      expect(key(k, panel), k).not.toHaveBeenCalled();
    // A plain element inside it is the page's: the lab's keys act there.
    const inner = document.createElement('p');
    panel.append(inner);
    key('p', inner);
    expect(useLabStore.getState().presenter).toBe(true);
  });

  it('Escape leaves presenter mode, and only presenter mode', () => {
    key('Escape', document.body);
    expect(useLabStore.getState().presenter).toBe(false);
    key('p', document.body);
    key('Escape', document.body);
    expect(useLabStore.getState().presenter).toBe(false);
  });

  it('leaves keys to text fields and selects', () => {
    key('p', Object.assign(document.createElement('input'), { type: 'number' }));
    key('p', document.createElement('select'));
    key('p', document.createElement('textarea'));
    expect(useLabStore.getState().presenter).toBe(false);
  });

  it('a held key acts once: repeats do nothing but still keep the page from scrolling or clicking', () => {
    const pd = key('p', document.body, true);
    expect(useLabStore.getState().presenter).toBe(false);
    expect(pd).not.toHaveBeenCalled();
    expect(key(' ', document.body, true)).toHaveBeenCalled();
  });

  it('ignores shortcuts with modifiers (the browser’s own keys)', () => {
    handleKey({
      key: 'p',
      target: document.body,
      ctrlKey: true,
      metaKey: false,
      altKey: false,
      repeat: false,
      preventDefault: vi.fn(),
    });
    expect(useLabStore.getState().presenter).toBe(false);
  });
});

describe('story keys', () => {
  const RECORDED = recordedRun();
  const open = () => {
    const run = storyRunOf(RECORDED, 3);
    useLabStore.setState({
      rounds: [...run.rounds],
      trialRounds: [...run.trialRounds],
      runConfig: run.config,
      story: true,
    });
  };
  const step = () => useLabStore.getState().storyStep;

  it('→ and PageDown step forward, ← and PageUp back, Home and End to the ends', () => {
    open();
    key('ArrowRight', document.body);
    expect(step()).toBe('prune');
    key('PageDown', document.body);
    expect(step()).toBe('reset');
    key('PageUp', document.body);
    expect(step()).toBe('prune');
    key('ArrowLeft', document.body);
    key('ArrowLeft', document.body);
    expect(step()).toBe('dense');
    expect(key('End', document.body)).toHaveBeenCalled();
    expect(step()).toBe('masks');
    key('Home', document.body);
    expect(step()).toBe('dense');
    expect(useLabStore.getState().state).toBe('idle'); // → stepped the story, not a run
  });

  it('keeps the rule: a focused button keeps the arrows, while a clicker’s PageDown still steps', () => {
    open();
    const button = document.createElement('button');
    expect(key('ArrowRight', button)).not.toHaveBeenCalled();
    expect(step()).toBe(null);
    key('PageDown', button);
    expect(step()).toBe('prune');
  });

  it('a held key steps once, and Escape closes the story but leaves presenter mode on', () => {
    open();
    useLabStore.getState().presenterToggled();
    expect(key('ArrowRight', document.body, true)).toHaveBeenCalled();
    expect(step()).toBe(null);
    key('Escape', document.body);
    expect(useLabStore.getState().story).toBe(false);
    expect(useLabStore.getState().presenter).toBe(true);
    key('ArrowRight', document.body, true); // closed: the keys are the lab's again
    expect(step()).toBe(null);
  });
});
