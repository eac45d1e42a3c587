/** Fixtures shared by the URL-hash tests (the hand-written cases and the fast-check properties). */
import { expect } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig, validateConfig, type ConfigPatch } from '../engine/config';
import { type LabSettings } from './field-kinds';
import { FIELD_BY_KEY, FIELDS } from './fields';
import type { HashState } from './url-hash';

export const settingsOf = (
  patch: ConfigPatch = {},
  backend: LabSettings['backend'] = 'auto',
): LabSettings => ({ config: mergeConfig(DEFAULT_CONFIG, patch), backend });
export const D = settingsOf();
export const KEYS = FIELDS.map((f) => f.key);
export const state = (
  settings: LabSettings,
  hidden: string[] = [],
  presenter = false,
  story = false,
): HashState => ({ settings, hidden: new Set(hidden), presenter, story });
export const num = (key: string) => {
  const f = FIELD_BY_KEY.get(key);
  if (!f || (f.kind !== 'int' && f.kind !== 'real')) throw new Error(key);
  return f;
};
export const valid = (s: LabSettings) => expect(() => validateConfig(s.config)).not.toThrow();
