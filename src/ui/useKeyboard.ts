/**
 * Lecture-hall keys: space = run / pause / resume, → = step one round, p = presenter mode.
 * Ignored while typing in a field, so a slider or select keeps its own keys.
 */
import { useEffect } from 'react';
import { playReplay } from '../effects/replay-control';
import { pauseRun, resumeRun, startNewRun, stepRun } from '../effects/worker-bridge';
import { labActions, readLab, selectActive } from '../state/selectors';

/**
 * Where keys belong to the element: text fields, selects, editable text. Buttons and sliders do not
 * count.
 */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')
    return true;
  return (
    target instanceof HTMLInputElement &&
    !['range', 'checkbox', 'radio', 'button', 'submit'].includes(target.type)
  );
}

export function handleKey(
  e: Pick<
    KeyboardEvent,
    'key' | 'target' | 'ctrlKey' | 'metaKey' | 'altKey' | 'repeat' | 'preventDefault'
  >,
): void {
  if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
  // A held key repeats: one press, one action (holding space must not flicker pause/resume).
  if (e.repeat) {
    if (e.key === ' ' || e.key === 'ArrowRight') e.preventDefault();
    return;
  }
  const { state, replay, active } = readLab((s) => ({
    state: s.state,
    replay: s.replay,
    active: selectActive(s),
  }));
  // During a replay, space plays and pauses it; the worker has no run to pause.
  if (replay && (e.key === ' ' || e.key === 'ArrowRight')) {
    e.preventDefault();
    if (e.key === ' ') playReplay(!replay.playing);
    return;
  }
  switch (e.key) {
    case ' ':
      e.preventDefault(); // a focused button would otherwise click itself too
      if (state === 'running') pauseRun();
      else if (state === 'paused') resumeRun();
      else if (!active) startNewRun();
      return;
    case 'ArrowRight':
      // A focused slider would move instead: the lab's key wins, sliders keep ← and the mouse.
      e.preventDefault();
      if (active) stepRun();
      else startNewRun(true);
      return;
    case 'p':
    case 'P':
      labActions().presenterToggled();
      return;
  }
}

export function useKeyboard(): void {
  useEffect(() => {
    window.addEventListener('keydown', handleKey);
    return () => window.removeEventListener('keydown', handleKey);
  }, []);
}
