/**
 * Keeps the URL hash and the store in step: the hash is read once at start (and again when the
 * user edits it), and rewritten, without a history entry, whenever a setting, the hidden list,
 * presenter mode or story mode changes. A link therefore always reproduces the setup on screen.
 */
import { START_SETTINGS } from '../settings/presets';
import { encodeHash, parseHash } from '../settings/url-hash';
import { useLabStore } from '../state/lab-store';
import type { LabState } from '../state/types';

function applyHash(hash: string): void {
  const parsed = parseHash(hash, START_SETTINGS);
  const store = useLabStore.getState();
  store.settingsEdited(parsed.settings);
  store.hiddenSet(parsed.hidden);
  if (parsed.presenter !== store.presenter) store.presenterToggled();
  if (parsed.story !== store.story) store.storyToggled(parsed.story);
  if (parsed.notices.length) store.noticesShown(parsed.notices.map((n) => `Link: ${n}`));
}

function hashOf(s: LabState): string {
  return encodeHash(
    {
      settings: { config: s.config, backend: s.backendChoice },
      hidden: s.hidden,
      presenter: s.presenter,
      story: s.story,
    },
    START_SETTINGS,
  );
}

/** Starts the two-way sync; returns a function that stops it. */
export function startUrlSync(win: Window = window): () => void {
  /** Writes the link for the setup on screen, if it differs from the one in the address bar. */
  const rewrite = (s: LabState) => {
    const hash = hashOf(s);
    if (hash !== win.location.hash)
      win.history.replaceState(null, '', hash || `${win.location.pathname}${win.location.search}`);
  };
  applyHash(win.location.hash);
  rewrite(useLabStore.getState()); // a hand-edited link becomes the canonical one at once
  const unsubscribe = useLabStore.subscribe((s, prev) => {
    if (
      s.config !== prev.config ||
      s.backendChoice !== prev.backendChoice ||
      s.hidden !== prev.hidden ||
      s.presenter !== prev.presenter ||
      s.story !== prev.story
    )
      rewrite(s);
  });
  const onHashChange = () => applyHash(win.location.hash);
  win.addEventListener('hashchange', onHashChange);
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', onHashChange);
  };
}
