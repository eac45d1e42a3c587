/**
 * Lecture-hall keys: space = run / pause / resume, → = step one round, p = presenter mode.
 * Ignored while typing in a field, so a slider or select keeps its own keys.
 */
import { useEffect } from 'react';
import { pauseRun, resumeRun, startRun, stepRun } from '../store/bridge';
import { useLabStore } from '../store/lab-store';

function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(target.tagName));
}

export function handleKey(e: Pick<KeyboardEvent, 'key' | 'target' | 'ctrlKey' | 'metaKey' | 'altKey' | 'preventDefault'>): void {
  if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
  const { state, presenterToggled } = useLabStore.getState();
  const active = state === 'loading' || state === 'running' || state === 'paused';
  switch (e.key) {
    case ' ':
      e.preventDefault();
      if (state === 'running') pauseRun();
      else if (state === 'paused') resumeRun();
      else if (!active) startRun();
      return;
    case 'ArrowRight':
      e.preventDefault();
      if (active) stepRun();
      else startRun(true);
      return;
    case 'p':
    case 'P':
      presenterToggled();
      return;
  }
}

export function useKeyboard(): void {
  useEffect(() => {
    window.addEventListener('keydown', handleKey);
    return () => window.removeEventListener('keydown', handleKey);
  }, []);
}
