/**
 * Lecture-hall keys: space = run / pause / resume, → = step one round, p = presenter mode,
 * Escape = leave presenter mode. While the story is open (StoryMode.tsx), → and PageDown step it
 * forward, ← and PageUp back (a presentation clicker sends PageUp/PageDown), Home and End go to
 * its first and last step, and Escape closes it.
 *
 * A key the focused control uses is the control's (issue 15): space presses a focused button or
 * ticks a checkbox, arrows move a slider, and text fields and selects keep every key. The lab's
 * keys act only when focus is on no control (the page itself, a figure, a heading). Letters are
 * the exception: no button or slider uses p, so it still works right after a click.
 */
import { useEffect } from 'react';
import { playReplay } from '../effects/replay-control';
import { pauseRun, resumeRun, startNewRun, stepRun } from '../effects/worker-bridge';
import { labActions, readLab, selectActive, selectStoryRun } from '../state/selectors';
import { movedStep, type StoryMove, storySteps } from './story';

/** Where every key belongs to the element: text fields, selects, editable text. */
function typing(target: Element): boolean {
  if ((target as HTMLElement).isContentEditable) return true;
  if (target.tagName === 'SELECT' || target.tagName === 'TEXTAREA') return true;
  return (
    target instanceof HTMLInputElement &&
    !['range', 'checkbox', 'radio', 'button', 'submit', 'reset', 'color', 'file'].includes(
      target.type,
    )
  );
}

/** Anything that acts on space, Enter or the arrows of its own. */
const CONTROL =
  'button, a[href], input, select, textarea, summary, [contenteditable], [role="button"], [role="slider"], [role="checkbox"], [role="switch"], [role="radio"], [role="tab"], [role="menuitem"], [role="option"], [role="spinbutton"]';

/** Space and the arrows are the lab's only when no control has focus. */
const CONTROL_KEYS = new Set([' ', 'ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown', 'Enter']);

const SCROLL_KEYS = new Set([...CONTROL_KEYS, 'PageUp', 'PageDown', 'Home', 'End']);

/** Keys a focused chart reads its values with (src/charts/StreamLines.tsx). */
const READOUT_KEYS = new Set(['ArrowRight', 'ArrowLeft', 'Home', 'End']);

/** Whether the focused element (the event's target) keeps this key for itself. */
export function keyBelongsToTarget(key: string, target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (typing(target)) return true;
  if (READOUT_KEYS.has(key) && target.closest('[data-keys="readout"]')) return true;
  // A focused scrolling region (the settings panel, a wide table) scrolls with space and arrows.
  if (target.matches('[data-keys="scroll"]') && SCROLL_KEYS.has(key)) return true;
  return CONTROL_KEYS.has(key) && target.closest(CONTROL) !== null;
}

const STORY_KEYS: Record<string, StoryMove> = {
  ArrowRight: 'next',
  PageDown: 'next',
  ArrowLeft: 'previous',
  PageUp: 'previous',
  Home: 'first',
  End: 'last',
};

/** The story's keys; true when the key was the story's. */
function storyKey(e: Pick<KeyboardEvent, 'key' | 'repeat' | 'preventDefault'>): boolean {
  if (e.key === 'Escape') {
    labActions().storyToggled(false);
    return true;
  }
  const move = STORY_KEYS[e.key];
  if (!move) return false;
  e.preventDefault(); // the page would scroll
  // A held key steps once per press, as a clicker does.
  if (e.repeat) return true;
  const { run, step } = readLab((s) => ({ run: selectStoryRun(s), step: s.storyStep }));
  labActions().storyStepShown(movedStep(storySteps(run), step, move));
  return true;
}

export function handleKey(
  e: Pick<
    KeyboardEvent,
    'key' | 'target' | 'ctrlKey' | 'metaKey' | 'altKey' | 'repeat' | 'preventDefault'
  >,
): void {
  if (e.ctrlKey || e.metaKey || e.altKey || keyBelongsToTarget(e.key, e.target)) return;
  // The long-run question (RunConfirm.tsx) is modal: its buttons and Escape answer it.
  if (readLab((s) => s.runConfirm !== null)) return;
  if (readLab((s) => s.story) && storyKey(e)) return;
  // A held key repeats: one press, one action (holding space must not flicker pause/resume, nor
  // start run after run).
  if (e.repeat) {
    if (e.key === ' ' || e.key === 'ArrowRight') e.preventDefault();
    return;
  }
  const { state, replay, active, presenter } = readLab((s) => ({
    state: s.state,
    replay: s.replay,
    active: selectActive(s),
    presenter: s.presenter,
  }));
  // During a replay, space plays and pauses it; the worker has no run to pause.
  if (replay && (e.key === ' ' || e.key === 'ArrowRight')) {
    e.preventDefault();
    if (e.key === ' ') playReplay(!replay.playing);
    return;
  }
  switch (e.key) {
    case ' ':
      e.preventDefault(); // the page would scroll
      if (state === 'running') pauseRun();
      else if (state === 'paused') resumeRun();
      else if (!active) startNewRun();
      return;
    case 'ArrowRight':
      e.preventDefault();
      if (active) stepRun();
      else startNewRun(true);
      return;
    case 'p':
    case 'P':
      labActions().presenterToggled();
      return;
    case 'Escape':
      if (presenter) labActions().presenterToggled();
      return;
  }
}

export function useKeyboard(): void {
  useEffect(() => {
    window.addEventListener('keydown', handleKey);
    return () => window.removeEventListener('keydown', handleKey);
  }, []);
}
