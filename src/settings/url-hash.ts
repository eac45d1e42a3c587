/**
 * The lab's settings in the URL hash (issue 3, "Sharing and teaching"): a link reproduces a setup,
 * can hide chosen controls for a classroom and can open in presenter mode. Every setting goes
 * through the one table in fields.ts; this module only turns it into text and back. Pure: it takes
 * and returns strings and never touches `location`.
 *
 * A hand-edited link never breaks the page (issue 6, bad input): parseHash never throws, always
 * returns a config that passes validateConfig, and says in words what it ignored or changed, one
 * notice per problem, naming the key as it appears in the link.
 */
import { ConfigError, DEFAULT_CONFIG, mergeConfig, validateConfig } from '../engine/config';
import type { Field, FieldProblem, LabSettings } from './field-kinds';
import { FIELD_BY_KEY, FIELDS, normalizeSettings } from './fields';

export interface HashState {
  settings: LabSettings;
  /** Keys of FIELDS whose controls a classroom link hides. */
  hidden: ReadonlySet<string>;
  presenter: boolean;
  /** Story mode open (issue 15): a lecturer's link can open on the story. */
  story: boolean;
}

/** Keys of the hash that are not settings; no row of FIELDS may use them. */
export const HIDE_KEY = 'hide';
export const PRESENTER_KEY = 'presenter';
export const STORY_KEY = 'story';
/** The one setting that is not the run's: where it trains, not what it computes. */
const BACKEND_KEY = 'backend';
/** The longest hash read. A link with every setting changed is about 300 characters. */
export const MAX_HASH_LENGTH = 4096;
/**
 * The longest value of one setting read; the longest real one ("reinit,rearrange,random") is 23.
 */
const MAX_VALUE_LENGTH = 100;
/** How many unknown names one notice lists before it counts the rest. */
const LISTED = 5;

/**
 * Reads `#key=value&…` (the `#` optional) over `defaults`: each known setting through its own
 * field's `apply`, in table order; then `hide=key,…`, `presenter=1|0` and `story=1|0`. Never throws; the config
 * it returns always passes validateConfig; `notices` says, key by key, what it ignored or changed.
 */
export function parseHash(hash: string, defaults: LabSettings): HashState & { notices: string[] } {
  const notices: string[] = [];
  let text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text.length > MAX_HASH_LENGTH) {
    // Cut between settings where possible, so no value is read half.
    const cut = text.lastIndexOf('&', MAX_HASH_LENGTH);
    notices.push(
      `the link's settings are ${text.length.toLocaleString('en-US')} characters long; read only the first ${(cut > 0 ? cut : MAX_HASH_LENGTH).toLocaleString('en-US')}`,
    );
    text = text.slice(0, cut > 0 ? cut : MAX_HASH_LENGTH);
  }

  const { values, unknown, repeated } = readPairs(text);
  if (unknown.length > 0)
    notices.push(
      `ignored unknown ${unknown.length === 1 ? 'setting' : 'settings'} ${listOf(unknown)}`,
    );
  for (const [key, count] of repeated)
    notices.push(
      `${key}: given ${count} times; used the last, ${quote(values.get(key)?.text ?? '')}`,
    );

  let settings = defaults;
  // Table order, so that `reset` is applied before `rewindAt` and `iterations` before both.
  for (const f of FIELDS) {
    const v = values.get(f.key);
    if (v === undefined) continue;
    const r = readField(settings, f, v);
    settings = r.settings;
    if (r.notice) notices.push(r.notice);
  }

  const before = settings;
  settings = normalizeSettings(settings);
  for (const f of FIELDS) {
    if (!f.same(before, settings))
      notices.push(
        `${f.key}: ${f.show(before)} does not fit with the other settings; using ${f.show(settings)}`,
      );
  }
  settings = validOrDefaults(settings, defaults, notices);

  return {
    settings,
    hidden: readHidden(values.get(HIDE_KEY), notices),
    presenter: readFlag(PRESENTER_KEY, 'presenter mode', values.get(PRESENTER_KEY), notices),
    story: readFlag(STORY_KEY, 'story mode', values.get(STORY_KEY), notices),
    notices,
  };
}

/**
 * The run a link asks for (issue 15: a shared link opens the stored run it describes): the config
 * it sets, or null when it sets none, leaving every field of the run at `defaults` (no settings,
 * or only the backend, hidden controls, presenter or story mode: the run on screen stays).
 */
export function linkedConfig(hash: string, defaults: LabSettings): LabSettings['config'] | null {
  const { settings } = parseHash(hash, defaults);
  const ofRun = FIELDS.filter((f) => f.key !== BACKEND_KEY);
  return ofRun.every((f) => f.same(settings, defaults)) ? null : settings.config;
}

/**
 * `#` and the settings a link needs to reproduce `state` from `defaults`, in table order, then
 * `hide`, `presenter` and `story`; '' when the state is the defaults. A setting is written when parsing the
 * link so far would not already give its value: usually when it differs from the default, and also
 * `rewindAt` after `reset=rewind`, which sets its own rewind iteration.
 */
export function encodeHash(state: HashState, defaults: LabSettings): string {
  const target = normalizeSettings(state.settings);
  const parts: string[] = [];
  let read = defaults; // what parseHash will have built when it reaches each field
  for (const f of FIELDS) {
    if (f.same(read, target)) continue;
    parts.push(`${f.key}=${f.text(target)}`);
    read = f.copy(target, read);
  }
  const hidden = [...state.hidden].filter((k) => FIELD_BY_KEY.has(k)).sort();
  if (hidden.length > 0) parts.push(`${HIDE_KEY}=${hidden.join(',')}`);
  if (state.presenter) parts.push(`${PRESENTER_KEY}=1`);
  if (state.story) parts.push(`${STORY_KEY}=1`);
  return parts.length > 0 ? `#${parts.join('&')}` : '';
}

interface RawValue {
  /** Decoded text. */
  text: string;
  /** A %-escape that does not decode to UTF-8, or text that was not valid Unicode. */
  malformed: boolean;
}

/** Splits the hash into known keys' last values, unknown keys, and keys given more than once. */
function readPairs(text: string): {
  values: Map<string, RawValue>;
  unknown: string[];
  repeated: Map<string, number>;
} {
  const values = new Map<string, RawValue>();
  const counts = new Map<string, number>();
  const unknown: string[] = [];
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    // One pair per piece; URLSearchParams decodes it the way a browser does ('+' is a space).
    const [pair] = new URLSearchParams(piece);
    if (!pair) continue; // a lone '?'
    const [key, value] = pair;
    if (!FIELD_BY_KEY.has(key) && key !== HIDE_KEY && key !== PRESENTER_KEY && key !== STORY_KEY) {
      if (!unknown.includes(key)) unknown.push(key);
      continue;
    }
    const eq = piece.indexOf('=');
    const malformed = value.includes('\uFFFD') || (eq >= 0 && !decodes(piece.slice(eq + 1)));
    values.set(key, { text: value, malformed });
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { values, unknown, repeated: new Map([...counts].filter(([, n]) => n > 1)) };
}

function decodes(raw: string): boolean {
  try {
    decodeURIComponent(raw.replace(/\+/g, ' '));
    return true;
  } catch {
    return false;
  }
}

/** One setting through its field, with what went wrong worded in the link's terms (its key). */
function readField(
  s: LabSettings,
  f: Field,
  v: RawValue,
): { settings: LabSettings; notice: string | null } {
  const kept = (why: string) => ({
    settings: s,
    notice: `${f.key}: ${quote(v.text)} ${why}; kept ${f.show(s)}`,
  });
  if (v.malformed) return kept('has a broken %-escape');
  if (v.text.length > MAX_VALUE_LENGTH)
    return kept(`is too long (${v.text.length.toLocaleString('en-US')} characters)`);
  // A link that asks for θ0 (or does not ask to rewind) keeps θ0: rewindAt alone is not "rewind".
  if (!f.isActive(s))
    return {
      settings: s,
      notice: `${f.key}: ignored, ${f.inactiveWhy ?? 'with the other settings'}`,
    };
  const r = f.apply(s, v.text);
  return { settings: r.settings, notice: r.problem && wordProblem(f, r.problem, s, r.settings) };
}

/** What was wrong with a link's value for `f`, in words that name the link's key. */
function wordProblem(f: Field, p: FieldProblem, before: LabSettings, after: LabSettings): string {
  switch (p.kind) {
    case 'notANumber':
      return `${f.key}: ${quote(p.raw)} is not a number; kept ${f.show(before)}`;
    case 'outOfRange': {
      const format = f.kind === 'int' || f.kind === 'real' ? f.format : String;
      return `${f.key}: ${p.raw} is out of range ${format(p.min)}–${format(p.max)}; using ${f.show(after)}`;
    }
    case 'notWhole':
      return `${f.key}: ${p.raw} is not a whole number; using ${f.show(after)}`;
    case 'notAnOption':
      return `${f.key}: "${p.raw}" is not one of ${p.options.join(', ')}; kept ${f.show(before)}`;
    case 'notAList':
      return `${f.key}: not a list; kept ${f.show(before)}`;
    case 'unknownFlags':
      return `${f.key}: ignored unknown ${p.unknown.join(', ')}`;
  }
}

function readHidden(v: RawValue | undefined, notices: string[]): Set<string> {
  const hidden = new Set<string>();
  if (v === undefined) return hidden;
  if (v.malformed) {
    notices.push(`${HIDE_KEY}: ${quote(v.text)} has a broken %-escape; hid nothing`);
    return hidden;
  }
  const unknown: string[] = [];
  for (const k of v.text.split(',').map((x) => x.trim())) {
    if (k === '') continue;
    if (FIELD_BY_KEY.has(k)) hidden.add(k);
    else if (!unknown.includes(k)) unknown.push(k);
  }
  if (unknown.length > 0)
    notices.push(
      `${HIDE_KEY}: ignored unknown ${unknown.length === 1 ? 'setting' : 'settings'} ${listOf(unknown)}`,
    );
  return hidden;
}

/** A mode switched on by `key=1` (off by `0` or by leaving it out). */
function readFlag(key: string, mode: string, v: RawValue | undefined, notices: string[]): boolean {
  if (v === undefined || v.text === '0') return false;
  if (v.text === '1') return true;
  notices.push(`${key}: ${quote(v.text)} is not 1 or 0; ${mode} stays off`);
  return false;
}

/**
 * The engine's own check, as the last guard. The table's ranges lie inside the engine's, so with
 * sane defaults this never fires; with odd defaults (say a training set that leaves no room for
 * 5,000 validation images) the link's values are given up one at a time, the most helpful first.
 */
function validOrDefaults(s: LabSettings, defaults: LabSettings, notices: string[]): LabSettings {
  let problems = problemsOf(s);
  for (let tries = 0; problems.length > 0 && tries < 2 * FIELDS.length; tries++) {
    const changed = FIELDS.filter((f) => !f.same(s, defaults));
    if (changed.length === 0) break;
    let best = { f: changed[0]!, s, problems };
    for (const f of changed) {
      const t = normalizeSettings(f.copy(defaults, s));
      const p = problemsOf(t);
      if (best.s === s || p.length < best.problems.length) best = { f, s: t, problems: p };
    }
    notices.push(
      `${best.f.key}: ${best.f.show(s)} makes an invalid experiment (${problems[0]}); using ${best.f.show(best.s)}`,
    );
    s = best.s;
    problems = best.problems;
  }
  if (problems.length === 0) return s;
  notices.push(`the starting settings are invalid (${problems.join('; ')}); using the paper's`);
  return { config: mergeConfig(DEFAULT_CONFIG, {}), backend: s.backend };
}

function problemsOf(s: LabSettings): string[] {
  try {
    validateConfig(s.config);
    return [];
  } catch (e) {
    return e instanceof ConfigError ? e.problems : [String(e)];
  }
}

/** User text in a notice: quoted and kept short. */
function quote(t: string): string {
  return `"${t.length > 40 ? `${t.slice(0, 40)}…` : t}"`;
}

function listOf(names: string[]): string {
  const shown = names.slice(0, LISTED).map(quote).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}
